// The html report's charts: ECharts options built from the report, rendered to static SVG strings at
// report time with ECharts' server-side SVG renderer (no script, no canvas, nothing loaded when opened).
import { SEVERITIES, type Severity } from "../core/types.js";
import type { TimeZone } from "../core/zonedTime.js";
import { CONFLICT_KINDS, type ConflictKind } from "../detectors/registry.js";
import type { ScanReport } from "../findings/report.js";
import { formatAmount, groupDigits } from "../messages/numbers.js";
import type { Lang } from "../messages/types.js";
import type { HtmlLabels } from "./htmlLabels.js";
import type { ReportLabels } from "./labels.js";

/** A chart of the report: what it shows and its SVG. */
export interface RenderedChart {
  /** The chart's id in the page (`chart-partners`, …), also the prefix of every id inside its SVG. */
  readonly id: string;
  readonly title: string;
  /** A line under the chart: what is left out of it, if anything. */
  readonly note?: string;
  /** What each colour stands for, drawn by the page above the chart (text ECharts would measure only roughly). */
  readonly legend: readonly LegendItem[];
  readonly svg: string;
}

/** One entry of a chart's legend. */
export interface LegendItem {
  readonly name: string;
  readonly color: string;
}

/** Colours by severity and by kind, the same in the charts and the page's badges. */
export const SEVERITY_COLORS: Readonly<Record<Severity, string>> = {
  critical: "#b42318",
  high: "#e8590c",
  medium: "#d4a20b",
  low: "#868e96",
};
export const KIND_COLORS: Readonly<Record<ConflictKind, string>> = {
  "price-deviation": "#1c7ed6",
  "territory-overlap": "#7048e8",
  "cross-region-shipping": "#e03131",
  "customer-poaching": "#2f9e44",
};

/** Fonts the reader's machine has: no web font is loaded. CJK faces follow for Chinese labels. */
export const FONT_STACK =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif";

const CURRENCY_COLORS = ["#c92a2a", "#1971c2", "#5f3dc4", "#2b8a3e"] as const;

/** How many partners a bar chart shows: the worst, so the chart stays readable. */
const TOP_PARTNERS = 12;
const WIDTH = 1040;
/**
 * Room for the partner names left of a bar chart's axis. Fixed rather than measured: ECharts' server-side
 * renderer estimates text widths without fonts, so its own layout would cut long names off.
 */
const NAME_ROOM = 220;

export interface ChartInput {
  readonly report: ScanReport;
  readonly lang: Lang;
  readonly zone: TimeZone;
  readonly labels: ReportLabels;
  readonly html: HtmlLabels;
  /** A partner as a chart's axis names it: its name when the dataset has one, else its id. */
  readonly partnerLabel: (id: string) => string;
}

type ECharts = typeof import("echarts");
type ChartOption = Parameters<ReturnType<ECharts["init"]>["setOption"]>[0];

/** A chart before it is rendered: its ECharts option, height, legend and note. */
interface ChartSpec {
  readonly option: ChartOption;
  readonly height: number;
  readonly legend: readonly LegendItem[];
  readonly note?: string;
}

/**
 * The report's charts as SVG: findings by partner and kind, findings over time by severity, money at stake
 * by partner. A chart with nothing to show is left out (a scan without findings has none).
 */
export async function renderCharts(input: ChartInput): Promise<RenderedChart[]> {
  const { report } = input;
  if (report.findings.length === 0) return [];
  // Loaded only when an html report is written: the scan itself never pays for ECharts.
  const echarts: ECharts = await import("echarts");
  const overTime = findingsOverTime(input);
  const money = moneyByPartner(input);
  return [
    render(echarts, "chart-partners", input.html.chartPartners, partnersByKind(input)),
    render(echarts, "chart-time", overTime.title, overTime),
    ...(money ? [render(echarts, "chart-money", input.html.chartMoney, money)] : []),
  ];
}

function render(echarts: ECharts, id: string, title: string, spec: ChartSpec): RenderedChart {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: WIDTH, height: spec.height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT_STACK, fontSize: 12 }, ...spec.option });
    return { id, title, legend: spec.legend, svg: ownNames(chart.renderToSVGString(), id), ...(spec.note !== undefined ? { note: spec.note } : {}) };
  } finally {
    // dispose stops zrender's frame loop, which would otherwise keep the process alive.
    chart.dispose();
  }
}

/**
 * zrender names its classes and ids with process-wide counters (`zr3-cls-41`): each chart gets its own
 * prefix and numbers from 0 in order of appearance, so the page is the same bytes whatever was rendered
 * before in the process, and two charts' styles never clash in one page.
 */
function ownNames(svg: string, id: string): string {
  const numbers = new Map<string, number>();
  const next = new Map<string, number>();
  return svg.replace(/\bzr\d+-([a-z]+)-?(\d+)/g, (name: string, kind: string) => {
    let number = numbers.get(name);
    if (number === undefined) {
      number = next.get(kind) ?? 0;
      next.set(kind, number + 1);
      numbers.set(name, number);
    }
    return `${id}-${kind}-${number}`;
  });
}

/** Long names are cut for an axis label (a CJK character counts twice), the full name stays in the tables. */
function axisName(text: string, max = 26): string {
  let width = 0;
  let out = "";
  for (const char of text) {
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
    if (width > max) return `${out}…`;
    out += char;
  }
  return out;
}

function offenders(report: ScanReport): Map<string, Map<ConflictKind, number>> {
  const byPartner = new Map<string, Map<ConflictKind, number>>();
  for (const finding of report.findings) {
    const offender = finding.partners[0];
    if (offender === undefined) continue;
    let kinds = byPartner.get(offender);
    if (!kinds) byPartner.set(offender, (kinds = new Map()));
    kinds.set(finding.kind, (kinds.get(finding.kind) ?? 0) + 1);
  }
  return byPartner;
}

function leftOut(html: HtmlLabels, shown: number, all: number): string | undefined {
  return all > shown ? html.topOf(shown, all) : undefined;
}

/** Horizontal stacked bars: the offending partners with the most findings, a segment per kind. */
function partnersByKind({ report, labels, html, partnerLabel }: ChartInput): ChartSpec {
  const byPartner = offenders(report);
  const total = (kinds: Map<ConflictKind, number>) => [...kinds.values()].reduce((a, b) => a + b, 0);
  const ranked = [...byPartner.entries()].sort((a, b) => total(b[1]) - total(a[1]) || (a[0] < b[0] ? -1 : 1)).slice(0, TOP_PARTNERS);
  // Worst at the top: a category axis draws its first category at the bottom.
  const rows = [...ranked].reverse();
  const kinds = CONFLICT_KINDS.filter((kind) => ranked.some(([, counts]) => counts.has(kind)));
  const note = leftOut(html, ranked.length, byPartner.size);
  return {
    height: 50 + rows.length * 28,
    legend: kinds.map((kind) => ({ name: labels.kind[kind], color: KIND_COLORS[kind] })),
    ...(note !== undefined ? { note } : {}),
    option: {
      grid: { left: NAME_ROOM, right: 24, top: 10, bottom: 30 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map(([id]) => axisName(partnerLabel(id))) },
      series: kinds.map((kind) => ({
        type: "bar",
        name: labels.kind[kind],
        stack: "findings",
        itemStyle: { color: KIND_COLORS[kind] },
        data: rows.map(([, counts]) => counts.get(kind) ?? 0),
      })),
    },
  };
}

const DAY_MS = 86_400_000;

/**
 * Findings by the day (or month, over a longer span) they began, in the dataset's time zone, stacked by
 * severity. Days with none are drawn as zero, so gaps show.
 */
function findingsOverTime({ report, lang, zone, labels, html }: ChartInput): ChartSpec & { readonly title: string } {
  const starts = report.findings.map((finding) => Date.parse(finding.firstSeen));
  const days = starts.map((ms) => zone.dayIndex(ms));
  const first = Math.min(...days);
  const last = Math.max(...days);
  const monthly = last - first > 62;
  const keyOf = (dayIndex: number) => {
    const text = new Date(dayIndex * DAY_MS).toISOString().slice(0, 10);
    return monthly ? text.slice(0, 7) : text;
  };
  const keys: string[] = [];
  for (let day = first; day <= last; day++) {
    const key = keyOf(day);
    if (keys[keys.length - 1] !== key) keys.push(key);
  }
  const index = new Map(keys.map((key, i) => [key, i]));
  const counts = new Map<Severity, number[]>(SEVERITIES.map((severity) => [severity, keys.map(() => 0)]));
  report.findings.forEach((finding, i) => {
    const row = counts.get(finding.severity) as number[];
    const at = index.get(keyOf(days[i] as number)) as number;
    row[at] = (row[at] ?? 0) + 1;
  });
  const present = SEVERITIES.filter((severity) => (counts.get(severity) as number[]).some((n) => n > 0));
  return {
    title: monthly ? html.chartTimeByMonth : html.chartTimeByDay,
    height: 300,
    legend: present.map((severity) => ({ name: labels.severity[severity], color: SEVERITY_COLORS[severity] })),
    option: {
      grid: { left: 48, right: 24, top: 14, bottom: 30 },
      xAxis: { type: "category", data: keys.map((key) => periodLabel(key, lang)) },
      yAxis: { type: "value", minInterval: 1 },
      series: present.map((severity) => ({
        type: "bar",
        name: labels.severity[severity],
        stack: "findings",
        itemStyle: { color: SEVERITY_COLORS[severity] },
        data: counts.get(severity) as number[],
      })),
    },
  };
}

/** `2025-03` / `2025-03-01` as an axis label: `2025年3月`, `3月1日` in Chinese. */
function periodLabel(key: string, lang: Lang): string {
  const [year, month, day] = key.split("-");
  if (lang === "zh-CN") return day === undefined ? `${year}年${Number(month)}月` : `${Number(month)}月${Number(day)}日`;
  return day === undefined ? key : `${month}-${day}`;
}

/**
 * Money at stake by offending partner (the scorecard's sums), the partners with the most in the currency
 * most is at stake in; a bar per currency, never added across currencies.
 */
function moneyByPartner({ report, lang, html, partnerLabel }: ChartInput): ChartSpec | undefined {
  const partners = (report.partners ?? []).filter((partner) => Object.keys(partner.amountAtStake).length > 0);
  if (partners.length === 0) return undefined;
  const totals = new Map<string, number>();
  for (const partner of partners) for (const [currency, amount] of Object.entries(partner.amountAtStake)) totals.set(currency, (totals.get(currency) ?? 0) + amount);
  const currencies = [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([currency]) => currency);
  const main = currencies[0] as string;
  const amount = (partner: (typeof partners)[number], currency: string) => partner.amountAtStake[currency] ?? 0;
  const ranked = [...partners].sort((a, b) => amount(b, main) - amount(a, main) || (a.id < b.id ? -1 : 1)).slice(0, TOP_PARTNERS);
  const rows = [...ranked].reverse();
  const note = leftOut(html, ranked.length, partners.length);
  const color = (i: number) => CURRENCY_COLORS[i % CURRENCY_COLORS.length] as string;
  return {
    height: 50 + rows.length * (currencies.length > 1 ? 36 : 28),
    legend: currencies.map((currency, i) => ({ name: currency, color: color(i) })),
    ...(note !== undefined ? { note } : {}),
    option: {
      grid: { left: NAME_ROOM, right: 120, top: 10, bottom: 30 },
      xAxis: { type: "value", axisLabel: { formatter: (value: number) => groupDigits(value, 0) } },
      yAxis: { type: "category", data: rows.map((partner) => axisName(partnerLabel(partner.id))) },
      series: currencies.map((currency, i) => ({
        type: "bar",
        name: currency,
        itemStyle: { color: color(i) },
        label: { show: true, position: "right", formatter: ({ value }: { value: unknown }) => (Number(value) > 0 ? formatAmount(Number(value), currency, lang) : "") },
        data: rows.map((partner) => amount(partner, currency)),
      })),
    },
  };
}
