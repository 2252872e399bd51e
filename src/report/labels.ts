import type { Severity } from "../core/types.js";
import type { ConflictKind } from "../detectors/registry.js";
import type { PartnerTier } from "../findings/scorePartners.js";
import type { Lang } from "../messages/types.js";
import type { Channel } from "../schema/primitives.js";

/**
 * The words of the reports' labels in one language: names of severities, kinds, tiers and statuses, and
 * the headings reports share (table, markdown, html). Codes (`critical`, `price-deviation`) stay codes in
 * JSON, CSV headers and SARIF properties; these are only what a person reads beside them.
 */
export interface ReportLabels {
  readonly severity: Readonly<Record<Severity, string>>;
  readonly kind: Readonly<Record<ConflictKind, string>>;
  readonly tier: Readonly<Record<PartnerTier, string>>;
  readonly status: Readonly<Record<"open" | "closed", string>>;
  /** Sales channels, and `unknown` for a partner the scorecard has no record of. */
  readonly channelName: Readonly<Record<Channel | "unknown", string>>;
  readonly rank: string;
  readonly score: string;
  readonly severityHeading: string;
  readonly kindHeading: string;
  readonly rule: string;
  readonly partner: string;
  readonly partners: string;
  readonly channel: string;
  readonly findings: string;
  readonly count: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly message: string;
  readonly remediation: string;
  readonly evidence: string;
  readonly refs: string;
  readonly conditions: string;
  readonly facts: string;
  readonly total: string;
  readonly amountAtStake: string;
  readonly repeatOffences: string;
  readonly tierHeading: string;
  readonly scorecard: string;
  readonly events: string;
  readonly rejected: string;
  readonly warnings: string;
  readonly skippedChecks: string;
  readonly suppressed: string;
  /** A kind in a table cell (markdown's table of kinds): the code in English, as before; the name elsewhere. */
  readonly kindCell: Readonly<Record<ConflictKind, string>>;
  /** What a finding's ref or evidence record is (`territory T-9`, `event o-1042`), by `refs[].type`. */
  readonly recordType: Readonly<Record<string, string>>;
  /** The heading of markdown reports. */
  readonly reportTitle: string;
  readonly noConflicts: string;
  /** What goes between a label and its text (`: `, `：`). */
  readonly colon: string;
  /** Between items of a list in a sentence (`, `, `、`). */
  readonly comma: string;
  /** `12 findings`. */
  findingCount(n: number): string;
  /** `3 critical` in a summary's list of severities. */
  severityCount(n: number, severity: Severity): string;
  /** The summary line of a table: findings (by severity, `severities` already joined), events, rejected event records. */
  summaryLine(findings: number, severities: string, events: number, rejected: number): string;
  /** The summary line of markdown (`strong` marks the count of findings). */
  markdownSummary(findings: number, events: number, rejected: number, strong: (text: string) => string): string;
  /** The baseline's line (`strong` marks the new findings). */
  baselineLine(baseline: { readonly new: number; readonly worse: number; readonly known: number; readonly resolved: number }, strong: (text: string) => string): string;
  /** What a finding has beyond its baseline (`ids` already listed, maybe empty). */
  sinceBaseline(count: number, ids: string): string;
  /** Hidden findings, as a heading (`Suppressed: 2:`) or before their list in one line (`Suppressed: 2 (…).`). */
  suppressedHeading(n: number): string;
  suppressedLine(n: number, list: string): string;
  /** Skipped checks in one line (`items` already joined). */
  skippedLine(items: string): string;
  /** One skipped check in that line: its text and how often. */
  skippedItem(text: string, n: number): string;
  /** Rejected records, as a heading (`shown`: how many follow, when fewer than all). */
  rejectedHeading(n: number, shown: number | undefined): string;
  /** The markdown summary of rejected records (`Rejected records (44)`). */
  rejectedSummary(n: number): string;
  /** `…and 39 more.` after a shortened list (`seeJson`: point at the JSON report). */
  andMore(n: number, seeJson: boolean): string;
  /** Before each warning's text in the table. */
  readonly warningPrefix: string;
  /** A scorecard entry's line in the table (`money` already formatted and joined, maybe empty). */
  scorecardLine(findings: number, repeats: number, money: string): string;
  /** The heading of the top findings in markdown. */
  topFindings(n: number): string;
  /** JUnit: the failure message of a rule (`n` findings at or above `severity`, then the first's message). */
  failureMessage(n: number, severity: string, first: string): string;
  /** JUnit: a finding's line under its message (`finding 1a2b (rank 1, score 87.5)`). */
  findingLine(id: string, rank: number, score: number): string;
  /** JUnit: the severity before a finding's message. */
  severityTag(severity: Severity): string;
  /** SARIF: the notification after the first rejected records. */
  moreRejections(n: number): string;
  /** The command line's stderr: the prefix of a warning (after `channel-conflict`). */
  readonly stderrWarning: string;
  /** The command line's progress line on a terminal. */
  progress(phase: "reading" | "scanning", count: string, rate: string, findings: number): string;
  /** The command line's last line of a refused rule set. */
  ruleProblems(n: number): string;
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

const EN: ReportLabels = {
  severity: { critical: "critical", high: "high", medium: "medium", low: "low" },
  kind: {
    "price-deviation": "price deviation",
    "territory-overlap": "territory overlap",
    "cross-region-shipping": "cross-region shipping",
    "customer-poaching": "customer poaching",
  },
  tier: { monitor: "monitor", review: "review", audit: "audit", hold: "hold" },
  status: { open: "open", closed: "closed" },
  channelName: { direct: "direct", distributor: "distributor", reseller: "reseller", retail: "retail", ecommerce: "e-commerce", marketplace: "marketplace", unknown: "unknown" },
  rank: "#",
  score: "score",
  severityHeading: "severity",
  kindHeading: "kind",
  rule: "rule",
  partner: "partner",
  partners: "partners",
  channel: "channel",
  findings: "findings",
  count: "occurrences",
  firstSeen: "first seen",
  lastSeen: "last seen",
  message: "what happened",
  remediation: "what to do",
  evidence: "evidence events",
  refs: "reference records",
  conditions: "the rule's conditions",
  facts: "facts of the decisive occurrence",
  total: "total",
  amountAtStake: "money at stake",
  repeatOffences: "repeat offences",
  tierHeading: "tier",
  scorecard: "Partner scorecard",
  events: "events",
  rejected: "rejected records",
  warnings: "Warnings",
  skippedChecks: "Skipped checks",
  suppressed: "Suppressed",
  kindCell: { "price-deviation": "price-deviation", "territory-overlap": "territory-overlap", "cross-region-shipping": "cross-region-shipping", "customer-poaching": "customer-poaching" },
  recordType: { event: "event", territory: "territory", registration: "registration", pricePolicy: "pricePolicy", promotion: "promotion", lot: "lot" },
  reportTitle: "channel-conflict",
  noConflicts: "No conflicts found.",
  colon: ": ",
  comma: ", ",
  findingCount: (n) => plural(n, "finding"),
  severityCount: (n, severity) => `${n} ${severity}`,
  summaryLine: (findings, severities, events, rejected) =>
    `${plural(findings, "finding")}${severities ? ` (${severities})` : ""} from ${events} events; ${plural(rejected, "event record")} rejected.`,
  markdownSummary: (findings, events, rejected, strong) => `${strong(plural(findings, "finding"))} from ${events} events${rejected > 0 ? `, ${rejected} event records rejected` : ""}.`,
  baselineLine: (b, strong) =>
    `Baseline: ${strong(`${b.new} new`)}${b.worse > 0 ? ` (${b.worse} of them known, with new occurrences)` : ""}, ${b.known} known (left out), ${b.resolved} resolved.`,
  sinceBaseline: (count, ids) => `New since the baseline: ${plural(count, "occurrence")}${ids ? `: ${ids}` : ""}`,
  suppressedHeading: (n) => `Suppressed: ${n}:`,
  suppressedLine: (n, list) => `Suppressed: ${n} (${list}).`,
  skippedLine: (items) => `Skipped checks: ${items}.`,
  skippedItem: (text, n) => `${text} (${n})`,
  rejectedHeading: (n, shown) => `Rejected records: ${n}${shown !== undefined ? ` (the first ${shown}; --format json lists them all)` : ""}:`,
  rejectedSummary: (n) => `Rejected records (${n})`,
  andMore: (n, seeJson) => (seeJson ? `…and ${n} more (see the JSON report).` : `…and ${n} more.`),
  warningPrefix: "Warning: ",
  scorecardLine: (findings, repeats, money) => `${plural(findings, "finding")}, ${plural(repeats, "repeat")}${money ? `, ${money} at stake` : ""}`,
  topFindings: (n) => `Top ${plural(n, "finding")}`,
  failureMessage: (n, severity, first) => `${plural(n, "finding")} at or above ${severity}: ${first}`,
  findingLine: (id, rank, score) => `finding ${id} (rank ${rank}, score ${score})`,
  severityTag: (severity) => `${severity}: `,
  moreRejections: (n) => `…and ${n} more rejected records; the JSON report (--format json) lists them all`,
  stderrWarning: "warning: ",
  progress: (phase, count, rate, findings) => `${phase} ${count} events (${rate}/s), ${findings} findings so far`,
  ruleProblems: (n) => `${plural(n, "problem")}; the rule set is refused.`,
};

const ZH_SEVERITY: Readonly<Record<Severity, string>> = { critical: "严重", high: "高", medium: "中", low: "低" };
const ZH_KIND: Readonly<Record<ConflictKind, string>> = {
  "price-deviation": "价格违规",
  "territory-overlap": "授权区域重叠",
  "cross-region-shipping": "窜货",
  "customer-poaching": "撞单抢客",
};

// Written as a 渠道经理 reads a report: 窜货 and 撞单 are the words of the trade; the tiers go from watching a
// partner to stopping its supply.
const ZH_CN: ReportLabels = {
  severity: ZH_SEVERITY,
  kind: ZH_KIND,
  tier: { monitor: "观察", review: "约谈整改", audit: "稽查", hold: "暂停供货" },
  status: { open: "未结束", closed: "已结束" },
  channelName: { direct: "直销", distributor: "经销商", reseller: "分销商", retail: "零售商", ecommerce: "电商", marketplace: "平台商家", unknown: "未知" },
  rank: "排名",
  score: "分值",
  severityHeading: "严重程度",
  kindHeading: "类型",
  rule: "规则",
  partner: "合作伙伴",
  partners: "涉及伙伴",
  channel: "渠道",
  findings: "问题数",
  count: "发生次数",
  firstSeen: "首次发生",
  lastSeen: "最近发生",
  message: "情况",
  remediation: "处理建议",
  evidence: "证据单据",
  refs: "相关主数据",
  conditions: "规则条件",
  facts: "判定依据（关键一次）",
  total: "合计",
  amountAtStake: "涉及金额",
  repeatOffences: "重复违规次数",
  tierHeading: "处置级别",
  scorecard: "合作伙伴评分卡",
  events: "条事件",
  rejected: "条记录被拒收",
  warnings: "警告",
  skippedChecks: "未能检查",
  suppressed: "已豁免",
  kindCell: ZH_KIND,
  recordType: { event: "单据", territory: "授权区域", registration: "客户报备", pricePolicy: "价格政策", promotion: "促销", lot: "批次" },
  reportTitle: "channel-conflict 渠道冲突报告",
  noConflicts: "未发现渠道冲突。",
  colon: "：",
  comma: "、",
  findingCount: (n) => `${n} 个问题`,
  severityCount: (n, severity) => `${ZH_SEVERITY[severity]} ${n} 个`,
  summaryLine: (findings, severities, events, rejected) => `共发现 ${findings} 个问题${severities ? `（${severities}）` : ""}，检查了 ${events} 条事件；${rejected} 条事件记录被拒收。`,
  markdownSummary: (findings, events, rejected, strong) => `${strong(`共发现 ${findings} 个问题`)}，检查了 ${events} 条事件${rejected > 0 ? `，${rejected} 条事件记录被拒收` : ""}。`,
  baselineLine: (b, strong) =>
    `与基线相比：${strong(`新增 ${b.new} 个`)}${b.worse > 0 ? `（其中 ${b.worse} 个是基线里已有、又有新发生的）` : ""}，已知 ${b.known} 个（未列出），已解决 ${b.resolved} 个。`,
  sinceBaseline: (count, ids) => `基线之后新发生 ${count} 次${ids ? `：${ids}` : ""}`,
  suppressedHeading: (n) => `已豁免 ${n} 个：`,
  suppressedLine: (n, list) => `已豁免 ${n} 个（${list}）。`,
  skippedLine: (items) => `未能检查：${items}。`,
  skippedItem: (text, n) => `${text}（${n} 次）`,
  rejectedHeading: (n, shown) => `被拒收的记录：共 ${n} 条${shown !== undefined ? `（以下为前 ${shown} 条，--format json 列出全部）` : ""}：`,
  rejectedSummary: (n) => `被拒收的记录（${n} 条）`,
  andMore: (n, seeJson) => (seeJson ? `……另有 ${n} 条（见 JSON 报告）。` : `……另有 ${n} 条。`),
  warningPrefix: "警告：",
  scorecardLine: (findings, repeats, money) => `问题 ${findings} 个，重复违规 ${repeats} 次${money ? `，涉及金额 ${money}` : ""}`,
  topFindings: (n) => `排名前 ${n} 的问题`,
  failureMessage: (n, severity, first) => `${n} 个问题达到或超过“${ZH_SEVERITY[severity as Severity] ?? severity}”级别：${first}`,
  findingLine: (id, rank, score) => `问题 ${id}（排名 ${rank}，分值 ${score}）`,
  severityTag: (severity) => `【${ZH_SEVERITY[severity]}】`,
  moreRejections: (n) => `……另有 ${n} 条被拒收的记录；JSON 报告（--format json）列出全部`,
  stderrWarning: "警告：",
  progress: (phase, count, rate, findings) => `${phase === "reading" ? "读取" : "检查"} ${count} 条事件（每秒 ${rate} 条），已发现 ${findings} 个问题`,
  ruleProblems: (n) => `规则文件有 ${n} 处问题，规则集未被采用。`,
};

const LABELS: Readonly<Record<Lang, ReportLabels>> = { en: EN, "zh-CN": ZH_CN };

/** The report labels of `lang` (default English). */
export function reportLabels(lang: Lang = "en"): ReportLabels {
  return LABELS[lang];
}
