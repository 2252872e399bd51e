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
}

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
};

// Written as a 渠道经理 reads a report: 窜货 and 撞单 are the words of the trade; the tiers go from watching a
// partner to stopping its supply.
const ZH_CN: ReportLabels = {
  severity: { critical: "严重", high: "高", medium: "中", low: "低" },
  kind: {
    "price-deviation": "价格违规",
    "territory-overlap": "授权区域重叠",
    "cross-region-shipping": "窜货",
    "customer-poaching": "撞单抢客",
  },
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
};

const LABELS: Readonly<Record<Lang, ReportLabels>> = { en: EN, "zh-CN": ZH_CN };

/** The report labels of `lang` (default English). */
export function reportLabels(lang: Lang = "en"): ReportLabels {
  return LABELS[lang];
}
