import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RegionTree } from "../reference/regionTree.js";
import type { Condition } from "../core/types.js";
import type { Rule } from "../rules/types.js";
import { createCompiledEvaluator } from "./createEvaluator.js";

const regions = new RegionTree([{ code: "CN" }, { code: "CN-GD", parent: "CN" }, { code: "US" }], true);
const CHECKS = ["a", "b"];
const FACTS = ["x", "y", "z", "region"];
const value = fc.oneof(fc.boolean(), fc.integer({ min: -2, max: 2 }), fc.constantFrom("CN", "CN-GD", "US", "u", null));

/** Leaves of the kinds rule validation lets through, over a few facts (some never computed). */
const leaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({
    fact: fc.constantFrom(...FACTS, "unknown"),
    operator: fc.constantFrom("equal", "notEqual", "lessThan", "greaterThanInclusive"),
    value,
  }),
  fc.record({ fact: fc.constant("region"), operator: fc.constant("coveredBy"), value: fc.constantFrom("CN", "US") }),
  // A value naming another fact: never a guard.
  fc.record({ fact: fc.constantFrom(...FACTS), operator: fc.constant("equal"), value: fc.record({ fact: fc.constantFrom(...FACTS) }) }),
);
const condition: fc.Arbitrary<Condition> = fc.letrec<{ node: Condition }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.record({ all: fc.array(tie("node"), { maxLength: 3 }) }),
    fc.record({ any: fc.array(tie("node"), { maxLength: 3 }) }),
    fc.record({ not: tie("node") }),
  ),
})).node;

/** Rules: usually a root `all` starting with the check, as the shipped ones are, sometimes any boolean root. */
const rootCondition = fc.oneof(
  fc.tuple(fc.constantFrom(...CHECKS), fc.array(condition, { maxLength: 4 })).map(([check, rest]): Condition => ({
    all: [{ fact: "check", operator: "equal", value: check }, ...rest],
  })),
  fc.record({ all: fc.array(condition, { maxLength: 4 }) }),
  fc.record({ any: fc.array(condition, { maxLength: 3 }) }),
  fc.record({ not: condition }),
);

const rule = (conditions: Condition, i: number): Rule => ({
  id: `r${i}`,
  kind: "price-deviation",
  severity: "high",
  title: "t",
  enabled: true,
  params: {},
  conditions,
  file: "test",
});

describe("prefilter", () => {
  it("never rules out a candidate whose full facts fire a rule", () => {
    let ruledOut = 0;
    fc.assert(
      fc.property(
        fc.array(rootCondition, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...CHECKS),
        fc.record({ x: value, y: value, z: value, region: fc.constantFrom("CN", "CN-GD", "US", "EU") }),
        fc.subarray(FACTS),
        (conditions, check, values, known) => {
          const evaluator = createCompiledEvaluator(conditions.map(rule), { regions });
          const facts = { check, ...values };
          const some: Record<string, unknown> = { check };
          for (const name of known) some[name] = facts[name as keyof typeof facts];
          if (!evaluator.prefilter(check, Object.keys(some))(some as never)) {
            ruledOut++;
            expect(evaluator.evaluate(facts)).toEqual([]);
          }
        },
      ),
      { numRuns: 5_000 },
    );
    // It must actually rule candidates out, or it proves nothing (and saves nothing).
    expect(ruledOut).toBeGreaterThan(100);
  });

  it("reads a root holding both any and all as the engine does (any), for rule sets that were never validated", () => {
    const conditions = {
      any: [{ fact: "covered", operator: "equal", value: false }],
      all: [{ fact: "check", operator: "equal", value: "b" }, { fact: "covered", operator: "equal", value: true }],
    } as unknown as Condition;
    const evaluator = createCompiledEvaluator([rule(conditions, 0)], { regions });
    expect(evaluator.prefilter("a", ["check", "covered"])({ check: "a", covered: false })).toBe(true);
    expect(evaluator.evaluate({ check: "a", covered: false })).toEqual(["r0"]);
  });
});
