import { dirname, isAbsolute, resolve } from "node:path";
import type { Rule } from "../rules/types.js";
import { DETECTORS } from "../detectors/registry.js";
import { scanWith } from "../scan/scan.js";
import { loadDataset, type DatasetSource } from "../dataset/loadDataset.js";
import { explain, type EventExplanation, type ExplainedCondition } from "../explain/explain.js";

/** The outcome of one test case of one rule. */
export interface RuleTestResult {
  readonly ruleId: string;
  readonly name: string;
  readonly passed: boolean;
  /** Why it failed (empty when it passed). */
  readonly detail: string;
}

function samePartnerLists(actual: readonly (readonly string[])[], expected: readonly (readonly string[])[]): boolean {
  const key = (lists: readonly (readonly string[])[]) => lists.map((l) => JSON.stringify(l)).sort();
  return JSON.stringify(key(actual)) === JSON.stringify(key(expected));
}

/**
 * Runs every test case the rules carry: each case's dataset is scanned with that rule alone and the
 * rule's findings are compared with the case's expectations. A rule without cases is a failure.
 */
export async function runRuleTests(rules: readonly Rule[]): Promise<RuleTestResult[]> {
  const results: RuleTestResult[] = [];
  for (const rule of rules) {
    if (!rule.tests || rule.tests.length === 0) {
      results.push({ ruleId: rule.id, name: "(no test cases)", passed: false, detail: "the rule has no test cases; add at least one that fires and one look-alike that must not" });
      continue;
    }
    for (const test of rule.tests) {
      const dataset =
        typeof test.dataset === "string"
          ? isAbsolute(test.dataset)
            ? test.dataset
            : resolve(rule.file ? dirname(rule.file) : process.cwd(), test.dataset)
          : test.dataset;
      try {
        // A case may hold reference data alone (a territory overlap needs no event), so it need not have events.
        const report = await scanWith(DETECTORS, dataset, { rules: { rules: [{ ...rule, enabled: true }] } }, { requireEvents: false });
        const findings = report.findings.filter((f) => f.ruleId === rule.id);
        const problems: string[] = [];
        if (report.rejected.length > 0) {
          problems.push(`the test dataset has rejected records (${report.rejected[0]?.file}: ${report.rejected[0]?.reason})`);
        }
        if (findings.length !== test.expectFindings) {
          // Too few: say why the rule did not fire on the case's events, as `explain` would.
          const why = findings.length < test.expectFindings ? await whyNotFired(rule, dataset) : "";
          problems.push(`expected ${test.expectFindings} finding(s), got ${findings.length}${why}`);
        }
        if (test.expectPartners && !samePartnerLists(findings.map((f) => f.partners), test.expectPartners)) {
          problems.push(`expected partners ${JSON.stringify(test.expectPartners)}, got ${JSON.stringify(findings.map((f) => f.partners))}`);
        }
        results.push({ ruleId: rule.id, name: test.name, passed: problems.length === 0, detail: problems.join("; ") });
      } catch (error) {
        results.push({ ruleId: rule.id, name: test.name, passed: false, detail: `the case could not run: ${(error as Error).message}` });
      }
    }
  }
  return results;
}

/** The events of a case a failing rule was explained on, at most. */
const EXPLAINED_EVENTS = 5;

/** Why `rule` fired on none of the first events of `dataset`: each event's failed condition or reason ("" when it has no events). */
async function whyNotFired(rule: Rule, dataset: DatasetSource): Promise<string> {
  const { events } = await loadDataset(dataset);
  const reasons: string[] = [];
  for (const event of events.slice(0, EXPLAINED_EVENTS)) {
    const explanation = (await explain(dataset, { event: event.id, rule: rule.id }, { rules: { rules: [{ ...rule, enabled: true }] } })) as EventExplanation;
    const verdict = explanation.kinds[0]?.rules[0];
    if (verdict === undefined || verdict.verdict === "fired") continue;
    if (verdict.verdict === "no-candidate") {
      reasons.push(`${event.id}: not judged, ${verdict.reason ?? "no candidate"}`);
      continue;
    }
    const failed = verdict.candidates.map((candidate) => firstFailed(candidate.conditions)).find((leaf) => leaf !== undefined);
    reasons.push(`${event.id}: ${failed ?? "the conditions did not hold"}`);
  }
  const more = events.length > EXPLAINED_EVENTS ? ` (first ${EXPLAINED_EVENTS} of ${events.length} events)` : "";
  return reasons.length > 0 ? ` — ${reasons.join("; ")}${more}` : "";
}

/** The first leaf that failed, as `fact operator value (is actual)`. */
function firstFailed(node: ExplainedCondition): string | undefined {
  if ("all" in node) return node.all.map(firstFailed).find((leaf) => leaf !== undefined);
  if ("any" in node) return node.held === false ? node.any.map(firstFailed).find((leaf) => leaf !== undefined) : undefined;
  if ("not" in node) return node.held === false ? `not(${JSON.stringify(node.not)}) held` : undefined;
  if (node.held !== false) return undefined;
  return `${node.fact} ${node.operator} ${JSON.stringify(node.value)} failed (is ${"actual" in node ? JSON.stringify(node.actual) : "missing"})`;
}
