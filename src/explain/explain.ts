import { skipKey, skipKind, skipText } from "../detectors/skipReasons.js";
import { z } from "zod";
import { closestName } from "../core/closestName.js";
import { OptionsError } from "../core/errors.js";
import { formatIsoTime } from "../core/time.js";
import type { FactValue } from "../core/types.js";
import type { DatasetSource } from "../dataset/loadDataset.js";
import { DETECTORS } from "../detectors/registry.js";
import type { Candidate } from "../detectors/types.js";
import { requiredCheck } from "../engine/createEvaluator.js";
import { traceConditions, type TracedCondition } from "../engine/compileConditions.js";
import { customOperators, type OperatorEnvironment } from "../engine/operators/index.js";
import type { Finding } from "../findings/types.js";
import { ASSEMBLED_FACTS } from "../findings/FindingAssembler.js";
import { englishWords } from "../messages/en.js";
import { renderMessage } from "../messages/renderMessage.js";
import { UTC_ZONE } from "../core/zonedTime.js";
import type { Words } from "../messages/types.js";
import { loadRules } from "../rules/loadRules.js";
import type { Rule } from "../rules/types.js";
import { scanWith } from "../scan/scan.js";
import type { ScanOptions } from "../scan/options.js";
import type { EventTrace, TracedJudgement } from "../scan/Scanner.js";
import type { ScanReport } from "../findings/report.js";

/** What to explain: a finding of the scan (by id), or an event (by id); optionally one rule only. */
export type ExplainTarget = { readonly finding: string; readonly rule?: string } | { readonly event: string; readonly rule?: string };

const targetSchema = z.union([
  z.strictObject({ finding: z.string().min(1), rule: z.string().min(1).optional() }),
  z.strictObject({ event: z.string().min(1), rule: z.string().min(1).optional() }),
]);

/**
 * One condition of a rule as it was evaluated: a leaf with the fact's value (`actual`, absent when the
 * candidate has no such fact), what it was compared with (`expected`: the rule's `value`, or the value of
 * the fact it names) and whether it held; a node with its children. `held` is null where the evaluation
 * never reached the condition (a higher-priority group already decided), as in json-rules-engine.
 */
export type ExplainedCondition =
  | {
      readonly fact: string;
      readonly path?: string;
      readonly operator: string;
      /** The rule's `value`, as written. */
      readonly value: unknown;
      readonly expected?: unknown;
      readonly actual?: unknown;
      readonly held: boolean | null;
    }
  | { readonly all: readonly ExplainedCondition[]; readonly held: boolean | null }
  | { readonly any: readonly ExplainedCondition[]; readonly held: boolean | null }
  | { readonly not: ExplainedCondition; readonly held: boolean | null };

/** One rule's conditions evaluated on one candidate's facts. */
export interface RuleTrace {
  readonly ruleId: string;
  readonly kind: string;
  readonly severity: string;
  readonly enabled: boolean;
  /** The check of the candidate the rule was evaluated on. */
  readonly check: string;
  readonly fires: boolean;
  readonly facts: Readonly<Record<string, FactValue>>;
  readonly conditions: ExplainedCondition;
}

/** `explain` of a finding: the finding, and its rule (or the rule asked for) on the finding's decisive occurrence. */
export interface FindingExplanation {
  readonly target: "finding";
  readonly finding: Pick<Finding, "id" | "fingerprint" | "ruleId" | "kind" | "severity" | "title" | "message" | "count" | "firstSeen" | "lastSeen" | "eventIds">;
  readonly rule: RuleTrace;
}

/** What one rule made of the event. */
export interface EventRuleVerdict {
  readonly ruleId: string;
  readonly severity: string;
  /** The check the rule's conditions require (`check equal …` at its root), when they require one. */
  readonly check?: string;
  /** `fired`, `failed` (candidates were judged and no condition set held), or `no-candidate`. */
  readonly verdict: "fired" | "failed" | "no-candidate";
  /** For `no-candidate`: why the kind's check made none. */
  readonly reason?: string;
  readonly candidates: readonly RuleTrace[];
}

/** What one kind (one detector instance: a kind and its derivation parameters) made of the event. */
export interface EventKindVerdict {
  readonly kind: string;
  readonly params: Readonly<Record<string, number>>;
  /** False when the kind never saw the event (it does not admit events of an unknown partner or sku). */
  readonly judged: boolean;
  /** Checks the kind could not make for the event (the same reasons, in English, as a scan's `summary.skipped` keys). */
  readonly skipped: readonly string[];
  /** Each of the kind's checks: candidates made of the event, or why none. */
  readonly checks: ReadonlyArray<{ readonly check: string; readonly candidates: number; readonly reason?: string }>;
  readonly rules: readonly EventRuleVerdict[];
}

/** `explain` of an event: every kind with enabled rules, and what each rule made of it. */
export interface EventExplanation {
  readonly target: "event";
  readonly event: { readonly id: string; readonly type: string; readonly partnerId: string; readonly sku: string; readonly occurredAt: string };
  /** The rules that fired on the event. */
  readonly fired: readonly string[];
  readonly kinds: readonly EventKindVerdict[];
  /** Kinds none of whose rules is enabled (nothing judged the event for them). */
  readonly kindsWithoutRules: readonly string[];
}

export type Explanation = FindingExplanation | EventExplanation;

/**
 * Why a rule fired or did not: for a finding, its rule's conditions on the finding's decisive occurrence
 * (its worst candidate) — each fact's value, what it was compared with, whether it held; for an event,
 * every rule of the kinds that judged it, with the conditions that held and failed, or why no candidate
 * was made (e.g. "the seller holds no territory, so it is not restricted"). It scans the dataset as `scan`
 * does (same options) and evaluates with the scan's own compiled conditions, so it explains exactly what
 * the scan decided. `channel-conflict explain --format json` prints what it returns.
 * @example
 * const why = await explain("fixtures/demo", { event: "o-1042" });
 * for (const kind of why.kinds) for (const rule of kind.rules) console.log(rule.ruleId, rule.verdict, rule.reason ?? "");
 */
export async function explain(dataset: DatasetSource, target: ExplainTarget, options?: ScanOptions): Promise<Explanation> {
  const parsedTarget = targetSchema.safeParse(target);
  if (!parsedTarget.success) throw new OptionsError('explain: expected { finding: "<id>" } or { event: "<id>" }, with rule: "<id>" optionally');
  const rules = options?.rules ?? (await loadRules());
  const ruleId = parsedTarget.data.rule;
  if (ruleId !== undefined && !rules.rules.some((rule) => rule.id === ruleId)) {
    const close = closestName(ruleId, rules.rules.map((rule) => rule.id));
    throw new OptionsError(`explain: no rule "${ruleId}" in the rule set${close ? `; did you mean ${close}?` : ""}`);
  }
  const eventId = "event" in parsedTarget.data ? parsedTarget.data.event : undefined;
  const trace: EventTrace = { judged: [], ...(eventId !== undefined ? { eventId } : {}) };
  // Evaluated as compiled (the trace follows the compiled tree): its decisions are json-rules-engine's.
  const report = await scanWith(DETECTORS, dataset, { ...options, rules, evaluator: "compiled" }, { trace });
  const environment = trace.environment as OperatorEnvironment;
  if ("finding" in parsedTarget.data) return explainFinding(report, parsedTarget.data.finding, ruleId, rules.rules, environment);
  return explainEvent(trace, eventId as string, ruleId, report, environment);
}

function explainFinding(report: ScanReport, findingId: string, ruleId: string | undefined, rules: readonly Rule[], environment: OperatorEnvironment): FindingExplanation {
  const finding = report.findings.find((f) => f.id === findingId) ?? report.findings.find((f) => f.fingerprint === findingId);
  if (finding === undefined) {
    const close = closestName(findingId, report.findings.map((f) => f.id));
    throw new OptionsError(
      `explain: the scan found no finding "${findingId}" (${report.findings.length} finding${report.findings.length === 1 ? "" : "s"})` +
        (close ? `; did you mean ${close}?` : "; finding ids change when the data before them changes, so take one from a scan of this dataset"),
    );
  }
  const rule = rules.find((r) => r.id === (ruleId ?? finding.ruleId)) as Rule;
  if (rule.kind !== finding.kind) {
    throw new OptionsError(`explain: rule "${rule.id}" is of kind ${rule.kind}; finding ${finding.id} is of kind ${finding.kind}, whose facts that rule never sees`);
  }
  const facts = Object.fromEntries(Object.entries(finding.facts).filter(([name]) => !ASSEMBLED_FACTS.has(name))) as Record<string, FactValue>;
  const { id, fingerprint, kind, severity, title, message, count, firstSeen, lastSeen, eventIds } = finding;
  return {
    target: "finding",
    finding: { id, fingerprint, ruleId: finding.ruleId, kind, severity, title, message, count, firstSeen, lastSeen, eventIds },
    rule: ruleTrace(rule, String(facts.check), facts, environment),
  };
}

function explainEvent(trace: EventTrace, eventId: string, ruleId: string | undefined, report: ScanReport, environment: OperatorEnvironment): EventExplanation {
  const event = trace.event;
  const words = trace.words ?? englishWords(UTC_ZONE);
  if (event === undefined) {
    throw new OptionsError(
      `explain: no accepted event "${eventId}" in the dataset (${report.summary.events} events accepted, ${report.summary.rejected} rejected); ` +
        "ids are matched exactly, and a rejected event is listed with its reason by scan",
    );
  }
  const fired = new Set<string>();
  const kinds: EventKindVerdict[] = [];
  const judgedKinds = new Set<string>();
  for (const judged of trace.judged) {
    judgedKinds.add(judged.detector.kind);
    const rules = judged.rules.filter((rule) => ruleId === undefined || rule.id === ruleId);
    if (rules.length === 0) continue;
    const verdicts = rules.map((rule) => ruleVerdict(rule, judged, environment, words));
    for (const verdict of verdicts) if (verdict.verdict === "fired") fired.add(verdict.ruleId);
    kinds.push({
      kind: judged.detector.kind,
      params: judged.context.params,
      judged: judged.admitted,
      skipped: judged.skipped.map(skipKey),
      checks: judged.detector.checks.map((check) => {
        const made = judged.candidates.filter((candidate) => candidate.check === check).length;
        const reason = made === 0 ? reasonOf(judged, check, words) : undefined;
        return { check, candidates: made, ...(reason !== undefined ? { reason } : {}) };
      }),
      rules: verdicts,
    });
  }
  const kindsWithoutRules = ruleId === undefined ? Object.keys(DETECTORS).filter((kind) => !judgedKinds.has(kind)).sort() : [];
  return {
    target: "event",
    event: { id: event.id, type: event.type, partnerId: event.partnerId, sku: event.sku, occurredAt: formatIsoTime(event.occurredAt) },
    fired: [...fired].sort(),
    kinds,
    kindsWithoutRules,
  };
}

/** What `rule` made of the traced event's candidates. */
function ruleVerdict(rule: Rule, judged: TracedJudgement, environment: OperatorEnvironment, words: Words): EventRuleVerdict {
  const check = requiredCheck(rule.conditions);
  const base = { ruleId: rule.id, severity: rule.severity, ...(check !== undefined ? { check } : {}) };
  if (!judged.admitted) return { ...base, verdict: "no-candidate", reason: `${judged.detector.kind} does not judge events of a partner or sku the reference data does not know.`, candidates: [] };
  // A rule requiring a check is false for the candidates of every other check: those are not shown.
  const candidates = judged.candidates.filter((candidate: Candidate) => check === undefined || candidate.check === check);
  if (candidates.length === 0) {
    const reason = check !== undefined ? reasonOf(judged, check, words) : undefined;
    return { ...base, verdict: "no-candidate", reason: reason ?? `${judged.detector.kind} made no candidate of this event.`, candidates: [] };
  }
  const traces = candidates.map((candidate) => ruleTrace(rule, candidate.check, candidate.facts, environment));
  return { ...base, verdict: traces.some((t) => t.fires) ? "fired" : "failed", candidates: traces };
}

/** Why `check` made no candidate of the traced event: the kind's own reason, else a skip reason, rendered. */
function reasonOf(judged: TracedJudgement, check: string, words: Words): string | undefined {
  const unjudged = judged.unjudged.find((u) => u.check === check);
  if (unjudged && judged.detector.whyNotMessages) return renderMessage(judged.detector.whyNotMessages, unjudged.message, words);
  const skip = judged.skipped.find((code) => skipKind(code) === judged.detector.kind);
  return skip !== undefined ? skipText(skip, words.lang) : undefined;
}

/** `rule`'s conditions traced on one candidate's facts, with the compiled tree the scan evaluates. */
function ruleTrace(rule: Rule, check: string, facts: Readonly<Record<string, FactValue>>, environment: OperatorEnvironment): RuleTrace {
  const traced = traceConditions(rule.conditions, customOperators(environment))(facts);
  return {
    ruleId: rule.id,
    kind: rule.kind,
    severity: rule.severity,
    enabled: rule.enabled,
    check,
    fires: traced.fires,
    facts,
    conditions: explained(traced.conditions, traced.fires),
  };
}

/** A traced condition as explanations show it; `rootHeld` is the rule's result (the engine sets none on the root). */
function explained(node: TracedCondition, rootHeld?: boolean): ExplainedCondition {
  const held = (result: boolean | undefined): boolean | null => (rootHeld !== undefined ? rootHeld : (result ?? null));
  if ("all" in node) return { all: node.all.map((child) => explained(child)), held: held(node.result) };
  if ("any" in node) return { any: node.any.map((child) => explained(child)), held: held(node.result) };
  if ("not" in node) return { not: explained(node.not), held: held(node.result) };
  if ("condition" in node) return { fact: "", operator: "condition", value: node.condition, held: null };
  const evaluated = "result" in node;
  const isReference = node.value !== null && typeof node.value === "object" && Object.hasOwn(node.value as object, "fact");
  return {
    fact: String(node.fact),
    ...(node.path ? { path: String(node.path) } : {}),
    operator: String(node.operator),
    value: node.value,
    ...(evaluated && isReference ? { expected: node.valueResult } : {}),
    ...(evaluated && node.factResult !== undefined ? { actual: node.factResult } : {}),
    held: evaluated ? Boolean(node.result) : null,
  };
}
