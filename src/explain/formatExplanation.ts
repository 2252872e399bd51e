import type { EventExplanation, ExplainedCondition, Explanation, FindingExplanation, RuleTrace } from "./explain.js";

/** An explanation as text for people: one line per condition, marked held (✓), failed (✗) or not reached (·). */
export function formatExplanation(explanation: Explanation): string {
  const lines = explanation.target === "finding" ? findingLines(explanation) : eventLines(explanation);
  return lines.join("\n") + "\n";
}

function findingLines({ finding, rule }: FindingExplanation): string[] {
  return [
    `Finding ${finding.id} — ${finding.ruleId} (${finding.severity}, ${finding.kind}), ${finding.count} occurrence${finding.count === 1 ? "" : "s"}`,
    `  ${finding.message}`,
    "",
    `Rule ${rule.ruleId} on the decisive occurrence (the worst; check ${rule.check}): ${rule.fires ? "fires" : "does not fire"}`,
    ...conditionLines(rule.conditions, "  "),
  ];
}

function eventLines(explanation: EventExplanation): string[] {
  const { event } = explanation;
  const lines = [
    `Event ${event.id} — ${event.type} by ${event.partnerId} of ${event.sku} at ${event.occurredAt}`,
    `Fired: ${explanation.fired.length > 0 ? explanation.fired.join(", ") : "no rule"}`,
  ];
  for (const kind of explanation.kinds) {
    const params = Object.entries(kind.params).map(([name, value]) => `${name} ${value}`);
    lines.push("", `${kind.kind}${params.length > 0 ? ` (${params.join(", ")})` : ""}`);
    for (const rule of kind.rules) {
      const head = `  ${rule.ruleId} (${rule.severity})`;
      if (rule.verdict === "no-candidate") {
        lines.push(`${head}: not judged — ${rule.reason ?? "no candidate"}`);
        continue;
      }
      lines.push(`${head}: ${rule.verdict === "fired" ? "fired" : "did not fire"}`);
      for (const candidate of rule.candidates) lines.push(...candidateLines(candidate, rule.candidates.length > 1));
    }
    for (const reason of kind.skipped) lines.push(`  skipped: ${reason}`);
  }
  if (explanation.kindsWithoutRules.length > 0) lines.push("", `No enabled rule: ${explanation.kindsWithoutRules.join(", ")}`);
  return lines;
}

function candidateLines(trace: RuleTrace, several: boolean): string[] {
  const head = several ? [`    on the ${trace.check} candidate: ${trace.fires ? "fires" : "does not fire"}`] : [];
  return [...head, ...conditionLines(trace.conditions, several ? "      " : "    ")];
}

/** A condition tree, one line per node; a root `all`/`any` is written as a heading only when it nests. */
function conditionLines(node: ExplainedCondition, indent: string): string[] {
  const mark = (held: boolean | null) => (held === true ? "✓" : held === false ? "✗" : "·");
  if ("all" in node || "any" in node) {
    const children = "all" in node ? node.all : node.any;
    const label = "all" in node ? "all of" : "any of";
    return [`${indent}${mark(node.held)} ${label}:`, ...children.flatMap((child) => conditionLines(child, indent + "  "))];
  }
  if ("not" in node) return [`${indent}${mark(node.held)} not:`, ...conditionLines(node.not, indent + "  ")];
  const fact = node.path ? `${node.fact} ${node.path}` : node.fact;
  const compared = "expected" in node ? ` ${show(node.value)} (= ${show(node.expected)})` : ` ${show(node.value)}`;
  const seen = node.held === null ? "not reached" : "actual" in node ? `is ${show(node.actual)}` : "no such fact";
  return [`${indent}${mark(node.held)} ${fact} ${node.operator}${compared} — ${seen}`];
}

function show(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}
