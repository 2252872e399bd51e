import { Engine } from "json-rules-engine";
import type { Condition, Facts } from "../core/types.js";

/** What the evaluator needs of a rule: its id and its conditions. */
export interface RuleConditions {
  readonly id: string;
  readonly conditions: Condition;
}
import { booleanOperatorOf, compileConditions, compileFactTest } from "./compileConditions.js";
import { customOperators, type OperatorEnvironment } from "./operators/index.js";
import { resolveSafePath } from "./pathResolver.js";

/** How rule conditions can be evaluated: compiled (the default, synchronous) or by json-rules-engine itself. */
export const EVALUATOR_KINDS = ["compiled", "json-rules-engine"] as const;
export type EvaluatorKind = (typeof EVALUATOR_KINDS)[number];

/** Evaluates rule conditions over one candidate's facts and returns the ids of the rules that hold, in rule order. */
export interface RuleEvaluator {
  readonly sync: boolean;
  evaluate(facts: Facts): readonly string[] | Promise<readonly string[]>;
  /**
   * A test for candidates of `check` of which the detector computes the facts named `known` first: given
   * those facts (with the values the full facts will have), it returns false when no rule can hold for
   * the candidate — the detector then skips building it — and true for "maybe": the full facts decide.
   * The rules' conditions on those facts are picked once, here, not on every call.
   */
  prefilter(check: string, known: readonly string[]): (some: Facts) => boolean;
}

/**
 * The fast path: each rule's conditions compiled once into a synchronous function with
 * json-rules-engine's exact semantics (held to the real engine by differential tests).
 */
export function createCompiledEvaluator(rules: readonly RuleConditions[], env: OperatorEnvironment): RuleEvaluator {
  const operators = customOperators(env);
  const compiled = rules.map((rule) => ({
    id: rule.id,
    check: requiredCheck(rule.conditions),
    test: compileConditions(rule.conditions, operators),
    necessary: necessaryLeaves(rule.conditions, operators),
  }));
  const none: readonly string[] = [];
  return {
    sync: true,
    prefilter(check: string, known: readonly string[]): (some: Facts) => boolean {
      const facts = new Set(known);
      // A fact named "" makes every evaluation throw: build every candidate, the evaluation says so.
      if (facts.has("")) return () => true;
      // The rules a candidate of this check could fire, each with its necessary leaves on known facts
      // (the check leaf itself, true by construction, left out).
      const rules = compiled
        .filter((rule) => rule.check === undefined || rule.check === check)
        .map((rule) => rule.necessary.filter((leaf) => facts.has(leaf.fact) && (rule.check === undefined || leaf.fact !== "check")).map((leaf) => leaf.test));
      if (rules.length === 0) return () => false;
      // A rule none of whose necessary leaves is known may always fire.
      if (rules.some((tests) => tests.length === 0)) return () => true;
      return (some) => {
        for (const tests of rules) {
          // A necessary condition false on a known fact rules this rule out.
          let ruledOut = false;
          for (const test of tests) {
            if (!test(some as Readonly<Record<string, unknown>>)) {
              ruledOut = true;
              break;
            }
          }
          if (!ruledOut) return true;
        }
        return false;
      };
    },
    evaluate(facts: Facts): readonly string[] {
      let fired: string[] | undefined;
      const check = facts.check;
      for (const rule of compiled) {
        // A rule whose root `all` requires another check cannot hold: skip it without evaluating.
        if (rule.check !== undefined && rule.check !== check) continue;
        if (rule.test(facts as Readonly<Record<string, unknown>>)) (fired ??= []).push(rule.id);
      }
      return fired ?? none;
    },
  };
}

/** The children of the root when the engine reads it as an `all` (it reads `any` first), else undefined. */
function rootAll(conditions: Condition): readonly Condition[] | undefined {
  if (booleanOperatorOf(conditions) !== "all" || !("all" in conditions) || !Array.isArray(conditions.all)) return undefined;
  return conditions.all;
}

/**
 * The leaves of a rule's root `all` that read one fact and compare it with a literal, each compiled
 * alone as a test for facts that hold its fact (the prefilter's probes): the rule holds only if every
 * child of its root `all` holds, so one of them false on a fact already known is enough to know the rule
 * cannot fire. (Validated rules cannot throw — rule validation refuses what could — so not evaluating
 * the other children changes no result.)
 */
export function necessaryLeaves(
  conditions: Condition,
  operators: ReturnType<typeof customOperators>,
): Array<{ fact: string; test: (facts: Readonly<Record<string, unknown>>) => boolean }> {
  const all = rootAll(conditions);
  if (all === undefined) return [];
  const leaves: Array<{ fact: string; test: (facts: Readonly<Record<string, unknown>>) => boolean }> = [];
  for (const child of all) {
    if (!Object.hasOwn(child, "fact") || !("fact" in child) || typeof child.fact !== "string") continue;
    // A value naming another fact would read a fact the detector may not have computed yet.
    if (typeof child.value === "object" && child.value !== null) continue;
    // The prefilter hands its tests facts that hold the fact: most leaves compile to one direct test.
    leaves.push({ fact: child.fact, test: compileFactTest(child, operators) ?? compileConditions({ all: [child] }, operators) });
  }
  return leaves;
}

/**
 * The check a rule requires, when its root is an `all` holding `{ fact: "check", operator: "equal",
 * value: "<string>" }` with no path: such a rule is false for every candidate of another check (rule
 * validation refuses the operators that could throw instead, so skipping changes no result).
 */
export function requiredCheck(conditions: Condition): string | undefined {
  const all = rootAll(conditions);
  if (all === undefined) return undefined;
  for (const child of all) {
    if (Object.hasOwn(child, "fact") && "fact" in child && child.fact === "check" && child.operator === "equal" && child.path === undefined && typeof child.value === "string") {
      return child.value;
    }
  }
  return undefined;
}

/**
 * The reference path: a real json-rules-engine `Engine` for the group of rules. Runs are serialised:
 * one `Engine` never runs two fact sets at once (concurrent runs skip rules, upstream issue #303).
 */
export function createEngineEvaluator(rules: readonly RuleConditions[], env: OperatorEnvironment): RuleEvaluator {
  const engine = new Engine([], { allowUndefinedFacts: true, pathResolver: resolveSafePath });
  for (const [name, fn] of customOperators(env)) engine.addOperator(name, fn);
  const order = new Map<string, number>();
  rules.forEach((rule, position) => {
    order.set(rule.id, position);
    engine.addRule({ name: rule.id, conditions: rule.conditions as never, event: { type: rule.id } });
  });
  let queue: Promise<unknown> = Promise.resolve();
  return {
    sync: false,
    // The reference path builds every candidate: it is what the fast path is held to.
    prefilter: () => () => true,
    evaluate(facts: Facts): Promise<readonly string[]> {
      const run = queue.then(async () => {
        // A fresh object of own properties: facts never reach the engine through a prototype.
        const runtimeFacts: Record<string, unknown> = Object.create(null);
        for (const key of Object.keys(facts)) runtimeFacts[key] = facts[key];
        const { events } = await engine.run(runtimeFacts);
        return events.map((event) => event.type).sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** Builds the evaluator of the given kind for a group of rules. */
export function createEvaluator(kind: EvaluatorKind, rules: readonly RuleConditions[], env: OperatorEnvironment): RuleEvaluator {
  return kind === "compiled" ? createCompiledEvaluator(rules, env) : createEngineEvaluator(rules, env);
}
