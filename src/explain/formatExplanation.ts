import type { Lang } from "../messages/types.js";
import type { EventExplanation, ExplainedCondition, Explanation, FindingExplanation, RuleTrace } from "./explain.js";

/** The words of an explanation in one language; the reasons and messages inside it are already in the scan's. */
interface ExplanationLabels {
  finding(id: string, ruleId: string, severity: string, kind: string, count: number): string;
  ruleOnOccurrence(ruleId: string, check: string, fires: boolean): string;
  event(id: string, type: string, partnerId: string, sku: string, at: string): string;
  fired(rules: readonly string[]): string;
  notJudged(reason: string | undefined): string;
  verdict(fired: boolean): string;
  candidate(check: string, fires: boolean): string;
  skipped(reason: string): string;
  noEnabledRule(kinds: readonly string[]): string;
  readonly allOf: string;
  readonly anyOf: string;
  readonly not: string;
  readonly notReached: string;
  is(value: string): string;
  readonly noSuchFact: string;
}

const EN: ExplanationLabels = {
  finding: (id, ruleId, severity, kind, count) => `Finding ${id} — ${ruleId} (${severity}, ${kind}), ${count} occurrence${count === 1 ? "" : "s"}`,
  ruleOnOccurrence: (ruleId, check, fires) => `Rule ${ruleId} on the decisive occurrence (the worst; check ${check}): ${fires ? "fires" : "does not fire"}`,
  event: (id, type, partnerId, sku, at) => `Event ${id} — ${type} by ${partnerId} of ${sku} at ${at}`,
  fired: (rules) => `Fired: ${rules.length > 0 ? rules.join(", ") : "no rule"}`,
  notJudged: (reason) => `not judged — ${reason ?? "no candidate"}`,
  verdict: (fired) => (fired ? "fired" : "did not fire"),
  candidate: (check, fires) => `on the ${check} candidate: ${fires ? "fires" : "does not fire"}`,
  skipped: (reason) => `skipped: ${reason}`,
  noEnabledRule: (kinds) => `No enabled rule: ${kinds.join(", ")}`,
  allOf: "all of:",
  anyOf: "any of:",
  not: "not:",
  notReached: "not reached",
  is: (value) => `is ${value}`,
  noSuchFact: "no such fact",
};

const ZH_CN: ExplanationLabels = {
  finding: (id, ruleId, severity, kind, count) => `问题 ${id} — ${ruleId}（${severity}，${kind}），共 ${count} 次`,
  ruleOnOccurrence: (ruleId, check, fires) => `规则 ${ruleId} 在关键一次（最严重的一次；检查项 ${check}）上的判定：${fires ? "触发" : "未触发"}`,
  event: (id, type, partnerId, sku, at) => `事件 ${id} — ${partnerId} 的 ${type}，产品 ${sku}，时间 ${at}`,
  fired: (rules) => `触发的规则：${rules.length > 0 ? rules.join("、") : "无"}`,
  notJudged: (reason) => `未判定 — ${reason ?? "没有可判定的候选"}`,
  verdict: (fired) => (fired ? "触发" : "未触发"),
  candidate: (check, fires) => `检查项 ${check} 的候选：${fires ? "触发" : "未触发"}`,
  skipped: (reason) => `未能检查：${reason}`,
  noEnabledRule: (kinds) => `没有启用的规则：${kinds.join("、")}`,
  allOf: "以下全部满足：",
  anyOf: "以下任一满足：",
  not: "以下不成立：",
  notReached: "未判定到",
  is: (value) => `实际为 ${value}`,
  noSuchFact: "无此数据",
};

const LABELS: Readonly<Record<Lang, ExplanationLabels>> = { en: EN, "zh-CN": ZH_CN };

/**
 * An explanation as text for people: one line per condition, marked held (✓), failed (✗) or not reached (·).
 * `lang` sets the labels (default English); reasons and messages are in the language the explanation was made in.
 */
export function formatExplanation(explanation: Explanation, options: { readonly lang?: Lang } = {}): string {
  const labels = LABELS[options.lang ?? "en"];
  const lines = explanation.target === "finding" ? findingLines(explanation, labels) : eventLines(explanation, labels);
  return lines.join("\n") + "\n";
}

function findingLines({ finding, rule }: FindingExplanation, labels: ExplanationLabels): string[] {
  return [
    labels.finding(finding.id, finding.ruleId, finding.severity, finding.kind, finding.count),
    `  ${finding.message}`,
    "",
    labels.ruleOnOccurrence(rule.ruleId, rule.check, rule.fires),
    ...conditionLines(rule.conditions, "  ", labels),
  ];
}

function eventLines(explanation: EventExplanation, labels: ExplanationLabels): string[] {
  const { event } = explanation;
  const lines = [labels.event(event.id, event.type, event.partnerId, event.sku, event.occurredAt), labels.fired(explanation.fired)];
  for (const kind of explanation.kinds) {
    const params = Object.entries(kind.params).map(([name, value]) => `${name} ${value}`);
    lines.push("", `${kind.kind}${params.length > 0 ? ` (${params.join(", ")})` : ""}`);
    for (const rule of kind.rules) {
      const head = `  ${rule.ruleId} (${rule.severity})`;
      if (rule.verdict === "no-candidate") {
        lines.push(`${head}: ${labels.notJudged(rule.reason)}`);
        continue;
      }
      lines.push(`${head}: ${labels.verdict(rule.verdict === "fired")}`);
      for (const candidate of rule.candidates) lines.push(...candidateLines(candidate, rule.candidates.length > 1, labels));
    }
    for (const reason of kind.skipped) lines.push(`  ${labels.skipped(reason)}`);
  }
  if (explanation.kindsWithoutRules.length > 0) lines.push("", labels.noEnabledRule(explanation.kindsWithoutRules));
  return lines;
}

function candidateLines(trace: RuleTrace, several: boolean, labels: ExplanationLabels): string[] {
  const head = several ? [`    ${labels.candidate(trace.check, trace.fires)}`] : [];
  return [...head, ...conditionLines(trace.conditions, several ? "      " : "    ", labels)];
}

/** A condition tree, one line per node; a root `all`/`any` is written as a heading only when it nests. */
function conditionLines(node: ExplainedCondition, indent: string, labels: ExplanationLabels): string[] {
  const mark = (held: boolean | null) => (held === true ? "✓" : held === false ? "✗" : "·");
  if ("all" in node || "any" in node) {
    const children = "all" in node ? node.all : node.any;
    const label = "all" in node ? labels.allOf : labels.anyOf;
    return [`${indent}${mark(node.held)} ${label}`, ...children.flatMap((child) => conditionLines(child, indent + "  ", labels))];
  }
  if ("not" in node) return [`${indent}${mark(node.held)} ${labels.not}`, ...conditionLines(node.not, indent + "  ", labels)];
  const fact = node.path ? `${node.fact} ${node.path}` : node.fact;
  const compared = "expected" in node ? ` ${show(node.value)} (= ${show(node.expected)})` : ` ${show(node.value)}`;
  const seen = node.held === null ? labels.notReached : "actual" in node ? labels.is(show(node.actual)) : labels.noSuchFact;
  return [`${indent}${mark(node.held)} ${fact} ${node.operator}${compared} — ${seen}`];
}

function show(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}
