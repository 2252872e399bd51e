import { groupDigits } from "../messages/numbers.js";
import type { Lang } from "../messages/types.js";

/** What the html report says beyond the shared labels (`reportLabels`): its headings, charts and controls. */
export interface HtmlLabels {
  title(dataset: string): string;
  readonly summary: string;
  readonly charts: string;
  readonly chartPartners: string;
  readonly chartTimeByDay: string;
  readonly chartTimeByMonth: string;
  readonly chartMoney: string;
  topOf(shown: number, all: number): string;
  readonly findingsHeading: string;
  readonly filterAll: string;
  shown(shownId: string, total: number): string;
  readonly noFindings: string;
  readonly offendingPartners: string;
  readonly rejectedRecords: string;
  readonly partnerOffender: string;
  moreEvents(count: number): string;
  readonly allOf: string;
  readonly anyOf: string;
  readonly not: string;
  readonly here: string;
  readonly noSuchFact: string;
  explainHint(command: string): string;
  readonly ruleNotInReport: string;
  baseline(counts: { new: number; worse: number; known: number; resolved: number }): string;
  sinceBaseline(count: number): string;
  suppressedCount(count: number): string;
  firstRejections(shown: number, all: number): string;
  footer(version: string | undefined, zone: string): string;
}

const plural = (n: number, one: string, many: string) => `${groupDigits(n, 0)} ${n === 1 ? one : many}`;

const EN: HtmlLabels = {
  title: (dataset) => `Channel conflicts — ${dataset}`,
  summary: "Summary",
  charts: "Charts",
  chartPartners: "Findings by offending partner and kind",
  chartTimeByDay: "Findings by the day they began, by severity",
  chartTimeByMonth: "Findings by the month they began, by severity",
  chartMoney: "Money at stake by offending partner",
  topOf: (shown, all) => `The ${shown} partners with the most, of ${groupDigits(all, 0)}; the scorecard lists all.`,
  findingsHeading: "Findings",
  filterAll: "all",
  shown: (shownId, total) => `Showing <span id="${shownId}">${total}</span> of ${plural(total, "finding", "findings")}.`,
  noFindings: "No conflicts found.",
  offendingPartners: "offending partners",
  rejectedRecords: "Rejected records",
  partnerOffender: "offender",
  moreEvents: (count) => `and ${plural(count, "more", "more")}`,
  allOf: "all of",
  anyOf: "any of",
  not: "not",
  here: "here",
  noSuchFact: "no such fact",
  explainHint: (command) => `Every condition traced on the occurrence: ${command}`,
  ruleNotInReport: "The rule is not in the rule set this report was written with.",
  baseline: ({ new: fresh, worse, known, resolved }) =>
    `Against the baseline: ${groupDigits(fresh, 0)} new${worse > 0 ? ` (${groupDigits(worse, 0)} of them known, with new occurrences)` : ""}, ${groupDigits(known, 0)} known (left out), ${groupDigits(resolved, 0)} resolved.`,
  sinceBaseline: (count) => `New since the baseline: ${plural(count, "occurrence", "occurrences")}`,
  suppressedCount: (count) => `${plural(count, "finding", "findings")} hidden by suppressions`,
  firstRejections: (shown, all) => (all > shown ? `The first ${shown} of ${groupDigits(all, 0)} (the JSON report lists them all).` : ""),
  footer: (version, zone) => `channel-conflict${version ? ` ${version}` : ""} · times in ${zone}`,
};

const ZH_CN: HtmlLabels = {
  title: (dataset) => `渠道冲突检查报告 — ${dataset}`,
  summary: "概览",
  charts: "图表",
  chartPartners: "各合作伙伴的问题数（按类型）",
  chartTimeByDay: "每日新发问题数（按严重程度）",
  chartTimeByMonth: "每月新发问题数（按严重程度）",
  chartMoney: "各合作伙伴涉及金额",
  topOf: (shown, all) => `仅列出问题最多的 ${shown} 家（共 ${groupDigits(all, 0)} 家），完整名单见评分卡。`,
  findingsHeading: "问题明细",
  filterAll: "全部",
  shown: (shownId, total) => `显示 <span id="${shownId}">${total}</span> 条，共 ${groupDigits(total, 0)} 条。`,
  noFindings: "未发现渠道冲突。",
  offendingPartners: "家违规伙伴",
  rejectedRecords: "被拒收的记录",
  partnerOffender: "违规方",
  moreEvents: (count) => `另有 ${groupDigits(count, 0)} 条`,
  allOf: "以下全部满足",
  anyOf: "以下任一满足",
  not: "以下不成立",
  here: "本次",
  noSuchFact: "无此数据",
  explainHint: (command) => `逐条查看每个条件的判定：${command}`,
  ruleNotInReport: "生成本报告的规则集中没有这条规则。",
  baseline: ({ new: fresh, worse, known, resolved }) =>
    `与基线相比：新增 ${groupDigits(fresh, 0)} 条${worse > 0 ? `（其中 ${groupDigits(worse, 0)} 条为已知问题再次发生）` : ""}，已知 ${groupDigits(known, 0)} 条（未列出），已解决 ${groupDigits(resolved, 0)} 条。`,
  sinceBaseline: (count) => `基线之后新增 ${groupDigits(count, 0)} 次`,
  suppressedCount: (count) => `${groupDigits(count, 0)} 条问题已按豁免清单隐藏`,
  firstRejections: (shown, all) => (all > shown ? `仅列出前 ${shown} 条（共 ${groupDigits(all, 0)} 条），完整列表见 JSON 报告。` : ""),
  footer: (version, zone) => `channel-conflict${version ? ` ${version}` : ""} · 时间均为 ${zone} 时间`,
};

const LABELS: Readonly<Record<Lang, HtmlLabels>> = { en: EN, "zh-CN": ZH_CN };

/** The html report's own labels in `lang`. */
export function htmlLabels(lang: Lang): HtmlLabels {
  return LABELS[lang];
}
