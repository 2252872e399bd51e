import { createHash } from "node:crypto";
import { SEVERITIES, type Condition } from "../core/types.js";
import { timeZoneOf, UTC_ZONE, type TimeZone } from "../core/zonedTime.js";
import { CONFLICT_KINDS } from "../detectors/registry.js";
import type { ScanReport } from "../findings/report.js";
import type { Finding } from "../findings/types.js";
import { formatAmount, groupDigits } from "../messages/numbers.js";
import type { Lang, MessageArg } from "../messages/types.js";
import { wordsFor } from "../messages/wordsFor.js";
import type { Rule } from "../rules/types.js";
import { FONT_STACK, KIND_COLORS, renderCharts, SEVERITY_COLORS, type RenderedChart } from "./htmlCharts.js";
import { htmlLabels, type HtmlLabels } from "./htmlLabels.js";
import { skippedChecks } from "./formatTable.js";
import { reportLabels, type ReportLabels } from "./labels.js";
import { rejectionReason } from "../messages/rejections/renderRejection.js";

/** What the html report needs beyond the report. */
export interface HtmlOptions {
  /** The language of its labels (the findings' texts are in the language the scan was run in). Default `en`. */
  readonly lang?: Lang;
  /** The IANA zone its times and time buckets are in: the dataset's. Default UTC. */
  readonly timeZone?: string;
  /** The rules that ran, for each finding's conditions; without them a finding shows no conditions. */
  readonly rules?: readonly Rule[];
  /** How the page names the dataset (its title). Default `dataset`. */
  readonly dataset?: string;
  /** The package version, in the footer. */
  readonly version?: string;
}

/** How many evidence event ids a finding lists before "and N more". */
const SHOWN_EVENTS = 30;
/** How many rejected records the page lists. */
const SHOWN_REJECTIONS = 50;

/** Text for html text and attributes: `&<>"'` escaped, characters html cannot show dropped. */
export function escapeHtml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ud800-\udfff]/gu, (c) => (/[\ud800-\udfff]/.test(c) ? "\ufffd" : ""))
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
const h = escapeHtml;

/**
 * One self-contained html page a channel manager can open offline, forward or print: the summary, charts
 * (rendered to static SVG now, by ECharts' server-side renderer), the partner scorecard, and every finding
 * with its message, remediation, evidence, reference records, the rule's conditions and the facts they were
 * judged on, each addressable as `#<finding id>`, with filters by kind, severity and partner (a small inline
 * script; without it every finding shows). Its Content-Security-Policy forbids every network load. The same
 * report and options give the same bytes.
 */
export async function formatHtml(report: ScanReport, options: HtmlOptions = {}): Promise<string> {
  const lang = options.lang ?? "en";
  const zone = options.timeZone !== undefined ? timeZoneOf(options.timeZone) : UTC_ZONE;
  const labels = reportLabels(lang);
  const html = htmlLabels(lang);
  const names = partnerNames(report);
  const words = wordsFor(lang, zone);
  const partnerName = (id: string) => words.named({ id, name: names.get(id) });
  const page: Page = { report, lang, zone, labels, html, partnerName, rules: new Map((options.rules ?? []).map((rule) => [rule.id, rule])) };
  const charts = await renderCharts({ report, lang, zone, labels, html, partnerLabel: (id) => names.get(id) ?? id });
  const dataset = options.dataset ?? "dataset";
  const body = [
    `<header><h1>${h(html.title(dataset))}</h1></header>`,
    summarySection(page),
    chartsSection(charts, html),
    scorecardSection(page),
    findingsSection(page),
    notesSection(page),
    `<footer>${h(html.footer(options.version, zone.name))}</footer>`,
  ].join("\n");
  const scriptHash = createHash("sha256").update(SCRIPT).digest("base64");
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${scriptHash}'">
<meta name="generator" content="${h(["channel-conflict", options.version].filter(Boolean).join(" "))}">
<title>${h(html.title(dataset))}</title>
<style>${css()}</style>
</head>
<body>
${body}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

interface Page {
  readonly report: ScanReport;
  readonly lang: Lang;
  readonly zone: TimeZone;
  readonly labels: ReportLabels;
  readonly html: HtmlLabels;
  readonly partnerName: (id: string) => string;
  readonly rules: ReadonlyMap<string, Rule>;
}

/** Partner names by id: the scorecard's, then every `{ id, name }` the findings' message arguments hold. */
function partnerNames(report: ScanReport): Map<string, string> {
  const names = new Map<string, string>();
  for (const partner of report.partners ?? []) if (partner.name) names.set(partner.id, partner.name);
  const visit = (arg: MessageArg | undefined): void => {
    if (Array.isArray(arg)) for (const item of arg) visit(item);
    else if (arg !== null && typeof arg === "object") {
      const record = arg as { readonly [key: string]: MessageArg | undefined };
      if (typeof record.id === "string" && typeof record.name === "string" && !names.has(record.id)) names.set(record.id, record.name);
      for (const value of Object.values(record)) visit(value);
    }
  };
  for (const finding of report.findings) visit(finding.messageArgs);
  return names;
}

function count(n: number): string {
  return groupDigits(n, 0);
}

function summarySection({ report, labels, html, lang }: Page): string {
  const s = report.summary;
  const cards = [
    card(count(s.findings), labels.findings, "total"),
    ...SEVERITIES.map((severity) => card(count(s.bySeverity[severity] ?? 0), labels.severity[severity], `sev-${severity}`)),
    card(count(report.partners?.length ?? 0), html.offendingPartners, "partners"),
    card(count(s.events), labels.events, "events"),
    card(count(s.rejected), labels.rejected, s.rejected > 0 ? "rejected" : "events"),
  ];
  const money = new Map<string, number>();
  for (const partner of report.partners ?? []) for (const [currency, amount] of Object.entries(partner.amountAtStake)) money.set(currency, (money.get(currency) ?? 0) + amount);
  if (money.size > 0) {
    const amounts = [...money.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([currency, amount]) => formatAmount(amount, currency, lang));
    cards.push(card(amounts.join("<br>"), labels.amountAtStake, "money", true));
  }
  const byKind = `<table class="grid"><thead><tr><th>${h(labels.kindHeading)}</th>${SEVERITIES.map((sev) => `<th class="num">${h(labels.severity[sev])}</th>`).join("")}<th class="num">${h(labels.total)}</th></tr></thead><tbody>${CONFLICT_KINDS.map((kind) => {
    const counts = SEVERITIES.map((severity) => report.findings.filter((f) => f.kind === kind && f.severity === severity).length);
    return `<tr><td>${kindBadge(kind, labels)}</td>${counts.map((n) => `<td class="num">${count(n)}</td>`).join("")}<td class="num"><b>${count(counts.reduce((a, b) => a + b, 0))}</b></td></tr>`;
  }).join("")}</tbody></table>`;
  const extra: string[] = [];
  if (s.baseline) extra.push(`<p class="note">${h(html.baseline(s.baseline))}</p>`);
  if (report.suppressed && report.suppressed.length > 0) extra.push(`<p class="note">${h(html.suppressedCount(report.suppressed.length))}</p>`);
  return `<section id="summary"><h2>${h(html.summary)}</h2><div class="cards">${cards.join("")}</div>${byKind}${extra.join("")}</section>`;
}

function card(value: string, label: string, className: string, raw = false): string {
  return `<div class="card ${className}"><div class="value">${raw ? value : h(value)}</div><div class="label">${h(label)}</div></div>`;
}

function kindBadge(kind: Finding["kind"], labels: ReportLabels): string {
  return `<span class="kind" style="--c:${KIND_COLORS[kind]}">${h(labels.kind[kind])}</span>`;
}

function severityBadge(severity: Finding["severity"], labels: ReportLabels): string {
  return `<span class="sev sev-${severity}">${h(labels.severity[severity])}</span>`;
}

function chartsSection(charts: readonly RenderedChart[], html: HtmlLabels): string {
  if (charts.length === 0) return "";
  const figures = charts.map(
    (chart) =>
      `<figure id="${chart.id}" class="chart"><figcaption>${h(chart.title)}</figcaption>` +
      `<ul class="legend">${chart.legend.map((item) => `<li><i style="background:${item.color}"></i>${h(item.name)}</li>`).join("")}</ul>` +
      `${chart.svg}${chart.note ? `<p class="note">${h(chart.note)}</p>` : ""}</figure>`,
  );
  return `<section id="charts"><h2>${h(html.charts)}</h2><div class="charts">${figures.join("\n")}</div></section>`;
}

function scorecardSection({ report, labels, lang, partnerName }: Page): string {
  const partners = report.partners ?? [];
  if (partners.length === 0) return "";
  const rows = partners.map((partner) => {
    const money = Object.entries(partner.amountAtStake).map(([currency, amount]) => formatAmount(amount, currency, lang)).join("<br>");
    const severities = SEVERITIES.filter((sev) => partner.bySeverity[sev]).map((sev) => `${severityBadge(sev, labels)} ${count(partner.bySeverity[sev] as number)}`).join(" ");
    return `<tr><td>${h(partnerName(partner.id))}</td><td>${h(Object.hasOwn(labels.channelName, partner.channel) ? labels.channelName[partner.channel as keyof ReportLabels["channelName"]] : partner.channel)}</td><td><span class="tier tier-${partner.tier}">${h(labels.tier[partner.tier])}</span></td><td class="num">${partner.score.toFixed(1)}</td><td class="num">${count(partner.findings)}</td><td>${severities}</td><td class="num">${count(partner.repeatOffences)}</td><td class="num">${money}</td></tr>`;
  });
  const head = [labels.partner, labels.channel, labels.tierHeading, labels.score, labels.findings, labels.severityHeading, labels.repeatOffences, labels.amountAtStake];
  const numeric = new Set([3, 4, 6, 7]);
  return `<section id="scorecard"><h2>${h(labels.scorecard)}</h2><table class="grid"><thead><tr>${head.map((text, i) => `<th${numeric.has(i) ? ' class="num"' : ""}>${h(text)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table></section>`;
}

function findingsSection(page: Page): string {
  const { report, labels, html, partnerName } = page;
  if (report.findings.length === 0) return `<section id="findings"><h2>${h(html.findingsHeading)}</h2><p>${h(html.noFindings)}</p></section>`;
  const kinds = CONFLICT_KINDS.filter((kind) => report.findings.some((f) => f.kind === kind));
  const severities = SEVERITIES.filter((severity) => report.findings.some((f) => f.severity === severity));
  const partnerIds = [...new Set(report.findings.flatMap((f) => f.partners))].sort();
  const select = (name: string, label: string, options: readonly (readonly [string, string])[]) =>
    `<label>${h(label)} <select data-filter="${name}"><option value="">${h(html.filterAll)}</option>${options.map(([value, text]) => `<option value="${h(value)}">${h(text)}</option>`).join("")}</select></label>`;
  const filters = `<form class="filters" id="filters">${select("kind", labels.kindHeading, kinds.map((kind) => [kind, labels.kind[kind]]))}${select("severity", labels.severityHeading, severities.map((sev) => [sev, labels.severity[sev]]))}${select("partner", labels.partner, partnerIds.map((id) => [id, partnerName(id)]))}<span class="shown">${html.shown("shown-count", report.findings.length)}</span></form>`;
  return `<section id="findings"><h2>${h(html.findingsHeading)}</h2>${filters}\n${report.findings.map((finding) => findingArticle(finding, page)).join("\n")}</section>`;
}

function findingArticle(finding: Finding, page: Page): string {
  const { labels, html, partnerName, lang, zone } = page;
  const time = (iso: string) => timeText(Date.parse(iso), zone, lang);
  const partners = finding.partners.map((id, i) => `<li>${h(partnerName(id))}${i === 0 ? ` <span class="muted">(${h(html.partnerOffender)})</span>` : ""}</li>`).join("");
  const events = finding.eventIds.slice(0, SHOWN_EVENTS).map((id) => `<code>${h(id)}</code>`).join(" ");
  const more = finding.eventIds.length > SHOWN_EVENTS ? ` <span class="muted">${h(html.moreEvents(finding.eventIds.length - SHOWN_EVENTS))}</span>` : "";
  const refs = finding.refs.map((ref) => `<code>${h(ref.type)}:${h(ref.id)}</code>`).join(" ");
  const rows: [string, string][] = [
    [labels.partners, `<ul class="plain">${partners}</ul>`],
    [labels.count, count(finding.count)],
    [labels.firstSeen, h(time(finding.firstSeen))],
    [labels.lastSeen, h(time(finding.lastSeen))],
  ];
  if (finding.eventIds.length > 0) rows.push([labels.evidence, events + more]);
  if (finding.refs.length > 0) rows.push([labels.refs, refs]);
  if (finding.sinceBaseline) rows.push(["", h(`${html.sinceBaseline(finding.sinceBaseline.count)}: ${finding.sinceBaseline.eventIds.join(", ")}`)]);
  const rule = page.rules.get(finding.ruleId);
  const conditions = rule
    ? `<ul class="conditions">${conditionItem(rule.conditions, finding.facts, html)}</ul>`
    : `<p class="muted">${h(html.ruleNotInReport)}</p>`;
  const facts = Object.entries(finding.facts).map(([name, value]) => `<tr><th>${h(name)}</th><td><code>${h(JSON.stringify(value))}</code></td></tr>`).join("");
  return `<article class="finding" id="${h(finding.id)}" data-kind="${h(finding.kind)}" data-severity="${h(finding.severity)}" data-partners="${h(JSON.stringify(finding.partners))}">
<div class="head"><a class="rank" href="#${h(finding.id)}">${h(labels.rank === "#" ? `#${finding.rank}` : `${labels.rank} ${finding.rank}`)}</a> ${severityBadge(finding.severity, labels)} ${kindBadge(finding.kind, labels)} <span class="score">${h(labels.score)} ${finding.score.toFixed(1)}</span> <span class="status">${h(labels.status[finding.status])}</span></div>
<h3>${h(finding.title)}</h3>
<p class="message">${h(finding.message)}</p>
${finding.remediation ? `<p class="remediation"><b>${h(labels.remediation + labels.colon.trimEnd())}</b> ${h(finding.remediation)}</p>` : ""}
<table class="meta">${rows.map(([label, value]) => `<tr><th>${h(label)}</th><td>${value}</td></tr>`).join("")}</table>
<details><summary>${h(labels.conditions)} · <code>${h(finding.ruleId)}</code></summary>${conditions}<p class="muted">${h(html.explainHint(`channel-conflict explain <dataset> --finding ${finding.id}`))}</p></details>
<details><summary>${h(labels.facts)}</summary><table class="facts">${facts}</table></details>
<p class="ids muted">id <code>${h(finding.id)}</code> · fingerprint <code>${h(finding.fingerprint)}</code></p>
</article>`;
}

/** `2025-02-14 20:10` (en) or `2025年2月14日 20:10` (zh-CN) on the zone's clocks. */
function timeText(ms: number, zone: TimeZone, lang: Lang): string {
  const clock = new Date(zone.wallTimeOf(ms)).toISOString().slice(11, 16);
  return `${wordsFor(lang, zone).day(ms)} ${clock}`;
}

const OPERATORS: Readonly<Record<string, string>> = {
  equal: "=",
  notEqual: "≠",
  lessThan: "<",
  lessThanInclusive: "≤",
  greaterThan: ">",
  greaterThanInclusive: "≥",
};

/** A condition tree as nested lists; each leaf beside the value its fact had in the decisive occurrence. */
function conditionItem(node: Condition, facts: Finding["facts"], html: HtmlLabels): string {
  if ("all" in node || "any" in node) {
    const children = "all" in node ? node.all : node.any;
    return `<li>${h("all" in node ? html.allOf : html.anyOf)}<ul>${children.map((child) => conditionItem(child, facts, html)).join("")}</ul></li>`;
  }
  if ("not" in node) return `<li>${h(html.not)}<ul>${conditionItem(node.not, facts, html)}</ul></li>`;
  const operator = OPERATORS[node.operator] ?? node.operator;
  const reference = node.value !== null && typeof node.value === "object" && typeof (node.value as { fact?: unknown }).fact === "string" ? (node.value as { fact: string }).fact : undefined;
  const value = reference !== undefined ? `<code>${h(reference)}</code>` : `<code>${h(JSON.stringify(node.value) ?? "undefined")}</code>`;
  const seen = (name: string) => (Object.hasOwn(facts, name) ? `<code>${h(JSON.stringify(facts[name]))}</code>` : `<span class="muted">${h(html.noSuchFact)}</span>`);
  const actual = node.path ? "" : ` <span class="here">— ${h(html.here)}: ${seen(node.fact)}${reference !== undefined ? `, ${h(reference)} ${seen(reference)}` : ""}</span>`;
  return `<li><code>${h(node.fact)}${node.path ? ` ${h(node.path)}` : ""}</code> ${h(operator)} ${value}${actual}</li>`;
}

function notesSection({ report, labels, html, lang }: Page): string {
  const s = report.summary;
  const parts: string[] = [];
  const skipped = skippedChecks(report, lang);
  if (skipped.length > 0) parts.push(`<h3>${h(labels.skippedChecks)}</h3><ul>${skipped.map(([reason, n]) => `<li>${h(reason)}${h(labels.colon)}${count(n)}</li>`).join("")}</ul>`);
  if (report.suppressed && report.suppressed.length > 0) {
    parts.push(`<h3>${h(labels.suppressed)}</h3><ul>${report.suppressed.map((hidden) => `<li><code>${h(hidden.ruleId)}</code> ${h(hidden.partners[0] ?? "")} (<code>${h(hidden.fingerprint)}</code>): ${h(hidden.reason)}${hidden.by ? ` — ${h(hidden.by)}` : ""}</li>`).join("")}</ul>`);
  }
  if (report.rejected.length > 0) {
    const shown = report.rejected.slice(0, SHOWN_REJECTIONS);
    const where = (r: (typeof shown)[number]) => `${r.file}:${r.line ?? (r.index !== undefined ? `[${r.index}]` : "?")}`;
    parts.push(`<h3>${h(html.rejectedRecords)} (${count(report.rejected.length)})</h3><p class="muted">${h(html.firstRejections(shown.length, report.rejected.length))}</p><ul>${shown.map((r) => `<li><code>${h(where(r))}</code> ${h(rejectionReason(r, lang))}</li>`).join("")}</ul>`);
  }
  if (s.warnings.length > 0) parts.push(`<h3>${h(labels.warnings)}</h3><ul>${s.warnings.map((w) => `<li>${h(w.message)}</li>`).join("")}</ul>`);
  return parts.length > 0 ? `<section id="notes">${parts.join("")}</section>` : "";
}

// The filters: hide the findings that do not match; a link to `#<id>` clears them so its finding shows;
// printing opens every <details>. Without script every finding shows, so the page is whole either way.
const SCRIPT = `(() => {
  const selects = [...document.querySelectorAll("select[data-filter]")];
  const findings = [...document.querySelectorAll("article.finding")];
  const shown = document.getElementById("shown-count");
  const apply = () => {
    const want = Object.fromEntries(selects.map((s) => [s.dataset.filter, s.value]));
    let n = 0;
    for (const f of findings) {
      const ok = (!want.kind || f.dataset.kind === want.kind) && (!want.severity || f.dataset.severity === want.severity) &&
        (!want.partner || JSON.parse(f.dataset.partners).includes(want.partner));
      f.hidden = !ok;
      if (ok) n++;
    }
    if (shown) shown.textContent = String(n);
  };
  for (const s of selects) s.addEventListener("change", apply);
  const reveal = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id ? document.getElementById(id) : null;
    if (target && target.hidden) { for (const s of selects) s.value = ""; apply(); target.scrollIntoView(); }
  };
  addEventListener("hashchange", reveal);
  addEventListener("beforeprint", () => { for (const d of document.querySelectorAll("details")) d.open = true; });
  reveal();
})();`;

function css(): string {
  const severities = SEVERITIES.map((sev) => `.sev-${sev}{--c:${SEVERITY_COLORS[sev]}}`).join("");
  return `
:root{color-scheme:light;--ink:#1f2328;--muted:#656d76;--line:#d8dee4;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1120px;padding:24px;font:14px/1.55 ${FONT_STACK};color:var(--ink);background:#fff}
h1{font-size:24px;margin:0 0 8px}h2{font-size:19px;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}h3{font-size:16px;margin:6px 0}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg);padding:1px 4px;border-radius:4px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:16px}
.card{flex:1 1 110px;border:1px solid var(--line);border-radius:8px;padding:10px 12px;border-top:4px solid var(--c,#adb5bd)}
.card .value{font-size:22px;font-weight:600}.card.money .value{font-size:16px}.card .label{color:var(--muted);font-size:12.5px}
.card.total{--c:#1f2328}.card.rejected{--c:#e8590c}
${severities}
table.grid{border-collapse:collapse;width:100%;margin:8px 0}
table.grid th,table.grid td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
table.grid th{background:var(--bg);font-weight:600}.num{text-align:right!important;white-space:nowrap}
.sev,.kind,.tier{display:inline-block;padding:0 7px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--c);white-space:nowrap}
.sev-medium{color:#1f2328}
.tier{background:#e9ecef;color:#1f2328}.tier-review{background:#ffe8cc}.tier-audit{background:#ffc9c9}.tier-hold{background:#c92a2a;color:#fff}
.charts{display:grid;grid-template-columns:1fr;gap:18px}
figure.chart{margin:0;border:1px solid var(--line);border-radius:8px;padding:10px;overflow-x:auto}
figure.chart figcaption{font-weight:600;margin-bottom:4px}
ul.legend{list-style:none;margin:0 0 4px;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12.5px;color:var(--muted)}
ul.legend i{display:inline-block;width:14px;height:10px;border-radius:3px;margin-right:6px;vertical-align:0}figure.chart svg{max-width:100%;height:auto}
.filters{position:sticky;top:0;background:#fff;padding:10px 0;border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:14px;align-items:center;z-index:1}
.filters select{font:inherit;padding:2px 4px;max-width:280px}.shown{color:var(--muted)}
article.finding{border:1px solid var(--line);border-left:5px solid var(--c);border-radius:8px;padding:12px 16px;margin:14px 0;break-inside:avoid}
article.finding:target{box-shadow:0 0 0 3px #74c0fc}
${SEVERITIES.map((sev) => `article.finding[data-severity="${sev}"]{--c:${SEVERITY_COLORS[sev]}}`).join("")}
.head{display:flex;flex-wrap:wrap;gap:8px;align-items:center;color:var(--muted)}.rank{font-weight:700;color:var(--ink);text-decoration:none}
.message{margin:6px 0}.remediation{margin:6px 0;padding:6px 10px;background:#fff9db;border-radius:6px}
table.meta th,table.facts th{text-align:left;color:var(--muted);font-weight:500;padding:2px 14px 2px 0;vertical-align:top;white-space:nowrap}
table.meta td,table.facts td{padding:2px 0}
ul.plain{list-style:none;margin:0;padding:0}
ul.conditions,ul.conditions ul{margin:4px 0;padding-left:20px}.here{color:var(--muted)}
details{margin:6px 0}summary{cursor:pointer;color:#0969da}
.muted{color:var(--muted)}.note{color:var(--muted);font-size:12.5px;margin:4px 0}.ids{font-size:12px;margin:6px 0 0}
footer{margin-top:36px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
@media print{body{max-width:none;padding:0}.filters{display:none}article.finding[hidden]{display:block!important}details::details-content{content-visibility:visible;display:block}figure.chart,table.grid tr{break-inside:avoid}summary{color:inherit}}
`;
}
