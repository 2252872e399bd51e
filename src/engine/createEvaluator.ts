import { Engine } from "json-rules-engine";
import type { Facts } from "../findings/types.js";
import type { Rule } from "../rules/types.js";
import { customOperators, type OperatorEnvironment } from "./operators/index.js";
import { resolveSafePath } from "./pathResolver.js";

/** Evaluates rule conditions over one candidate's facts and returns the ids of the rules that hold. */
export interface RuleEvaluator {
  evaluate(facts: Facts): Promise<readonly string[]>;
}

/**
 * Builds an evaluator backed by json-rules-engine for a group of rules. Runs are serialised: one
 * `Engine` never runs two fact sets at once (concurrent runs skip rules, upstream issue #303).
 */
export function createEvaluator(rules: readonly Rule[], env: OperatorEnvironment): RuleEvaluator {
  const engine = new Engine([], { allowUndefinedFacts: true, pathResolver: resolveSafePath });
  for (const [name, fn] of customOperators(env)) engine.addOperator(name, fn);
  const order = new Map<string, number>();
  rules.forEach((rule, position) => {
    order.set(rule.id, position);
    engine.addRule({
      name: rule.id,
      conditions: rule.conditions as never,
      event: { type: rule.id },
    });
  });
  let queue: Promise<unknown> = Promise.resolve();
  return {
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
