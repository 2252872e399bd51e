import type { Condition } from "../core/types.js";
import { resolveSafePath } from "./pathResolver.js";

/**
 * A synchronous, compiled twin of json-rules-engine 7.3.1 for ONE rule's conditions, run the way
 * `createEvaluator` runs them: `new Engine([], { allowUndefinedFacts: true, pathResolver: resolveSafePath })`,
 * the given custom operators added, no engine-level facts, no named conditions, runtime facts only.
 *
 * `compileConditions(c, ops)(facts)` returns exactly what "does `engine.run(facts)` emit the rule's
 * event" would, and THROWS exactly when `engine.run(facts)` would reject. Property-based
 * differential tests (`compileConditions.test.ts`) hold it to the real engine. The engine's quirks
 * that it reproduces on purpose (each one checked against the engine):
 *
 * - `all: []` and `any: []` are TRUE (so `not: { any: [] }` is false).
 * - A boolean node with one child returns the child's raw result; a boolean node nested in another
 *   counts only `=== true`; `all`/`any` with ≥ 2 children count `=== true`; the rule fires on a
 *   truthy root. (So a custom operator returning `1` fires `{ all: [leaf] }` but not
 *   `{ all: [{ all: [leaf] }] }` nor `{ all: [leaf, leaf] }`.)
 * - `all`/`any` with ≥ 2 children are grouped by `priority` (highest first; a leaf's priority is its
 *   RAW `priority` value, falsy → 1; a boolean node's is `parseInt(priority, 10) || 1`), ordered by
 *   the engine's own (inconsistent) comparator. Every child of a group is evaluated; groups
 *   short-circuit. This only shows when a condition throws: an error in a group that a higher
 *   group already decided is never raised, an error beside a deciding condition in the SAME group is.
 * - Operator errors reject the run: `in`/`notIn` call `value.indexOf(fact)` (a string value does a
 *   substring test; a number, null or object value throws), `someValue`/`everyValue` call
 *   `value.some/every` (throw on non-arrays), an unknown operator or decorator throws
 *   `Unknown operator: …` — but only when that leaf is actually evaluated, as in the engine.
 * - Operator `factValueValidator`s: the numeric comparisons need
 *   `Number.parseFloat(fact).toString() !== 'NaN'` (so `"12abc"`, `[3]`, `"Infinity"` pass and are
 *   then compared with JS `<`); `contains`/`doesNotContain`/`someFact`/`everyFact` need an array fact.
 *   Decorators chain right to left (`not:someFact:equal` = not(someFact(equal))), each with its validator.
 * - Facts are the OWN ENUMERABLE keys of `facts` (what `createEvaluator` copies); a missing fact is
 *   `undefined`. A fact whose key is `""` makes the whole run throw (`factId required`), whatever
 *   the conditions. A non-string `fact` name never matches.
 * - `path` (when truthy) is resolved with `resolveSafePath` only when the fact value is a non-null
 *   object; on a primitive fact the path is ignored and the primitive itself is compared.
 * - `value: { fact, path? }` (any non-null object with an own `fact` key) reads that fact instead.
 * - The engine deep-copies the conditions (`clone` 2.1.2) on every run; literal values are copied the
 *   same way here, once: object keys that are data properties of the prototype (`constructor`,
 *   `toString`, `valueOf`, …) are dropped, so a `value` can never be `===` a fact value.
 * - Structural errors throw when compiling, as `engine.addRule` does: a root without
 *   `all`/`any`/`not`/`condition`, `all`/`any` that is not an array, `not` that is one, a leaf
 *   missing `fact`, `operator` or `value`, a custom operator without a name or a function.
 *   `any` beats `all` beats `not` when a node has several. A `condition` reference throws when
 *   evaluated (the engine has no named conditions); beside a boolean key it wins below the root
 *   and loses at the root.
 *
 * Out of scope (the engine would differ): fact values that are functions or thenables (the engine
 * calls / awaits them; facts are JSON here), non-JSON literal values (Map, Set, Date, RegExp,
 * Buffer, Promise are not deep-copied), own `__proto__` keys on condition nodes, operators that
 * mutate their arguments, are impure or read `this` (the engine calls them as methods of its
 * `Operator`). Unlike `engine.addRule`, compiling never mutates the
 * conditions (the engine rewrites a leaf's `priority` to `parseInt(priority, 10)` in the caller's
 * object, which changes the NEXT engine built from the same object, not the current one).
 */
export function compileConditions(
  conditions: Condition,
  operators: ReadonlyMap<string, (fact: unknown, value: unknown) => boolean>,
): (facts: Readonly<Record<string, unknown>>) => boolean {
  const context: CompileContext = { operators: operatorMapFor(operators), copies: new Map() };
  const root = compileRoot(conditions as unknown, context);
  return (facts) => {
    // engine.run: `new Fact(id, value)` throws "factId required" for the empty key.
    if (isEnumerable.call(facts, "")) throw new Error("factId required");
    return root(facts) ? true : false;
  };
}

/** What one leaf gave when it was evaluated: json-rules-engine's `factResult`, `valueResult` and `result`. */
export interface LeafOutcome {
  readonly factResult: unknown;
  readonly valueResult: unknown;
  /** The operator's raw result (a custom operator may return a non-boolean). */
  readonly result: unknown;
}

/**
 * A rule's conditions as evaluated on one set of facts, shaped as json-rules-engine's `RuleResult.conditions`:
 * each evaluated leaf carries what it compared and its result, each evaluated boolean node below the root its
 * result (`=== true` of what it computed); a node the engine would not reach (a priority group after the one
 * that decided) carries none.
 */
export type TracedCondition =
  | ({ readonly fact: unknown; readonly operator: unknown; readonly value: unknown; readonly path?: unknown; readonly priority?: unknown } & Partial<LeafOutcome>)
  | { readonly all: readonly TracedCondition[]; readonly priority?: unknown; readonly result?: boolean }
  | { readonly any: readonly TracedCondition[]; readonly priority?: unknown; readonly result?: boolean }
  | { readonly not: TracedCondition; readonly priority?: unknown; readonly result?: boolean }
  | { readonly condition: unknown; readonly priority?: unknown };

/** One traced evaluation: whether the rule fires, and every condition's outcome. */
export interface ConditionTrace {
  readonly fires: boolean;
  readonly conditions: TracedCondition;
}

/**
 * `compileConditions` that also records what each condition compared and gave — the same compiled tree
 * (same operators, fact reads, priorities and short-circuits), each node writing its outcome as it runs.
 * It answers `fires` exactly as `compileConditions` does and throws exactly when it throws; the outcomes
 * are held to json-rules-engine's own `factResult`/`valueResult`/`result` by a differential test. For
 * explanations (`explain`), not for scanning: it allocates on every call.
 */
export function traceConditions(
  conditions: Condition,
  operators: ReadonlyMap<string, (fact: unknown, value: unknown) => boolean>,
): (facts: Readonly<Record<string, unknown>>) => ConditionTrace {
  const outcomes: Array<LeafOutcome | boolean | undefined> = [];
  const context: CompileContext = { operators: operatorMapFor(operators), copies: new Map(), trace: { outcomes, next: 0 } };
  const root = compileRoot(conditions as unknown, context);
  return (facts) => {
    if (isEnumerable.call(facts, "")) throw new Error("factId required");
    outcomes.length = 0;
    const fires = root(facts) ? true : false;
    let slot = 0;
    // The slots were numbered in the order compileNode met the nodes: walk the tree in that order.
    const shape = (node: unknown, isRoot: boolean): TracedCondition => {
      const mine = slot++;
      const props = node as Record<string, unknown>;
      const outcome = outcomes[mine];
      const priority = hasOwn(props, "priority") ? { priority: props.priority } : {};
      const operator = booleanOperatorOf(node);
      if (operator !== undefined) {
        const result = !isRoot && typeof outcome === "boolean" ? { result: outcome } : {};
        if (operator === "not") return { not: shape(props.not, false), ...priority, ...result };
        const children = (props[operator] as readonly unknown[]).map((child) => shape(child, false));
        return operator === "all" ? { all: children, ...priority, ...result } : { any: children, ...priority, ...result };
      }
      if (hasOwn(props, "condition")) return { condition: props.condition, ...priority };
      const path = props.path ? { path: props.path } : {};
      const leaf = { fact: props.fact, operator: props.operator, value: props.value, ...path, ...priority };
      return typeof outcome === "object" ? { ...leaf, ...outcome } : leaf;
    };
    return { fires, conditions: shape(conditions, true) };
  };
}

type Facts = Readonly<Record<string, unknown>>;
/** A compiled node: returns the engine's raw result for that node (not always a boolean). */
type Compiled = (facts: Facts) => unknown;

interface CompileContext {
  readonly operators: OperatorMap;
  /** One deep-copy memo for the whole tree: the engine copies the tree with one `clone()` call. */
  readonly copies: Map<object, unknown>;
  /** When tracing (`traceConditions`): each node's slot, numbered as nodes are compiled, and its outcome. */
  readonly trace?: { readonly outcomes: Array<LeafOutcome | boolean | undefined>; next: number };
}

interface CompiledChild {
  readonly run: Compiled;
  /** `condition.priority` as the engine's `prioritizeConditions` sees it. */
  readonly priority: unknown;
}

const hasOwn = (value: unknown, key: string): boolean => Object.prototype.hasOwnProperty.call(value, key);
const isEnumerable = Object.prototype.propertyIsEnumerable;

function thrower(error: () => unknown): Compiled {
  return () => {
    throw error();
  };
}

// ---------------------------------------------------------------- tree (rule.js, condition.js)

/** Rule constructor + `setConditions` + the root dispatch of `Rule.evaluate`. */
function compileRoot(conditions: unknown, context: CompileContext): Compiled {
  // `if (options && options.conditions) this.setConditions(...)`: a falsy root leaves the rule
  // without conditions, and `ruleResult.conditions.any` then throws on every run.
  if (!conditions) return thrower(() => new TypeError("Cannot read properties of undefined (reading 'any')"));
  if (!hasOwn(conditions, "all") && !hasOwn(conditions, "any") && !hasOwn(conditions, "not") && !hasOwn(conditions, "condition")) {
    throw new Error('"conditions" root must contain a single instance of "all", "any", "not", or "condition"');
  }
  const node = compileNode(conditions, context, true);
  return node.run;
}

/**
 * `new Condition(properties)` (its checks throw at compile time, as at `addRule`) and the
 * `evaluateCondition` of the rule that will run it. At the root, `Rule.evaluate` dispatches on
 * `.any`/`.all`/`.not` before looking at `condition`, and keeps the raw result.
 */
function compileNode(properties: unknown, context: CompileContext, isRoot: boolean): CompiledChild {
  if (!properties) throw new Error("Condition: constructor options required");
  const slot = context.trace ? context.trace.next++ : -1;
  const booleanOperator = booleanOperatorOf(properties);
  const props = properties as Record<string, unknown>;
  if (booleanOperator !== undefined) {
    const sub = props[booleanOperator];
    const subIsArray = Array.isArray(sub);
    if (booleanOperator !== "not" && !subIsArray) throw new Error(`"${booleanOperator}" must be an array`);
    if (booleanOperator === "not" && subIsArray) throw new Error(`"${booleanOperator}" cannot be an array`);
    const priority = Number.parseInt(props.priority as string, 10) || 1;
    let run: Compiled;
    if (booleanOperator === "not") {
      const child = compileNode(sub, context, false).run;
      run = (facts) => !child(facts);
    } else {
      const children = (sub as readonly unknown[]).map((c) => compileNode(c, context, false));
      run = compileJunction(children, booleanOperator);
    }
    const isReference = hasOwn(properties, "condition");
    if (isRoot) return { run, priority };
    // Below the root `isConditionReference()` is checked first.
    if (isReference) return { run: referenceThrower(props.condition), priority };
    const inner = run;
    const outcomes = context.trace?.outcomes;
    if (outcomes) {
      return {
        run: (facts) => {
          const passes = inner(facts) === true;
          outcomes[slot] = passes;
          return passes;
        },
        priority,
      };
    }
    return { run: (facts) => inner(facts) === true, priority };
  }
  if (hasOwn(properties, "condition")) {
    return { run: referenceThrower(props.condition), priority: copy(props.priority, context) };
  }
  if (!hasOwn(properties, "fact")) throw new Error('Condition: constructor "fact" property required');
  if (!hasOwn(properties, "operator")) throw new Error('Condition: constructor "operator" property required');
  if (!hasOwn(properties, "value")) throw new Error('Condition: constructor "value" property required');
  // The engine's Condition keeps the RAW priority (Object.assign runs first), then writes
  // `properties.priority = parseInt(properties.priority, 10)` into the caller's object: that
  // parse can throw, and so does the write into a frozen object; we check both without writing.
  if (hasOwn(properties, "priority")) {
    Number.parseInt(props.priority as string, 10);
    if (!isWritable(properties as object, "priority")) {
      throw new TypeError("Cannot assign to read only property 'priority' of object");
    }
  }
  return { run: compileLeaf(props, context, slot), priority: copy(props.priority, context) };
}

function isWritable(object: object, key: string): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (!descriptor) return Object.isExtensible(object);
  if ("value" in descriptor) return descriptor.writable === true;
  return descriptor.set !== undefined;
}

/**
 * A leaf `{ fact, operator, value }` — a non-empty string fact, a literal value, no other key — as one
 * direct test for facts that hold `fact` as an own enumerable property and no `""` key: on such facts it
 * returns what `compileConditions({ all: [leaf] }, operators)` returns, without the generic steps
 * (the fact and key checks, the junction). Undefined for any other leaf, and for a leaf whose operator
 * does not resolve (the generic path throws as the engine does).
 */
export function compileFactTest(
  leaf: Condition,
  operators: ReadonlyMap<string, (fact: unknown, value: unknown) => boolean>,
): ((facts: Readonly<Record<string, unknown>>) => boolean) | undefined {
  const props = leaf as unknown as Record<string, unknown>;
  if (Object.keys(props).some((key) => key !== "fact" && key !== "operator" && key !== "value")) return undefined;
  const { fact, operator: name, value } = props;
  if (typeof fact !== "string" || fact === "" || typeof name !== "string") return undefined;
  if (value === undefined || (typeof value === "object" && value !== null)) return undefined;
  let op: Operator | null;
  try {
    op = operatorMapFor(operators).get(name);
  } catch {
    return undefined;
  }
  if (!op) return undefined;
  const operator = op;
  // `{ all: [leaf] }` returns the leaf's raw result, which the compiled rule reads as truthy or not.
  if (operator.builtin === "equal") return (facts) => facts[fact] === value;
  if (operator.builtin === "notEqual") return (facts) => facts[fact] !== value;
  return (facts) => (operator.evaluate(facts[fact], value) ? true : false);
}

/** The boolean operator the engine reads a node as: `any` before `all` before `not`, as it checks them. */
export function booleanOperatorOf(condition: unknown): "any" | "all" | "not" | undefined {
  if (hasOwn(condition, "any")) return "any";
  if (hasOwn(condition, "all")) return "all";
  if (hasOwn(condition, "not")) return "not";
  return undefined;
}

/** `realize()`: the engine has no named conditions and does not allow undefined ones. */
function referenceThrower(name: unknown): Compiled {
  return thrower(() => new Error(`No condition ${String(name)} exists`));
}

/** `prioritizeAndRun(conditions, 'all' | 'any')`. */
function compileJunction(children: readonly CompiledChild[], operator: "all" | "any"): Compiled {
  if (children.length === 0) return () => true;
  if (children.length === 1) return (children[0] as CompiledChild).run;
  let sets: Compiled[][];
  try {
    sets = prioritizeConditions(children).map((set) => set.map((child) => child.run));
  } catch (error) {
    // The engine prioritizes when it reaches the node, so the error is raised then.
    return thrower(() => error);
  }
  if (sets.length === 1) {
    const only = sets[0] as Compiled[];
    if (operator === "all") {
      return (facts) => {
        let every = true;
        for (let i = 0; i < only.length; i++) if ((only[i] as Compiled)(facts) !== true) every = false;
        return every;
      };
    }
    return (facts) => {
      let some = false;
      for (let i = 0; i < only.length; i++) if ((only[i] as Compiled)(facts) === true) some = true;
      return some;
    };
  }
  if (operator === "all") {
    // cursor = true; for each set: cursor && Promise.all(set).every(r => r === true)
    return (facts) => {
      for (const set of sets) {
        let every = true;
        for (let i = 0; i < set.length; i++) if ((set[i] as Compiled)(facts) !== true) every = false;
        if (!every) return false;
      }
      return true;
    };
  }
  // cursor = false; for each set: cursor || Promise.all(set).some(r => r === true)
  return (facts) => {
    for (const set of sets) {
      let some = false;
      for (let i = 0; i < set.length; i++) if ((set[i] as Compiled)(facts) === true) some = true;
      if (some) return true;
    }
    return false;
  };
}

/**
 * `Rule.prototype.prioritizeConditions`, line for line (a plain `{}` of sets, so a priority such as
 * "constructor" throws as it does there; the same comparator, so the same order). The engine has no
 * engine-level facts, so a condition without a truthy priority gets 1.
 */
function prioritizeConditions(children: readonly CompiledChild[]): CompiledChild[][] {
  const factSets = children.reduce<Record<string, CompiledChild[]>>((sets, condition) => {
    let priority = condition.priority;
    if (!priority) priority = 1;
    const key = priority as string;
    if (!sets[key]) sets[key] = [];
    (sets[key] as CompiledChild[]).push(condition);
    return sets;
  }, {});
  return Object.keys(factSets)
    .sort((a, b) => (Number(a) > Number(b) ? -1 : 1))
    .map((priority) => factSets[priority] as CompiledChild[]);
}

// ---------------------------------------------------------------- leaves (condition.js, almanac.js)

/** A reader of `almanac.factValue(factId, params, path)` over runtime facts only. */
function factReader(factId: unknown, path: unknown): Compiled {
  // The almanac's fact map is keyed by the (string) keys of the runtime facts.
  if (typeof factId !== "string") return () => undefined;
  if (!path) return (facts) => (isEnumerable.call(facts, factId) ? facts[factId] : undefined);
  return (facts) => {
    if (!isEnumerable.call(facts, factId)) return undefined;
    const value = facts[factId];
    return value != null && typeof value === "object" ? resolveSafePath(value, path as string) : value;
  };
}

function compileLeaf(props: Record<string, unknown>, context: CompileContext, slot: number): Compiled {
  // The engine evaluates a deep copy of the conditions: read every field from a copy.
  const factId = copy(props.fact, context);
  const operatorName = copy(props.operator, context);
  const value = copy(props.value, context);
  const path = copy(props.path, context);

  let op: Operator | null;
  try {
    op = context.operators.get(operatorName);
  } catch (error) {
    return thrower(() => error);
  }
  if (!op) return thrower(() => new Error(`Unknown operator: ${String(operatorName)}`));
  const operator = op;

  const left = factReader(factId, path);
  // almanac.getValue: an object with an own `fact` key is a reference to another fact.
  const isReference = value != null && typeof value === "object" && hasOwn(value, "fact");
  const right = isReference ? factReader((value as Record<string, unknown>).fact, (value as Record<string, unknown>).path) : () => value;
  const outcomes = context.trace?.outcomes;
  if (outcomes) {
    return (facts) => {
      const valueResult = right(facts);
      const factResult = left(facts);
      const result = operator.evaluate(factResult, valueResult);
      outcomes[slot] = { factResult, valueResult, result };
      return result;
    };
  }
  if (isReference) return (facts) => operator.evaluate(left(facts), right(facts));
  if (operator.builtin === "equal") return (facts) => left(facts) === value;
  if (operator.builtin === "notEqual") return (facts) => left(facts) !== value;
  return (facts) => operator.evaluate(left(facts), value);
}

/**
 * The deep copy of `clone` 2.1.2 (the engine's `RuleResult` copies the conditions with it) for
 * JSON-like values: arrays and objects are copied key by key (`for…in`, plain assignment), keys the
 * prototype holds as data properties are skipped, shared and circular references are kept.
 */
function copy(value: unknown, context: CompileContext): unknown {
  if (value === null || typeof value !== "object") return value;
  const seen = context.copies.get(value);
  if (seen !== undefined) return seen;
  if (value instanceof Map || value instanceof Set || value instanceof Date || value instanceof RegExp || value instanceof Promise) {
    return value; // not JSON; out of scope
  }
  let proto: object | null | undefined;
  let child: Record<string, unknown>;
  if (Array.isArray(value)) {
    child = [] as unknown as Record<string, unknown>;
  } else {
    proto = Object.getPrototypeOf(value) as object | null;
    child = Object.create(proto) as Record<string, unknown>;
  }
  context.copies.set(value, child);
  const source = value as Record<string, unknown>;
  for (const key in source) {
    if (proto) {
      const attrs = Object.getOwnPropertyDescriptor(proto, key);
      if (attrs && attrs.set == null) continue;
    }
    child[key] = copy(source[key], context);
  }
  return child;
}

// ---------------------------------------------------------------- operators (operator*.js, engine-default-*.js)

type Evaluate = (factValue: unknown, jsonValue: unknown) => unknown;
type Validator = (factValue: unknown) => boolean;

/** `Operator`: `evaluate = factValueValidator(fact) && cb(fact, value)`. */
class Operator {
  readonly name: string;
  readonly evaluate: Evaluate;
  /** Set on the engine's own, undecorated `equal`/`notEqual` (for a fast path). */
  readonly builtin: string | undefined;

  constructor(name: unknown, cb: Evaluate, factValueValidator?: Validator, builtin?: string) {
    this.name = String(name);
    if (!name) throw new Error("Missing operator name");
    if (typeof cb !== "function") throw new Error("Missing operator callback");
    this.builtin = builtin;
    const validator = factValueValidator;
    this.evaluate = validator ? (fact, value) => validator(fact) && cb(fact, value) : (fact, value) => cb(fact, value);
  }
}

type DecoratorCallback = (factValue: unknown, jsonValue: unknown, next: Evaluate) => unknown;

/** `OperatorDecorator.decorate(op)`: a new operator named `decorator:op` with the decorator's validator. */
class OperatorDecorator {
  constructor(
    readonly name: string,
    private readonly cb: DecoratorCallback,
    private readonly factValueValidator?: Validator,
  ) {}

  decorate(operator: Operator): Operator {
    const next = operator.evaluate;
    const cb = this.cb;
    return new Operator(`${this.name}:${operator.name}`, (fact, value) => cb(fact, value, next), this.factValueValidator);
  }
}

function numberValidator(factValue: unknown): boolean {
  // Fast path, same answer: a number survives parseFloat(String(n)) unless it is NaN.
  if (typeof factValue === "number") return !Number.isNaN(factValue);
  return Number.parseFloat(factValue as string).toString() !== "NaN";
}

// The engine's operators are plain JS over any values: `<` on mixed types, `.indexOf` on whatever.
function defaultOperators(): Operator[] {
  return [
    new Operator("equal", (a, b) => a === b, undefined, "equal"),
    new Operator("notEqual", (a, b) => a !== b, undefined, "notEqual"),
    new Operator("in", (a, b) => (b as any).indexOf(a) > -1),
    new Operator("notIn", (a, b) => (b as any).indexOf(a) === -1),
    new Operator("contains", (a, b) => (a as any).indexOf(b) > -1, Array.isArray),
    new Operator("doesNotContain", (a, b) => (a as any).indexOf(b) === -1, Array.isArray),
    new Operator("lessThan", (a, b) => (a as any) < (b as any), numberValidator),
    new Operator("lessThanInclusive", (a, b) => (a as any) <= (b as any), numberValidator),
    new Operator("greaterThan", (a, b) => (a as any) > (b as any), numberValidator),
    new Operator("greaterThanInclusive", (a, b) => (a as any) >= (b as any), numberValidator),
  ];
}

function defaultDecorators(): OperatorDecorator[] {
  return [
    new OperatorDecorator("someFact", (f, v, next) => (f as any).some((fv: unknown) => next(fv, v)), Array.isArray),
    new OperatorDecorator("someValue", (f, v, next) => (v as any).some((jv: unknown) => next(f, jv))),
    new OperatorDecorator("everyFact", (f, v, next) => (f as any).every((fv: unknown) => next(fv, v)), Array.isArray),
    new OperatorDecorator("everyValue", (f, v, next) => (v as any).every((jv: unknown) => next(f, jv))),
    new OperatorDecorator("swap", (f, v, next) => next(v, f)),
    new OperatorDecorator("not", (f, v, next) => !next(f, v)),
  ];
}

/** `OperatorMap`, with `get` line for line (decorated operators are cached under their names). */
class OperatorMap {
  private readonly operators = new Map<unknown, Operator>();
  private readonly decorators = new Map<unknown, OperatorDecorator>();

  addOperator(operator: Operator): void {
    this.operators.set(operator.name, operator);
  }

  addOperatorDecorator(decorator: OperatorDecorator): void {
    this.decorators.set(decorator.name, decorator);
  }

  /** The operator for a (possibly decorated) name, or null. Throws as the engine does on a non-string name. */
  get(name: unknown): Operator | null {
    const decorators: OperatorDecorator[] = [];
    let opName = name as string;
    while (!this.operators.has(opName)) {
      const firstDecoratorIndex = opName.indexOf(":");
      if (firstDecoratorIndex > 0) {
        const decorator = this.decorators.get(opName.slice(0, firstDecoratorIndex));
        if (!decorator) return null;
        decorators.unshift(decorator);
        opName = opName.slice(firstDecoratorIndex + 1);
      } else {
        return null;
      }
    }
    let op = this.operators.get(opName) as Operator;
    for (const decorator of decorators) {
      op = decorator.decorate(op);
      this.operators.set(op.name, op);
    }
    return op;
  }
}

/** One operator map per custom-operator map, like one per `Engine` in `createEvaluator`. */
const operatorMaps = new WeakMap<object, OperatorMap>();

function operatorMapFor(custom: ReadonlyMap<string, (fact: unknown, value: unknown) => boolean>): OperatorMap {
  let map = operatorMaps.get(custom);
  if (map) return map;
  map = new OperatorMap();
  for (const op of defaultOperators()) map.addOperator(op);
  for (const decorator of defaultDecorators()) map.addOperatorDecorator(decorator);
  // engine.addOperator(name, fn) → new Operator(name, fn): no validator, may replace a built-in.
  for (const [name, fn] of custom) map.addOperator(new Operator(name, fn as Evaluate));
  operatorMaps.set(custom, map);
  return map;
}
