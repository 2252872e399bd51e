import fc from "fast-check";
import { Engine } from "json-rules-engine";
import { afterAll, describe, expect, it } from "vitest";
import { RegionTree } from "../reference/regionTree.js";
import type { Condition } from "../core/types.js";
import { compileConditions, compileFactTest, traceConditions, type TracedCondition } from "./compileConditions.js";
import { customOperators } from "./operators/index.js";
import { resolveSafePath } from "./pathResolver.js";

type OperatorFn = (fact: unknown, value: unknown) => boolean;
type Operators = ReadonlyMap<string, OperatorFn>;
type Facts = Record<string, unknown>;
/** What one evaluation gave: the rule fired or not, or the engine rejected / the compiled function threw. */
type Outcome = boolean | "throws";

const regions = new RegionTree(
  [{ code: "CN" }, { code: "CN-GD", parent: "CN" }, { code: "CN-GD-SZ", parent: "CN-GD" }, { code: "CN-ZJ", parent: "CN" }, { code: "US" }],
  true,
);

/** The shipped custom operators plus test-only ones that return non-booleans or throw (operators are plain JS to the engine). */
const OPERATORS: Operators = new Map<string, OperatorFn>([
  ...customOperators({ regions }),
  ["raw", ((fact: unknown) => fact) as unknown as OperatorFn],
  ["boomOnNull", ((fact: unknown, value: unknown) => {
    if (fact === null) throw new Error("boom");
    return fact === value;
  }) as OperatorFn],
]);

/** A deep copy that keeps own `__proto__` keys, `undefined` and NaN (the engine mutates what it is given). */
function deepCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)]));
  }
  return value;
}

/** The real engine, configured exactly as `createEvaluator` configures it, with one rule. */
function realEngine(conditions: unknown, operators: Operators): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true, pathResolver: resolveSafePath });
  for (const [name, fn] of operators) engine.addOperator(name, fn);
  engine.addRule({ name: "r", conditions: deepCopy(conditions) as never, event: { type: "r" } });
  return engine;
}

/** One run, fed as `createEvaluator` feeds it: a null-prototype copy of the facts' own enumerable keys. */
async function runEngine(engine: Engine, facts: Facts): Promise<Outcome> {
  try {
    const runtimeFacts: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(facts)) runtimeFacts[key] = facts[key];
    const { events } = await engine.run(runtimeFacts);
    return events.some((event) => event.type === "r");
  } catch {
    return "throws";
  }
}

function runCompiled(compiled: (facts: Facts) => boolean, facts: Facts): Outcome {
  try {
    return compiled(facts);
  } catch {
    return "throws";
  }
}

/** Both outcomes for one condition tree and fact set. */
async function both(conditions: unknown, facts: Facts, operators: Operators = OPERATORS): Promise<{ engine: Outcome; compiled: Outcome }> {
  const compiled = compileConditions(conditions as Condition, operators);
  return { engine: await runEngine(realEngine(conditions, operators), facts), compiled: runCompiled(compiled, facts) };
}

/** Asserts the engine gives `expected` (pinning the quirk) and the compiled path agrees. */
async function expectBoth(conditions: unknown, facts: Facts, expected: Outcome, operators?: Operators): Promise<void> {
  const result = await both(conditions, facts, operators);
  expect(result).toEqual({ engine: expected, compiled: expected });
}

const leaf = (fact: string, operator: string, value: unknown, extra: Record<string, unknown> = {}) => ({ fact, operator, value, ...extra });

describe("compileConditions: tricky cases pinned against json-rules-engine", () => {
  it("empty all/any are true; not of them is false", async () => {
    await expectBoth({ all: [] }, {}, true);
    await expectBoth({ any: [] }, {}, true);
    await expectBoth({ not: { all: [] } }, {}, false);
    await expectBoth({ not: { any: [] } }, {}, false);
    await expectBoth({ all: [{ any: [] }, leaf("a", "equal", 1)] }, { a: 1 }, true);
  });

  it("in/notIn call value.indexOf(fact): substring on strings, a rejection on numbers, null and plain objects", async () => {
    await expectBoth({ all: [leaf("a", "in", "abc")] }, { a: "b" }, true);
    await expectBoth({ all: [leaf("a", "in", "abc")] }, { a: "bc" }, true);
    await expectBoth({ all: [leaf("a", "in", "abc")] }, { a: "" }, true);
    await expectBoth({ all: [leaf("a", "notIn", "abc")] }, { a: "x" }, true);
    await expectBoth({ all: [leaf("a", "in", "a1")] }, { a: 1 }, true); // "a1".indexOf(1) coerces
    await expectBoth({ all: [leaf("a", "in", "undefined")] }, {}, true); // missing fact → "undefined"
    await expectBoth({ all: [leaf("a", "in", 5)] }, { a: 5 }, "throws");
    await expectBoth({ all: [leaf("a", "in", null)] }, { a: 5 }, "throws");
    await expectBoth({ all: [leaf("a", "notIn", { x: 1 })] }, { a: 5 }, "throws");
    await expectBoth({ all: [leaf("a", "in", [1, 2])] }, { a: 2 }, true);
    await expectBoth({ all: [leaf("a", "in", [Number.NaN])] }, { a: Number.NaN }, false); // indexOf uses ===
  });

  it("numeric operators validate with parseFloat(fact).toString() !== 'NaN', then compare with JS <", async () => {
    await expectBoth({ all: [leaf("a", "lessThan", 20)] }, { a: "12" }, true);
    await expectBoth({ all: [leaf("a", "lessThan", 20)] }, { a: "12abc" }, false); // passes validation, "12abc" < 20 is false
    await expectBoth({ all: [leaf("a", "greaterThan", 2)] }, { a: [3] }, true); // parseFloat([3]) = 3, [3] > 2
    await expectBoth({ all: [leaf("a", "greaterThan", 2)] }, { a: true }, false); // invalid: parseFloat(true) is NaN
    await expectBoth({ all: [leaf("a", "lessThan", "b")] }, { a: "1a" }, true); // "1a" < "b" as strings
    await expectBoth({ all: [leaf("a", "greaterThan", 1e300)] }, { a: "Infinity" }, true);
    await expectBoth({ all: [leaf("a", "lessThan", 1)] }, { a: null }, false);
    await expectBoth({ all: [leaf("a", "lessThanInclusive", 0)] }, {}, false);
  });

  it("contains needs an array fact; someFact/everyFact need an array fact; someValue/everyValue throw on non-arrays", async () => {
    await expectBoth({ all: [leaf("a", "contains", "b")] }, { a: "abc" }, false);
    await expectBoth({ all: [leaf("a", "doesNotContain", "z")] }, { a: "abc" }, false);
    await expectBoth({ all: [leaf("a", "contains", 2)] }, { a: [1, 2] }, true);
    await expectBoth({ all: [leaf("a", "someFact:equal", 2)] }, { a: 2 }, false);
    await expectBoth({ all: [leaf("a", "not:someFact:equal", 2)] }, { a: 2 }, true); // validator false → not → true
    await expectBoth({ all: [leaf("a", "everyFact:equal", 2)] }, { a: [] }, true);
    await expectBoth({ all: [leaf("a", "someValue:equal", "abc")] }, { a: "b" }, "throws");
    await expectBoth({ all: [leaf("a", "everyValue:lessThan", [5, 6])] }, { a: 4 }, true);
    await expectBoth({ all: [leaf("a", "swap:contains", 2)] }, { a: [1, 2] }, false); // contains' validator sees the value 2
    await expectBoth({ all: [leaf("a", "swap:contains", [1, 2])] }, { a: 2 }, true);
    await expectBoth({ all: [leaf("a", "someFact:someValue:equal", [3, 4])] }, { a: [1, 4] }, true);
    await expectBoth({ all: [leaf("a", "not:not:equal", 1)] }, { a: 1 }, true);
  });

  it("unknown operators and decorators throw only when evaluated", async () => {
    await expectBoth({ all: [leaf("a", "bogus", 1)] }, {}, "throws");
    await expectBoth({ all: [leaf("a", "foo:equal", 1)] }, {}, "throws");
    await expectBoth({ all: [leaf("a", ":equal", 1)] }, {}, "throws");
    await expectBoth({ all: [leaf("a", "not::equal", 1)] }, {}, "throws");
    await expectBoth({ all: [leaf("a", "equal:", 1)] }, {}, "throws");
    await expectBoth({ not: { all: [] }, any: [leaf("a", "equal", 1)] }, { a: 1 }, true); // any beats not
  });

  it("priority: groups run highest first and short-circuit; a group is always evaluated whole", async () => {
    const bogus = leaf("a", "bogus", 1);
    await expectBoth({ any: [leaf("a", "equal", 1), bogus] }, { a: 1 }, "throws");
    await expectBoth({ any: [leaf("a", "equal", 1, { priority: 5 }), bogus] }, { a: 1 }, true);
    await expectBoth({ any: [{ all: [leaf("a", "equal", 1)], priority: "5" }, bogus] }, { a: 1 }, true);
    await expectBoth({ all: [leaf("a", "equal", 2, { priority: 5 }), bogus] }, { a: 1 }, false);
    await expectBoth({ all: [leaf("a", "equal", 1, { priority: 5 }), bogus] }, { a: 1 }, "throws");
    await expectBoth({ any: [bogus, leaf("a", "equal", 1, { priority: 0 })] }, { a: 1 }, "throws"); // 0 → 1
    await expectBoth({ any: [bogus, leaf("a", "equal", 1, { priority: -1 })] }, { a: 1 }, "throws");
    await expectBoth({ any: [{ ...bogus, priority: -1 }, leaf("a", "equal", 1)] }, { a: 1 }, true);
    // A leaf's priority is used raw ("3abc" is its own group), a boolean's is parseInt'ed ("3abc" → 3).
    await expectBoth({ any: [{ ...bogus, priority: 2 }, leaf("a", "equal", 1, { priority: "3abc" })] }, { a: 1 }, "throws");
    await expectBoth({ any: [{ ...bogus, priority: 2 }, { all: [leaf("a", "equal", 1)], priority: "3abc" }] }, { a: 1 }, true);
    // A priority named like an Object.prototype member breaks the engine's `{}` of groups.
    await expectBoth({ any: [leaf("a", "equal", 1, { priority: "constructor" }), leaf("a", "equal", 1)] }, { a: 1 }, "throws");
    await expectBoth({ any: [leaf("a", "equal", 1, { priority: "constructor" })] }, { a: 1 }, true); // one child: no grouping
  });

  it("one child keeps the raw operator result; nested booleans and ≥2 children count only === true", async () => {
    await expectBoth({ all: [leaf("a", "raw", 0)] }, { a: 1 }, true);
    await expectBoth({ any: [leaf("a", "raw", 0)] }, { a: "x" }, true);
    await expectBoth({ all: [leaf("a", "raw", 0)] }, { a: 0 }, false);
    await expectBoth({ all: [{ all: [leaf("a", "raw", 0)] }] }, { a: 1 }, false);
    await expectBoth({ all: [leaf("a", "raw", 0), leaf("a", "raw", 0)] }, { a: 1 }, false);
    await expectBoth({ any: [leaf("a", "raw", 0), leaf("a", "raw", 0)] }, { a: true }, true);
    await expectBoth({ not: leaf("a", "raw", 0) }, { a: 1 }, false);
    await expectBoth({ not: leaf("a", "raw", 0) }, { a: "" }, true);
    await expectBoth({ all: [{ not: leaf("a", "raw", 0) }] }, { a: 0 }, true);
  });

  it("facts: own enumerable keys only, missing is undefined, the empty key makes every run throw", async () => {
    await expectBoth({ all: [leaf("toString", "equal", undefined)] }, {}, true);
    await expectBoth({ all: [leaf("constructor", "notEqual", undefined)] }, {}, false);
    await expectBoth({ all: [leaf("missing", "notEqual", null)] }, {}, true);
    await expectBoth({ all: [] }, { "": 1 }, "throws");
    await expectBoth({ all: [leaf("a", "equal", 1)] }, { a: 1, "": 0 }, "throws");
    const inherited = Object.create({ a: 1 }) as Facts;
    await expectBoth({ all: [leaf("a", "equal", undefined)] }, inherited, true);
    const hidden: Facts = {};
    Object.defineProperty(hidden, "a", { value: 1, enumerable: false });
    await expectBoth({ all: [leaf("a", "equal", undefined)] }, hidden, true);
    const protoKey = JSON.parse('{"__proto__": 7}') as Facts;
    await expectBoth({ all: [leaf("__proto__", "equal", 7)] }, protoKey, true);
  });

  it("path: resolved on objects with resolveSafePath, ignored on primitives, falsy path ignored", async () => {
    await expectBoth({ all: [leaf("a", "equal", 5, { path: "$.x" })] }, { a: 5 }, true);
    await expectBoth({ all: [leaf("a", "equal", 2, { path: "$.x[1]" })] }, { a: { x: [1, 2] } }, true);
    await expectBoth({ all: [leaf("a", "equal", undefined, { path: "$.x" })] }, { a: [1] }, true);
    await expectBoth({ all: [leaf("a", "equal", 1, { path: "$[0]" })] }, { a: [1] }, true);
    await expectBoth({ all: [leaf("a", "equal", undefined, { path: "$..x" })] }, { a: { x: 1 } }, true); // unsafe → undefined
    await expectBoth({ all: [leaf("a", "equal", undefined, { path: "$.toString" })] }, { a: {} }, true);
    await expectBoth({ all: [leaf("a", "equal", null, { path: "$.x" })] }, { a: null }, true);
    await expectBoth({ all: [leaf("a", "equal", 1, { path: "" })] }, { a: 1 }, true);
  });

  it("value { fact, path } reads another fact (or the same one, by identity)", async () => {
    const obj = { x: [1, 2] };
    await expectBoth({ all: [leaf("a", "equal", { fact: "a" })] }, { a: obj }, true);
    await expectBoth({ all: [leaf("a", "equal", { fact: "b", path: "$.x[0]" })] }, { a: 1, b: obj }, true);
    await expectBoth({ all: [leaf("a", "lessThan", { fact: "b" })] }, { a: 1, b: 2 }, true);
    await expectBoth({ all: [leaf("a", "in", { fact: "b" })] }, { a: 1 }, "throws"); // undefined.indexOf
    await expectBoth({ all: [leaf("a", "equal", { fact: 3 })] }, { a: undefined, 3: 1 }, true); // non-string fact never matches
    await expectBoth({ all: [leaf("a", "contains", { fact: "b" })] }, { a: [obj], b: obj }, true);
  });

  it("literal values are the engine's deep copy: never === a fact, prototype-named keys dropped", async () => {
    // The engine copies { toString, valueOf } to {} (clone skips keys Object.prototype holds), so < does not throw.
    await expectBoth({ all: [leaf("a", "lessThan", { toString: 1, valueOf: 2 })] }, { a: 5 }, false);
    // A fact with the same keys is not copied: coercing it throws.
    await expectBoth({ all: [leaf("a", "lessThan", 5)] }, { a: { toString: 1, valueOf: 2 } }, "throws");
    const shared = [1, 2];
    const conditions = { all: [leaf("a", "contains", 1), leaf("b", "in", shared)] };
    await expectBoth(conditions, { a: shared, b: 2 }, true);
    // An own "__proto__" key in a value becomes the copy's prototype: here an array, so `in` finds
    // Array.prototype.indexOf and searches the inherited elements (uncopied, it would throw).
    const value = JSON.parse('{"__proto__": [1, 2]}') as unknown;
    await expectBoth({ all: [leaf("a", "in", value)] }, { a: 1 }, true);
    await expectBoth({ all: [leaf("a", "in", value)] }, { a: 3 }, false);
  });

  it("coveredBy, plain and decorated", async () => {
    await expectBoth({ all: [leaf("d", "coveredBy", "CN")] }, { d: "CN-GD-SZ" }, true);
    await expectBoth({ all: [leaf("d", "coveredBy", ["US", "CN-ZJ"])] }, { d: "CN-GD" }, false);
    await expectBoth({ all: [leaf("d", "someFact:coveredBy", "CN-GD")] }, { d: ["US", "CN-GD-SZ"] }, true);
    await expectBoth({ all: [leaf("d", "not:coveredBy", "CN")] }, { d: 5 }, true);
  });

  it("custom operators replace built-ins of the same name, and are decorated like them", async () => {
    const ops: Operators = new Map<string, OperatorFn>([["equal", (a, b) => a == b]]); // loose on purpose
    await expectBoth({ all: [leaf("a", "equal", "1")] }, { a: 1 }, true, ops);
    await expectBoth({ all: [leaf("a", "not:equal", "1")] }, { a: 1 }, false, ops);
    await expectBoth({ all: [leaf("a", "notEqual", "1")] }, { a: 1 }, true, ops);
  });

  it("condition references (the engine has none) throw below the root; a root boolean wins over one", async () => {
    await expectBoth({ all: [{ condition: "x" }] }, {}, "throws");
    await expectBoth({ all: [{ condition: "x", any: [] }] }, {}, "throws");
    await expectBoth({ condition: "x" }, {}, "throws");
    await expectBoth({ condition: "x", all: [] }, {}, true);
    await expectBoth({ any: [leaf("a", "equal", 1, { priority: 2 }), { condition: "x" }] }, { a: 1 }, true);
  });

  it("non-string operators: an array name is unknown, a number name is a TypeError", async () => {
    await expectBoth({ all: [leaf("a", ["equal"] as never, 1)] }, { a: 1 }, "throws");
    await expectBoth({ all: [leaf("a", 5 as never, 1)] }, { a: 1 }, "throws");
  });

  it("structural errors throw when compiling, as engine.addRule does", () => {
    const bad: unknown[] = [
      { fact: "a", operator: "equal", value: 1 },
      { all: {} },
      { any: "x" },
      { not: [] },
      { not: null },
      { all: [{ fact: "a", operator: "equal" }] },
      { all: [{ fact: "a", value: 1 }] },
      { all: [{ operator: "equal", value: 1 }] },
      { all: [null] },
      { all: ["x"] },
      {},
      5,
    ];
    for (const conditions of bad) {
      expect(() => realEngine(conditions, OPERATORS)).toThrow();
      expect(() => compileConditions(conditions as Condition, OPERATORS)).toThrow();
    }
    expect(() => compileConditions({ all: [] }, new Map([["", () => true]]))).toThrow("Missing operator name");
  });

  it("a falsy root compiles (the engine adds the rule) but every run throws", async () => {
    await expectBoth(null, {}, "throws");
  });

  it("does not mutate the conditions (the engine rewrites a leaf's priority with parseInt)", () => {
    const conditions = { any: [leaf("a", "equal", 1, { priority: "2" }), leaf("a", "equal", 2)] };
    const before = JSON.stringify(conditions);
    compileConditions(conditions as Condition, OPERATORS)({ a: 1 });
    expect(JSON.stringify(conditions)).toBe(before);
  });

  it("throws like addRule on a frozen leaf with a priority", () => {
    const frozen = { any: [Object.freeze(leaf("a", "equal", 1, { priority: 2 })), leaf("a", "equal", 2)] };
    expect(() => new Engine([], {}).addRule({ conditions: frozen as never, event: { type: "r" } })).toThrow();
    expect(() => compileConditions(frozen as Condition, OPERATORS)).toThrow();
  });
});

// ---------------------------------------------------------------- differential properties

let differentialCases = 0;
/** How often the engine gave each outcome: the generators must reach all three. */
const outcomes = new Map<Outcome, number>();

const FACT_NAMES = ["a", "b", "c", "d", "toString", "constructor", "__proto__", "missing"] as const;
const FACT_KEYS = ["a", "b", "c", "d", "toString", "__proto__"] as const;

const scalar = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -5, max: 30 }) },
  fc.constantFrom(0, -0, 1.5, -2.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e21),
  {
    weight: 3,
    arbitrary: fc.constantFrom("", "a", "b", "abc", "bc", "12", "3.5", "-4", "12abc", "NaN", "Infinity", " 7", "1e3", "true", "null", "CN", "CN-GD", "CN-GD-SZ", "US"),
  },
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  // Objects whose coercion throws unless copied the engine's way (which drops both keys).
  fc.constantFrom<unknown>({ toString: 1, valueOf: 2 }, JSON.parse('{"__proto__": [1, "a"]}'), JSON.parse('{"__proto__": null, "x": 1}')),
);

const OBJECT_KEYS = fc.constantFrom("x", "y", "0", "length", "indexOf", "some", "toString", "valueOf", "constructor", "__proto__");

/** JSON-ish values (plus NaN, ±Infinity, -0, undefined): scalars, arrays, objects with awkward keys. */
const jsonish: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthSize: "small" },
    { weight: 6, arbitrary: scalar },
    fc.array(tie("value"), { maxLength: 4 }),
    fc.uniqueArray(fc.tuple(OBJECT_KEYS, tie("value")), { maxLength: 3, selector: ([k]) => k }).map((entries) => Object.fromEntries(entries)),
  ),
})).value;

const PATHS = fc.constantFrom("$", "$.x", "$.y", "$.x.y", "$[0]", "$[1]", "$.x[0]", "$.length", "$.toString", "$..x", "bad", "");

const factRef = fc.record(
  { fact: fc.constantFrom(...FACT_NAMES), path: PATHS },
  { requiredKeys: ["fact"] },
);

const conditionValue = fc.oneof({ weight: 5, arbitrary: jsonish }, { weight: 2, arbitrary: factRef });

const BASE_OPERATORS = [
  "equal",
  "notEqual",
  "in",
  "notIn",
  "contains",
  "doesNotContain",
  "lessThan",
  "lessThanInclusive",
  "greaterThan",
  "greaterThanInclusive",
  "coveredBy",
  "raw",
  "boomOnNull",
] as const;
const DECORATORS = ["someFact", "someValue", "everyFact", "everyValue", "swap", "not"] as const;

const operatorName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...BASE_OPERATORS) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.array(fc.constantFrom(...DECORATORS), { minLength: 1, maxLength: 2 }), fc.constantFrom(...BASE_OPERATORS))
      .map(([decorators, base]) => [...decorators, base].join(":")),
  },
  fc.constantFrom("bogus", "foo:equal", ":equal", "not:bogus"),
);

/** Priorities that never make the engine throw synchronously (those are unit-tested above). */
const priority = fc.constantFrom(1, 2, 3, -1, 0, 2.5, "2", "3abc", "abc", null);

const leafArb = fc.record(
  { fact: fc.constantFrom(...FACT_NAMES), operator: operatorName, value: conditionValue, path: PATHS, priority },
  { requiredKeys: ["fact", "operator", "value"] },
);

function booleanArb(depth: number): fc.Arbitrary<unknown> {
  const child = depth <= 1 ? leafArb : fc.oneof({ weight: 3, arbitrary: leafArb }, { weight: 2, arbitrary: booleanArb(depth - 1) });
  const opt = (node: Record<string, unknown>) =>
    fc.option(priority, { nil: undefined, freq: 3 }).map((p) => (p === undefined ? node : { ...node, priority: p }));
  return fc.oneof(
    { weight: 3, arbitrary: fc.array(child, { maxLength: 4 }).chain((all) => opt({ all })) },
    { weight: 3, arbitrary: fc.array(child, { maxLength: 4 }).chain((any) => opt({ any })) },
    { weight: 1, arbitrary: child.chain((not) => opt({ not })) },
  );
}

/** A root all/any/not, nesting at most 4 levels. */
const conditionsArb = booleanArb(4);

/** Fact sets: a few of the names, any values, sometimes the empty key. */
const factsArb: fc.Arbitrary<Facts> = fc
  .tuple(
    fc.uniqueArray(fc.tuple(fc.constantFrom(...FACT_KEYS), jsonish), { maxLength: 5, selector: ([k]) => k }),
    fc.integer({ min: 0, max: 49 }),
  )
  .map(([entries, n]) => Object.fromEntries(n === 0 ? [...entries, ["", 1]] : entries) as Facts);

async function differential(conditions: unknown, factSets: readonly Facts[], operators: Operators = OPERATORS): Promise<void> {
  const compiled = compileConditions(conditions as Condition, operators);
  const engine = realEngine(conditions, operators);
  for (const facts of factSets) {
    differentialCases++;
    // Sequential: one Engine never runs two fact sets at once.
    const expected = await runEngine(engine, facts);
    outcomes.set(expected, (outcomes.get(expected) ?? 0) + 1);
    expect(runCompiled(compiled, facts)).toEqual(expected);
  }
}

describe("compileConditions ≡ json-rules-engine (property-based, differential)", () => {
  afterAll(() => {
    expect(differentialCases).toBeGreaterThanOrEqual(3000);
    for (const outcome of [true, false, "throws"] as const) expect(outcomes.get(outcome) ?? 0).toBeGreaterThan(differentialCases / 20);
  });

  it("random condition trees (depth ≤ 4) over random facts", async () => {
    await fc.assert(
      fc.asyncProperty(conditionsArb, fc.array(factsArb, { minLength: 1, maxLength: 4 }), (conditions, factSets) =>
        differential(conditions, factSets),
      ),
      { numRuns: 2500 },
    );
  });

  it("single leaves: every operator and decorator chain over values of every type", async () => {
    await fc.assert(
      fc.asyncProperty(
        leafArb,
        fc.constantFrom("all", "any", "not"),
        fc.array(factsArb, { minLength: 1, maxLength: 4 }),
        (node, root, factSets) => differential(root === "not" ? { not: node } : { [root]: [node] }, factSets),
      ),
      { numRuns: 2000 },
    );
  });

  it("shipped-rule shapes: all of equal/greaterThan leaves over check-like facts", async () => {
    const checks = fc.constantFrom("below-floor", "below-map", "online-offline-gap", "out-of-territory");
    const shippedLeaf = fc.oneof(
      fc.record({ fact: fc.constant("check"), operator: fc.constant("equal"), value: checks }),
      fc.record({ fact: fc.constantFrom("a", "b"), operator: fc.constant("equal"), value: fc.oneof(fc.boolean(), fc.constant(null)) }),
      fc.record({ fact: fc.constant("c"), operator: fc.constantFrom("greaterThan", "lessThanInclusive"), value: fc.integer({ min: -5, max: 30 }) }),
    );
    const facts = fc.record(
      { check: checks, a: fc.oneof(fc.boolean(), fc.constant(null)), b: fc.boolean(), c: fc.oneof(fc.integer({ min: -5, max: 30 }), fc.double({ noNaN: false })) },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(shippedLeaf, { minLength: 1, maxLength: 3 }), fc.array(facts, { minLength: 1, maxLength: 4 }), (all, factSets) =>
        differential({ all }, factSets as Facts[]),
      ),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------- traces (explain) against the engine's RuleResult

/** A traced tree with what both sides describe alike: no `value` (a copy on each side) and no `priority` (the engine parses it). */
function comparable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(comparable);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "value" || key === "priority" || value === undefined) continue;
    out[key] = key === "all" || key === "any" || key === "not" ? comparable(value) : value;
  }
  return out;
}

/** What the engine wrote on a condition as it evaluated it (`toJSON` leaves boolean nodes' `result` out, so read the objects). */
function engineNode(node: unknown): unknown {
  const condition = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const operator = ["any", "all", "not"].find((key) => Object.hasOwn(condition, key) && condition[key] !== undefined);
  if (operator === "not") out.not = engineNode(condition.not);
  else if (operator) out[operator] = (condition[operator] as unknown[]).map(engineNode);
  else if (Object.hasOwn(condition, "condition")) out.condition = condition.condition;
  else {
    for (const key of ["fact", "operator", "path"]) if (condition[key]) out[key] = condition[key];
    for (const key of ["factResult", "valueResult", "result"]) if (Object.hasOwn(condition, key)) out[key] = condition[key];
  }
  if (operator && Object.hasOwn(condition, "result")) out.result = condition.result;
  return out;
}

/** The engine's own account of one run: whether the rule fired and its `RuleResult.conditions`, or that it threw. */
async function engineTrace(engine: Engine, facts: Facts): Promise<{ fires: boolean; conditions: unknown } | "throws"> {
  try {
    const runtimeFacts: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(facts)) runtimeFacts[key] = facts[key];
    const { results, failureResults } = await engine.run(runtimeFacts);
    const result = [...results, ...failureResults][0] as unknown as { result: unknown; conditions: unknown };
    return { fires: Boolean(result.result), conditions: engineNode(result.conditions) };
  } catch {
    return "throws";
  }
}

let tracedLeaves = 0;
let unreachedLeaves = 0;

function countLeaves(node: TracedCondition): void {
  if ("all" in node) node.all.forEach(countLeaves);
  else if ("any" in node) node.any.forEach(countLeaves);
  else if ("not" in node) countLeaves(node.not);
  else if ("fact" in node) {
    if ("result" in node) tracedLeaves++;
    else unreachedLeaves++;
  }
}

describe("traceConditions ≡ json-rules-engine's factResult / valueResult / result (property-based, differential)", () => {
  afterAll(() => {
    // The generators reach leaves that were evaluated and leaves a deciding priority group left unevaluated.
    expect(tracedLeaves).toBeGreaterThan(1000);
    expect(unreachedLeaves).toBeGreaterThan(20);
  });

  it("random condition trees over random facts: the same outcome on every node, the same firing, the same throws", async () => {
    await fc.assert(
      fc.asyncProperty(conditionsArb, fc.array(factsArb, { minLength: 1, maxLength: 3 }), async (conditions, factSets) => {
        let trace: ReturnType<typeof traceConditions> | "throws";
        try {
          trace = traceConditions(conditions as Condition, OPERATORS);
        } catch {
          trace = "throws";
        }
        if (trace === "throws") {
          expect(() => compileConditions(conditions as Condition, OPERATORS)).toThrow();
          return;
        }
        const engine = realEngine(conditions, OPERATORS);
        const compiled = compileConditions(conditions as Condition, OPERATORS);
        for (const facts of factSets) {
          const expected = await engineTrace(engine, facts);
          let actual: ReturnType<ReturnType<typeof traceConditions>> | "throws";
          try {
            actual = trace(facts);
          } catch {
            actual = "throws";
          }
          if (expected === "throws" || actual === "throws") {
            expect(actual).toBe(expected);
            continue;
          }
          countLeaves(actual.conditions);
          expect(actual.fires).toBe(expected.fires);
          expect(actual.fires).toBe(compiled(facts));
          expect(comparable(actual.conditions)).toEqual(comparable(expected.conditions));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("a failed leaf shows what it compared", () => {
    const trace = traceConditions({ all: [leaf("check", "equal", "below-floor"), leaf("belowFloorPct", "greaterThan", 20)] } as Condition, OPERATORS);
    expect(trace({ check: "below-floor", belowFloorPct: 12.5 })).toEqual({
      fires: false,
      conditions: {
        all: [
          { fact: "check", operator: "equal", value: "below-floor", factResult: "below-floor", valueResult: "below-floor", result: true },
          { fact: "belowFloorPct", operator: "greaterThan", value: 20, factResult: 12.5, valueResult: 20, result: false },
        ],
      },
    });
  });
});

describe("compileFactTest", () => {
  it("gives what compileConditions({ all: [leaf] }) gives on facts holding the leaf's fact (or stays out)", () => {
    let direct = 0;
    // Mostly plain leaves (the ones it takes), some of every kind.
    const plainLeaf = fc.record({ fact: fc.constantFrom(...FACT_NAMES), operator: operatorName, value: scalar });
    fc.assert(
      fc.property(fc.oneof({ weight: 4, arbitrary: plainLeaf }, { weight: 1, arbitrary: leafArb }), jsonish, factsArb, (leaf, factValue, others) => {
        const test = compileFactTest(leaf as Condition, OPERATORS);
        if (test === undefined) return;
        direct++;
        // Facts the prefilter hands it: the leaf's fact as an own enumerable key, no "" key.
        const facts: Facts = Object.fromEntries([...Object.entries(others).filter(([key]) => key !== ""), [leaf.fact, factValue]]);
        expect(runCompiled(test, facts)).toEqual(runCompiled(compileConditions({ all: [leaf] } as Condition, OPERATORS), facts));
      }),
      { numRuns: 3000 },
    );
    // Leaves with a path, a fact reference or an unknown operator stay out; the rest must be taken.
    expect(direct).toBeGreaterThan(500);
  });

  it("stays out of leaves it cannot read directly", () => {
    expect(compileFactTest({ fact: "a", operator: "equal", value: 1, path: "$.x" } as Condition, OPERATORS)).toBeUndefined();
    expect(compileFactTest({ fact: "a", operator: "equal", value: { fact: "b" } } as Condition, OPERATORS)).toBeUndefined();
    expect(compileFactTest({ fact: "a", operator: "bogus", value: 1 } as Condition, OPERATORS)).toBeUndefined();
    expect(compileFactTest({ fact: "", operator: "equal", value: 1 } as Condition, OPERATORS)).toBeUndefined();
    expect(compileFactTest({ fact: "a", operator: "equal", value: 1, priority: 2 } as Condition, OPERATORS)).toBeUndefined();
    expect(compileFactTest({ fact: "a", operator: "greaterThan", value: 1 } as Condition, OPERATORS)?.({ a: 2 })).toBe(true);
  });
});
