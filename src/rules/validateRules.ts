import type { RuleProblem, RuleProblemCode } from "../core/errors.js";
import { DETECTORS, type ConflictKind } from "../detectors/registry.js";
import type { Detector, FactDoc } from "../detectors/types.js";
import { closestName } from "../core/closestName.js";
import { KNOWN_OPERATORS, OPERATOR_DECORATORS } from "../engine/operators/index.js";
import { SAFE_PATH_PATTERN } from "../engine/pathResolver.js";
import { factConditionSchema, ruleSchemaOf, ruleTestSchema, type LocalizedText } from "../schema/rules.js";
import { LANGS, type Lang } from "../messages/types.js";
import { formatIssues, formatPath } from "../schema/formatIssues.js";
import type { Condition } from "../core/types.js";
import { GROUPING_PARAMS } from "./groupingParams.js";
import type { Rule, RuleTexts } from "./types.js";

/** The kinds rules may have, by name: the shipped registry, or one a test extends. */
export type Registry = Readonly<Record<string, Detector>>;

const ruleSchemas = new WeakMap<Registry, ReturnType<typeof ruleSchemaOf>>();

/** The rule schema whose `kind` is one of the registry's kinds. */
function ruleSchemaFor(registry: Registry): ReturnType<typeof ruleSchemaOf> {
  let schema = ruleSchemas.get(registry);
  if (!schema) ruleSchemas.set(registry, (schema = ruleSchemaOf(Object.keys(registry) as [string, ...string[]])));
  return schema;
}

const MAX_CONDITION_DEPTH = 32;
const MAX_VALUE_DEPTH = 32;

/** How deep a JSON value nests (capped just past `limit`), without recursion. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (depth > limit) return depth;
    deepest = Math.max(deepest, depth);
    if (typeof current === "object" && current !== null) {
      for (const child of Object.values(current)) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}
const MAX_CONDITIONS = 1000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The fact names a kind documents. */
export function factsOf(kind: string, registry: Registry = DETECTORS): ReadonlySet<string> {
  return new Set((registry[kind]?.facts ?? []).map((fact) => fact.name));
}

/** `; did you mean X?` when `name` is close to one of `candidates`, else nothing. */
function didYouMean(name: unknown, candidates: Iterable<string>): string {
  if (typeof name !== "string") return "";
  const closest = closestName(name, candidates);
  return closest === undefined || closest === name ? "" : `; did you mean ${closest}?`;
}

/** A value as a message names it: `the string "true"`, `the number 25`, `a list`, … */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

function checkOperator(operator: string): string | undefined {
  const parts = operator.split(":");
  const base = parts[parts.length - 1] as string;
  const decorators = parts.slice(0, -1);
  const badDecorator = decorators.find((d) => !OPERATOR_DECORATORS.includes(d));
  if (badDecorator !== undefined) {
    return `unknown operator decorator "${badDecorator}"; expected one of ${OPERATOR_DECORATORS.join(", ")}${didYouMean(badDecorator, OPERATOR_DECORATORS)}`;
  }
  if (!KNOWN_OPERATORS.includes(base)) return `unknown operator "${base}"; expected one of ${KNOWN_OPERATORS.join(", ")}${didYouMean(base, KNOWN_OPERATORS)}`;
  return undefined;
}

type Path = (string | number)[];

/** A problem found inside one rule, at a path inside the rule. */
interface Found {
  readonly at: Path;
  readonly code: RuleProblemCode;
  readonly message: string;
}

interface ConditionContext {
  readonly facts: ReadonlySet<string>;
  readonly kind: string;
  /** The kind's declaration, when the conditions are also checked for what can never fire. */
  readonly detector: Detector | undefined;
  readonly problems: Found[];
  count: number;
  /** `possibleChecks` of the nodes seen so far. */
  readonly possible: WeakMap<object, ReadonlySet<string>>;
}

const CHECK_OPERATORS = new Set(["equal", "notEqual", "in", "notIn"]);

/**
 * The checks for which `node` can be true, as far as its `check` conditions tell (a condition on any
 * other fact may be true under every check): `check equal X` → {X}, `all` → the checks all its children
 * allow, `any` → those any of them allows, `not` of a check condition → the others.
 */
function possibleChecks(node: unknown, checks: ReadonlySet<string>, memo: WeakMap<object, ReadonlySet<string>> = new WeakMap(), depth = 0): ReadonlySet<string> {
  // Past the depth validation allows, tell nothing (the conditions are refused anyway); a node shared by
  // several parents (rules built in memory may share objects) is looked at once.
  if (!isObject(node) || depth > MAX_CONDITION_DEPTH) return checks;
  const known = memo.get(node);
  if (known !== undefined) return known;
  const result = possibleChecksOf(node, checks, memo, depth);
  memo.set(node, result);
  return result;
}

function possibleChecksOf(node: Record<string, unknown>, checks: ReadonlySet<string>, memo: WeakMap<object, ReadonlySet<string>>, depth: number): ReadonlySet<string> {
  const keys = ["all", "any", "not"].filter((key) => Object.hasOwn(node, key));
  if (keys.length > 1) return checks;
  if (keys[0] === "all" || keys[0] === "any") {
    const children = node[keys[0]];
    // (More children than a rule may hold: refused anyway, and not worth looking at.)
    if (!Array.isArray(children) || children.length === 0 || children.length > MAX_CONDITIONS) return checks;
    const sets = children.map((child) => possibleChecks(child, checks, memo, depth + 1));
    return new Set(
      [...checks].filter((check) => (keys[0] === "all" ? sets.every((set) => set.has(check)) : sets.some((set) => set.has(check)))),
    );
  }
  if (keys[0] === "not") {
    const inner = node.not;
    if (!isObject(inner) || inner.fact !== "check") return checks;
    const excluded = possibleChecks(inner, checks, memo, depth + 1);
    return new Set([...checks].filter((check) => !excluded.has(check)));
  }
  if (node.fact !== "check" || typeof node.operator !== "string" || node.path !== undefined) return checks;
  const parts = node.operator.split(":");
  const base = parts[parts.length - 1] as string;
  const decorators = parts.slice(0, -1);
  if (!CHECK_OPERATORS.has(base) || decorators.some((d) => d !== "not")) return checks;
  const value = node.value;
  if (isObject(value) && Object.hasOwn(value, "fact")) return checks;
  const listed = base === "equal" || base === "notEqual" ? [value] : Array.isArray(value) ? value : [];
  const negated = (base === "notEqual" || base === "notIn") !== (decorators.length % 2 === 1);
  return new Set([...checks].filter((check) => listed.includes(check) !== negated));
}

function joined(names: Iterable<string>): string {
  return [...names].join(", ");
}

/** The checks of `scope` a fact's declaration says set it (all of them when it names none). */
function setBy(fact: FactDoc, scope: ReadonlySet<string>): string[] {
  return [...scope].filter((check) => fact.checks === undefined || fact.checks.includes(check));
}

function factNotSet(fact: FactDoc, scope: ReadonlySet<string>, detector: Detector): string {
  const where = scope.size === 1 ? `this rule's check (${joined(scope)}) never sets it` : `none of this rule's checks (${joined(scope)}) sets it`;
  const alternatives = detector.facts.filter((other) => setBy(other, scope).length > 0).map((other) => other.name);
  // A looser match than for a typo: the fact of this check that stands for the other check's (belowMapPct → belowFloorPct).
  const closest = closestName(fact.name, alternatives, { tolerance: 1 / 2 });
  return `fact "${fact.name}" is set only by check ${joined(fact.checks ?? [])}; ${where}, so the condition never sees it${closest ? `; did you mean ${closest}?` : ""}`;
}

/** What a value must be for a fact: a type, whether null is one of its values, the values it can take. */
interface ValueShape {
  readonly name: string;
  readonly type: FactDoc["type"];
  readonly nullable: boolean;
  readonly values?: readonly string[];
}

/** Problems of one literal compared with a fact of `shape` (equal, or an element of `in`). */
function valueProblems(value: unknown, shape: ValueShape, at: Path, context: ConditionContext): void {
  const report = (code: RuleProblemCode, message: string) => context.problems.push({ at, code, message });
  if (value === null) {
    if (!shape.nullable) report("wrong_type", `fact "${shape.name}" is never null (it is a ${shape.type}); a condition comparing it with null never holds as meant`);
    return;
  }
  if (shape.type === "boolean" && typeof value !== "boolean") {
    const text = typeof value === "string" ? value.trim().toLowerCase() : undefined;
    const hint = text === "true" || text === "false" ? `; did you mean ${text} (without quotes)?` : "";
    report("wrong_type", `expected a boolean (true or false) for fact "${shape.name}", got ${describeValue(value)}${hint}`);
  } else if (shape.type === "number" && typeof value !== "number") {
    const number = typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    const hint = Number.isFinite(number) ? `; did you mean ${number} (without quotes)?` : "";
    report("wrong_type", `expected a number for fact "${shape.name}", got ${describeValue(value)}${hint}`);
  } else if (shape.name === "check" && typeof value !== "string") {
    report("wrong_type", `expected a check of kind ${context.kind} (one of ${joined(shape.values ?? [])}), got ${describeValue(value)}`);
  } else if (shape.type === "string" && typeof value !== "string") {
    const hint = typeof value === "number" || typeof value === "boolean" ? `; did you mean "${String(value)}" (in quotes)?` : "";
    report("wrong_type", `expected a string for fact "${shape.name}", got ${describeValue(value)}${hint}`);
  } else if (shape.type === "string" && shape.values !== undefined && typeof value === "string" && !shape.values.includes(value)) {
    if (shape.name === "check") {
      report("unknown_check", `unknown check "${value}" for kind ${context.kind}; expected one of ${joined(shape.values)}${didYouMean(value, shape.values)}`);
    } else {
      report("unknown_value", `fact "${shape.name}" is never "${value}"; expected one of ${joined(shape.values)}${didYouMean(value, shape.values)}`);
    }
  }
}

const NUMERIC_OPERATORS = new Set(["lessThan", "lessThanInclusive", "greaterThan", "greaterThanInclusive"]);

/** Problems of a leaf whose value cannot match its fact: the wrong type, a value outside the fact's set, an operator that does not fit. */
function leafValueProblems(
  leaf: { fact: string; operator: string; value: unknown; path?: string | undefined },
  fact: FactDoc,
  path: Path,
  context: ConditionContext,
): void {
  const parts = leaf.operator.split(":");
  const base = parts[parts.length - 1] as string;
  const decorators = parts.slice(0, -1);
  // `swap:` compares the other way round, and a path reads inside a list fact: the literal is not the fact's.
  if (decorators.includes("swap") || (leaf.path !== undefined && fact.type === "string[]")) return;
  const wrongOperator = (message: string) => context.problems.push({ at: [...path, "operator"], code: "wrong_operator", message });
  let shape: ValueShape = { name: fact.name, type: fact.type, nullable: fact.nullable === true, ...(fact.values ? { values: fact.values } : {}) };
  if (decorators.includes("someFact") || decorators.includes("everyFact")) {
    if (fact.type !== "string[]") {
      wrongOperator(`operator "${leaf.operator}" needs a list fact; "${fact.name}" is a ${fact.type}, so the condition never holds`);
      return;
    }
    shape = { name: `${fact.name}[]`, type: "string", nullable: false };
  }
  const eachValue = decorators.includes("someValue") || decorators.includes("everyValue");
  const values: Array<[unknown, Path]> = eachValue
    ? Array.isArray(leaf.value)
      ? leaf.value.map((value, i): [unknown, Path] => [value, [...path, "value", i]])
      : []
    : [[leaf.value, [...path, "value"]]];
  if (base === "equal" || base === "notEqual") {
    if (shape.type === "string[]") {
      wrongOperator(`fact "${fact.name}" is a list, and "${base}" compares with ===, which a list never is; use contains, doesNotContain or someFact:${base}`);
      return;
    }
    for (const [value, at] of values) valueProblems(value, shape, at, context);
  } else if (base === "in" || base === "notIn") {
    if (shape.type === "string[]") {
      wrongOperator(`fact "${fact.name}" is a list, which "${base}" never finds in a list of values; use someFact:${base}`);
      return;
    }
    for (const [value, at] of values) {
      if (Array.isArray(value)) value.forEach((item, i) => valueProblems(item, shape, [...at, i], context));
    }
  } else if (base === "contains" || base === "doesNotContain") {
    if (shape.type !== "string[]") {
      wrongOperator(`operator "${base}" needs a list fact; "${fact.name}" is a ${shape.type}${shape.type === "string" ? " (use equal or in)" : ""}`);
      return;
    }
    for (const [value, at] of values) valueProblems(value, { name: `${fact.name}[]`, type: "string", nullable: false }, at, context);
  } else if (NUMERIC_OPERATORS.has(base)) {
    if (shape.type !== "number") {
      wrongOperator(`operator "${base}" compares numbers; "${fact.name}" is a ${shape.type}${shape.type === "boolean" || shape.type === "string" ? " (use equal or in)" : ""}`);
      return;
    }
    for (const [value, at] of values) {
      if (typeof value !== "number") {
        const number = typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
        const hint = Number.isFinite(number) ? `; did you mean ${number} (without quotes)?` : "";
        context.problems.push({ at, code: "wrong_type", message: `operator "${base}" needs a number, got ${describeValue(value)}${hint}` });
      }
    }
  } else if (base === "coveredBy") {
    if (shape.type !== "string") {
      wrongOperator(`operator "coveredBy" needs a region fact (a string); "${fact.name}" is a ${shape.type}`);
      return;
    }
    for (const [value, at] of values) {
      const codes = Array.isArray(value) ? value.map((item, i): [unknown, Path] => [item, [...at, i]]) : [[value, at] as [unknown, Path]];
      for (const [code, where] of codes) {
        if (typeof code !== "string") context.problems.push({ at: where, code: "wrong_type", message: `operator "coveredBy" needs a region code (a string), got ${describeValue(code)}` });
      }
    }
  }
}

function checkCondition(node: unknown, path: Path, context: ConditionContext, depth: number, scope: ReadonlySet<string>): void {
  const report = (at: Path, code: RuleProblemCode, message: string) => context.problems.push({ at, code, message });
  if (++context.count > MAX_CONDITIONS) {
    if (context.count === MAX_CONDITIONS + 1) report(path, "too_many_conditions", `more than ${MAX_CONDITIONS} conditions in one rule`);
    return;
  }
  if (depth > MAX_CONDITION_DEPTH) {
    report(path, "too_deep", `conditions nest deeper than ${MAX_CONDITION_DEPTH} levels`);
    return;
  }
  if (!isObject(node)) {
    report(path, "invalid_condition", `expected a condition object (all, any, not, or fact/operator/value), got ${Array.isArray(node) ? "an array" : typeof node}`);
    return;
  }
  const booleans = ["all", "any", "not"].filter((key) => Object.hasOwn(node, key));
  if (Object.hasOwn(node, "condition")) {
    report([...path, "condition"], "named_condition", "named condition references are not supported; write the conditions inline");
    return;
  }
  if (booleans.length > 1) {
    report(path, "ambiguous_condition", `has ${booleans.join(" and ")}; expected exactly one of all, any, not`);
    return;
  }
  const booleanKey = booleans[0];
  if (booleanKey !== undefined) {
    const extra = Object.keys(node).filter((key) => key !== booleanKey && key !== "name" && key !== "priority");
    for (const key of extra) report([...path, key], "unexpected_key", `unexpected key beside "${booleanKey}"`);
    const inner = node[booleanKey];
    // The checks under which the children are evaluated: those this node allows (a `not` passes its own on).
    const here = booleanKey === "not" || context.detector === undefined ? scope : intersect(scope, possibleChecks(node, new Set(context.detector.checks), context.possible, depth));
    if (booleanKey === "not") {
      checkCondition(inner, [...path, "not"], context, depth + 1, here);
    } else if (!Array.isArray(inner)) {
      report([...path, booleanKey], "invalid_condition", `expected an array of conditions, got ${typeof inner}`);
    } else if (inner.length === 0) {
      report([...path, booleanKey], "empty_condition", "must hold at least one condition");
    } else {
      inner.forEach((child, i) => checkCondition(child, [...path, booleanKey, i], context, depth + 1, here));
    }
    return;
  }
  if (depth === 0) {
    report(path, "invalid_root", 'the root must be "all", "any" or "not"');
    return;
  }
  const parsed = factConditionSchema.safeParse(node, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) report([...path, ...(issue.path as Path)], issue.code, formatIssues([issue]).replace(/^[^:]*: /, ""));
    return;
  }
  const leaf = parsed.data;
  if (!Object.hasOwn(node, "value")) report([...path, "value"], "missing_value", "is missing; expected the value to compare the fact with");
  else if (nestingDepth(node.value, MAX_VALUE_DEPTH) > MAX_VALUE_DEPTH) {
    report([...path, "value"], "too_deep", `nests deeper than ${MAX_VALUE_DEPTH} levels`);
  }
  if (!context.facts.has(leaf.fact)) {
    report([...path, "fact"], "unknown_fact", `unknown fact "${leaf.fact}" for kind ${context.kind}; expected one of ${[...context.facts].sort().join(", ")}${didYouMean(leaf.fact, context.facts)}`);
  }
  const operatorProblem = checkOperator(leaf.operator);
  if (operatorProblem) report([...path, "operator"], "unknown_operator", operatorProblem);
  // Operators json-rules-engine would throw on at run time: refuse them at load time instead.
  const base = leaf.operator.split(":");
  const comparesToFact = isObject(leaf.value) && Object.hasOwn(leaf.value, "fact");
  const needsList =
    base.includes("someValue") || base.includes("everyValue") || ["in", "notIn"].includes(base[base.length - 1] as string);
  if (needsList && !comparesToFact && !Array.isArray(leaf.value) && !(base.includes("swap"))) {
    report([...path, "value"], "needs_list", `operator "${leaf.operator}" needs a list value, got ${JSON.stringify(leaf.value)}`);
  }
  if (leaf.path !== undefined && !SAFE_PATH_PATTERN.test(leaf.path)) {
    report([...path, "path"], "unsafe_path", `unsupported path "${leaf.path}"; expected a plain path such as $.field or $.list[0] (no filters or expressions)`);
  }
  if (comparesToFact) {
    const other = (leaf.value as Record<string, unknown>).fact;
    if (typeof other !== "string" || !context.facts.has(other)) {
      report([...path, "value", "fact"], "unknown_fact", `unknown fact ${JSON.stringify(other)} for kind ${context.kind}${didYouMean(other, context.facts)}`);
    }
  }
  const detector = context.detector;
  if (detector === undefined) return;
  // What can never fire: a fact the rule's check never sets, a value the fact never has.
  const factDoc = detector.facts.find((fact) => fact.name === leaf.fact);
  if (factDoc && scope.size > 0 && setBy(factDoc, scope).length === 0) report([...path, "fact"], "fact_not_set", factNotSet(factDoc, scope, detector));
  if (comparesToFact) {
    const otherDoc = detector.facts.find((fact) => fact.name === (leaf.value as Record<string, unknown>).fact);
    if (otherDoc && scope.size > 0 && setBy(otherDoc, scope).length === 0) report([...path, "value", "fact"], "fact_not_set", factNotSet(otherDoc, scope, detector));
  } else if (factDoc && operatorProblem === undefined && Object.hasOwn(node, "value")) {
    leafValueProblems(leaf, factDoc, path, context);
  }
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  return new Set([...a].filter((item) => b.has(item)));
}

/** The conditions' problems: json-rules-engine syntax, the kind's facts, operators that could throw; with `detector`, also what can never fire. */
function conditionFindings(kind: string, conditions: unknown, registry: Registry, detector: Detector | undefined): Found[] {
  const context: ConditionContext = { facts: factsOf(kind, registry), kind, detector, problems: [], count: 0, possible: new WeakMap() };
  const checks = new Set(detector?.checks ?? []);
  checkCondition(conditions, ["conditions"], context, 0, checks);
  if (detector === undefined || context.problems.length > 0 || !isObject(conditions)) return context.problems;
  // The rule as a whole: it must say which check it is for, and some check must satisfy it.
  const possible = possibleChecks(conditions, checks, context.possible);
  if (possible.size === 0) {
    context.problems.push({ at: ["conditions"], code: "never_fires", message: `no check satisfies these conditions (their check conditions exclude each other), so the rule never fires; kind ${kind} has checks ${joined(checks)}` });
  } else if (checks.size > 1 && possible.size === checks.size) {
    // The facts the rule reads may all come from one check: say which.
    const used = new Set<string>();
    const collect = (node: unknown): void => {
      if (!isObject(node)) return;
      if (typeof node.fact === "string") used.add(node.fact);
      for (const key of ["all", "any"]) if (Array.isArray(node[key])) (node[key] as unknown[]).forEach(collect);
      if (Object.hasOwn(node, "not")) collect(node.not);
    };
    collect(conditions);
    const candidates = [...checks].filter((check) => detector.facts.every((fact) => !used.has(fact.name) || fact.checks === undefined || fact.checks.includes(check)));
    const add = candidates.length === 1 ? `add { fact: check, operator: equal, value: ${candidates[0]} } (the check that sets its facts)` : "add { fact: check, operator: equal, value: <check> }";
    context.problems.push({
      at: ["conditions"],
      code: "no_check",
      message: `has no check condition: kind ${kind} has checks ${joined(checks)}, and a rule for all of them describes each finding with the facts of whichever check fired; ${add}`,
    });
  }
  return context.problems;
}

/**
 * Problems with a rule's conditions (json-rules-engine syntax, its kind's facts, operators that could
 * throw), each as [path, message, code]: empty for every rule `loadRules` returns. (Loading also refuses
 * conditions that can never fire; a rule set built by hand is only held to these.)
 */
export function conditionProblems(kind: string, conditions: unknown, registry: Registry = DETECTORS): Array<[string, string, RuleProblemCode]> {
  return conditionFindings(kind, conditions, registry, undefined).map((p) => [formatPath(p.at), p.message, p.code]);
}

/** A problem found inside one rule: where in it (`path`, and `at` as keys), what is wrong (`code`), and the message. */
type RuleCheckProblem = Omit<RuleProblem, "file" | "line" | "ruleId"> & { readonly at: readonly (string | number)[] };

/** A rule that validated, or the problems that stop it, each with a path inside the rule. */
export type RuleCheck = { ok: true; rule: Rule } | { ok: false; problems: RuleCheckProblem[] };

/**
 * Validates one rule: its shape with zod, its conditions against json-rules-engine's syntax and its
 * kind's facts, and what could never fire (a check the kind does not have, a value of the wrong type or
 * outside a fact's set, a fact the rule's check never sets, no check condition where the kind has several).
 */
export function validateRule(input: unknown, file: string, registry: Registry = DETECTORS): RuleCheck {
  const problems: RuleCheckProblem[] = [];
  const add = (at: readonly (string | number)[], code: RuleProblemCode, message: string) => problems.push({ at, path: formatPath(at), code, message });
  const ruleSchema = ruleSchemaFor(registry);
  const parsed = ruleSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const at = issue.path as (string | number)[];
      if (issue.code === "unrecognized_keys") {
        // The issue's path says which object had the key: the rule itself, or one of its test cases.
        const allowed = issue.path[0] === "tests" ? Object.keys(ruleTestSchema.shape) : Object.keys(ruleSchema.shape);
        for (const key of issue.keys) add([...at, key], "unknown_key", `unknown key; expected one of ${allowed.join(", ")}${didYouMean(key, allowed)}`);
      } else {
        const hint = issue.code === "invalid_value" && "values" in issue ? didYouMean(issue.input, issue.values.filter((v): v is string => typeof v === "string")) : "";
        add(at, issue.code, formatIssues([issue]).replace(/^[^:]*: /, "") + hint);
      }
    }
  }
  const kind = isObject(input) && typeof input.kind === "string" && Object.hasOwn(registry, input.kind) ? (input.kind as ConflictKind) : undefined;
  if (kind && isObject(input) && Object.hasOwn(input, "conditions")) {
    for (const p of conditionFindings(kind, input.conditions, registry, registry[kind] as Detector)) add(p.at, p.code, p.message);
  } else if (isObject(input) && !Object.hasOwn(input, "conditions")) {
    add(["conditions"], "missing_conditions", "is missing; expected json-rules-engine conditions (all, any or not)");
  }
  let params: Record<string, number> = {};
  const docs = kind ? [...(registry[kind] as Detector).params, ...GROUPING_PARAMS] : [];
  const names = docs.map((d) => d.name);
  if (kind && isObject(input) && isObject(input.params) && Object.hasOwn(input.params, "__proto__")) {
    // zod drops an own `__proto__` key while parsing a record: name it here, like any unknown parameter.
    add(["params", "__proto__"], "unknown_parameter", `unknown parameter for kind ${kind}; expected one of ${names.join(", ")}`);
  }
  if (kind && parsed.success) {
    for (const name of Object.keys(parsed.data.params)) {
      const doc = docs.find((d) => d.name === name);
      const value = parsed.data.params[name] as number;
      if (!doc) {
        add(["params", name], "unknown_parameter", `unknown parameter for kind ${kind}; expected one of ${names.join(", ")}${didYouMean(name, names)}`);
      } else if (value < doc.min) {
        add(["params", name], "too_small", `must be at least ${doc.min}, got ${value}`);
      }
    }
    params = Object.fromEntries(docs.map((d) => [d.name, parsed.data.params[d.name] ?? d.default]));
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  const data = parsed.data;
  return {
    ok: true,
    rule: {
      id: data.id,
      // One of the registry's kinds (the schema checked it): the shipped ones, or a test's own.
      kind: data.kind as ConflictKind,
      severity: data.severity,
      ...ruleTextsOf(data),
      ...(data.tags !== undefined ? { tags: data.tags } : {}),
      enabled: data.enabled,
      params,
      conditions: data.conditions as Condition,
      ...(data.tests !== undefined ? { tests: data.tests } : {}),
      file,
    },
  };
}

/** A parsed rule file as validation takes it: its document (and the line of each path), or why it could not be read. */
export interface RuleDocumentInput {
  readonly file: string;
  readonly document?: unknown;
  readonly error?: string;
  /** The line of `error`, when known. */
  readonly line?: number;
  /** The line (from 1) of a path of `document`, or of its nearest ancestor; absent for rules given in memory. */
  readonly lineOf?: (path: readonly (string | number)[]) => number | undefined;
}

/** What validation needs to know beside the documents: the shipped rules, for documents that extend them. */
export interface RuleDocumentOptions {
  /** The shipped rule files, parsed: the base of a document `{ extends: shipped, rules: [...] }`. */
  readonly shipped?: readonly RuleDocumentInput[];
  /** Which of the documents are shipped rule files (named among the paths): a duplicate of one of their ids says how to replace it. */
  readonly shippedFiles?: ReadonlySet<string>;
}

/** The base a rule file may extend. */
export const RULE_BASES = ["shipped"] as const;
const CONTAINER_KEYS = ["extends", "rules"] as const;

/** Whether a parsed rule file is of the form `{ extends: shipped, rules: [...] }`. */
export function extendsShipped(document: unknown): boolean {
  return isObject(document) && document.extends === "shipped";
}

/** Whether a rule file's document is a container `{ extends?, rules }` rather than one rule or a list. */
function isContainer(document: unknown): document is Record<string, unknown> {
  return isObject(document) && (Object.hasOwn(document, "extends") || Object.hasOwn(document, "rules"));
}

/** `{ id, enabled: false }` and nothing else (or a near miss of it: only `id` and `enabled` keys). */
function isSwitch(item: unknown): item is { id: unknown; enabled?: unknown } {
  return isObject(item) && Object.hasOwn(item, "id") && Object.keys(item).every((key) => key === "id" || key === "enabled");
}

/** Validates every rule of every document; collects every problem, with file, line, rule id and path. */
export function validateRuleDocuments(documents: readonly RuleDocumentInput[], options: RuleDocumentOptions = {}): { rules: Rule[]; problems: RuleProblem[] } {
  return validateRuleDocumentsWith(DETECTORS, documents, options);
}

/** Where a rule id was defined, and whether an extending file replaced or switched it off already. */
interface Definition {
  readonly where: string;
  readonly shipped: boolean;
  /** Its position in the rules, when it validated. */
  readonly index: number | undefined;
  overriddenIn?: string;
}

/**
 * `validateRuleDocuments` against the kinds of `registry` (a test registers a kind of its own this way).
 * A document `{ extends: shipped, rules: [...] }` starts from the shipped rules (`options.shipped`): a
 * rule with a shipped rule's id replaces it, `{ id, enabled: false }` switches it off.
 */
export function validateRuleDocumentsWith(
  registry: Registry,
  documents: readonly RuleDocumentInput[],
  options: RuleDocumentOptions = {},
): { rules: Rule[]; problems: RuleProblem[] } {
  const rules: Rule[] = [];
  const problems: RuleProblem[] = [];
  const defined = new Map<string, Definition>();
  const shippedFiles = new Set(options.shippedFiles ?? []);
  const extending = documents.some((doc) => doc.error === undefined && extendsShipped(doc.document));
  let own = documents;
  if (extending && options.shipped !== undefined) {
    // The shipped rules come first; shipped files also named among the paths are that base already.
    const base = new Set(options.shipped.map((doc) => doc.file));
    for (const doc of options.shipped) shippedFiles.add(doc.file);
    own = documents.filter((doc) => !base.has(doc.file));
    for (const doc of options.shipped) validateDocument(doc, true);
  }
  for (const doc of own) validateDocument(doc, shippedFiles.has(doc.file));
  return { rules, problems };

  function validateDocument(doc: RuleDocumentInput, shipped: boolean): void {
    const lineOf = (at: readonly (string | number)[]) => (at.length === 0 ? doc.lineOf?.([]) ?? (doc.lineOf ? 1 : undefined) : doc.lineOf?.(at));
    // A problem of the file itself is at `(file)`; one of a rule at its path (`(record)` for a file of one rule that is not an object).
    const problem = (at: readonly (string | number)[], code: RuleProblemCode, message: string, ruleId?: string, ofRule = false) => {
      const line = lineOf(at);
      problems.push({ file: doc.file, path: at.length === 0 && !ofRule ? "(file)" : formatPath(at), code, message, ...(line !== undefined ? { line } : {}), ...(ruleId !== undefined ? { ruleId } : {}) });
    };
    if (doc.error !== undefined) {
      problems.push({ file: doc.file, path: "(file)", message: doc.error, code: "unreadable_file", ...(doc.line !== undefined ? { line: doc.line } : {}) });
      return;
    }
    let items: readonly unknown[];
    let prefix: Path;
    let list = Array.isArray(doc.document);
    let extendsMode = false;
    if (isContainer(doc.document)) {
      const container = doc.document;
      for (const key of Object.keys(container)) {
        if (!(CONTAINER_KEYS as readonly string[]).includes(key)) {
          problem([key], "unknown_key", `unknown key; a file of the form { extends, rules } has only ${CONTAINER_KEYS.join(" and ")}${didYouMean(key, CONTAINER_KEYS)}`);
        }
      }
      if (Object.hasOwn(container, "extends")) {
        if (container.extends === "shipped") {
          extendsMode = true;
          if (options.shipped === undefined) {
            problem(["extends"], "extends_unavailable", "the shipped rules are not at hand here; load the file with loadRules() or `channel-conflict validate`");
          }
        } else {
          problem(["extends"], "unknown_extends", `cannot extend ${describeValue(container.extends)}; expected ${RULE_BASES.join(" or ")} (the rules shipped with channel-conflict)${didYouMean(container.extends, RULE_BASES)}`);
        }
      }
      if (!Array.isArray(container.rules)) {
        problem(["rules"], "invalid_rule_file", Object.hasOwn(container, "rules") ? `expected a list of rules, got ${describeValue(container.rules)}` : "is missing; expected a list of rules (it may be empty)");
        return;
      }
      items = container.rules;
      prefix = ["rules"];
      list = true;
      // `{ extends: shipped, rules: [] }` is the shipped rules unchanged; without `extends`, an empty list runs nothing.
      if (items.length === 0 && !extendsMode) problem(["rules"], "empty_file", "holds no rules; expected a rule or a list of rules");
    } else {
      items = list ? (doc.document as unknown[]) : [doc.document];
      prefix = [];
      if (list && items.length === 0) problem([], "empty_file", "holds no rules; expected a rule or a list of rules");
    }
    const shippedIds = () => [...defined.entries()].filter(([, d]) => d.shipped).map(([id]) => id);
    items.forEach((item, i) => {
      const at0: Path = list ? [...prefix, i] : [];
      const rawId = isObject(item) && typeof item.id === "string" && item.id !== "" ? item.id : undefined;
      const line = lineOf(at0);
      const where = `${doc.file}${line !== undefined ? `:${line}` : ""}`;
      const inRule = (at: readonly (string | number)[], code: RuleProblemCode, message: string) => problem([...at0, ...at], code, message, rawId, true);
      const previous = rawId === undefined ? undefined : defined.get(rawId);
      if (extendsMode && isSwitch(item)) {
        // `{ id, enabled: false }`: switches a shipped rule off.
        if (options.shipped === undefined) return; // refused at `extends` already
        if (item.enabled !== false) {
          inRule(Object.hasOwn(item, "enabled") ? ["enabled"] : [], "invalid_override", "only { id, enabled: false } switches a shipped rule off; to change a shipped rule, write the whole rule with its id");
        } else if (rawId === undefined || previous === undefined || !previous.shipped) {
          const ids = shippedIds();
          inRule(["id"], "unknown_override", `no shipped rule ${JSON.stringify(item.id)} to switch off; the shipped rules are ${joined(ids)}${didYouMean(item.id, ids)}`);
        } else if (previous.overriddenIn !== undefined) {
          inRule(["id"], "duplicate_id", `duplicate rule id "${rawId}": the shipped rule is already replaced or switched off in ${previous.overriddenIn}`);
        } else {
          previous.overriddenIn = where;
          if (previous.index !== undefined) rules[previous.index] = { ...(rules[previous.index] as Rule), enabled: false };
        }
        return;
      }
      if (!extendsMode && isSwitch(item) && item.enabled === false) {
        // `{ id, enabled: false }` alone is no rule: it switches a shipped rule off, and only in a file that extends them.
        inRule([], "invalid_override", "{ id, enabled: false } switches a shipped rule off only in a file of the form { extends: shipped, rules: [ … ] }; a rule of its own needs kind, severity, title and conditions");
        if (rawId !== undefined && previous === undefined) defined.set(rawId, { where, shipped, index: undefined });
        return;
      }
      const result = validateRule(item, doc.file, registry);
      if (!result.ok) {
        // In the order they stand in the file (stable: problems of one line keep the order they were found in).
        const lined = result.problems.map((p) => ({ p, line: lineOf([...at0, ...p.at]) ?? 0 }));
        for (const { p } of lined.sort((a, b) => a.line - b.line)) inRule(p.at, p.code, p.message);
      }
      if (rawId === undefined) return;
      if (previous !== undefined && extendsMode && previous.shipped && !shipped && previous.overriddenIn === undefined) {
        // A rule with a shipped rule's id replaces it, where it stood.
        previous.overriddenIn = where;
        if (result.ok && previous.index !== undefined) rules[previous.index] = result.rule;
        return;
      }
      if (previous !== undefined) {
        const how = previous.overriddenIn !== undefined
          ? `; the shipped rule is already replaced or switched off in ${previous.overriddenIn}`
          : previous.shipped && !extendsMode
            ? "; it is a shipped rule: to replace it or switch it off, write the file as { extends: shipped, rules: [ … ] }"
            : "";
        inRule(["id"], "duplicate_id", `duplicate rule id "${rawId}", first defined in ${previous.where}${how}`);
        return;
      }
      defined.set(rawId, { where, shipped, index: result.ok ? rules.length : undefined });
      if (result.ok) rules.push(result.rule);
    });
  }
}

/** A rule's English texts and its other languages' (`translations`, present when the file gives some). */
function ruleTextsOf(data: { title: LocalizedText; description?: LocalizedText | undefined; remediation?: LocalizedText | undefined }): Pick<Rule, "title" | "description" | "remediation" | "translations"> {
  const english = (text: LocalizedText): string => (typeof text === "string" ? text : text.en);
  const translations: Partial<Record<Exclude<Lang, "en">, RuleTexts>> = {};
  for (const lang of LANGS) {
    if (lang === "en") continue;
    const texts: Record<string, string> = {};
    for (const field of ["title", "description", "remediation"] as const) {
      const text = data[field];
      const translated = typeof text === "object" ? (text as Partial<Record<Lang, string>>)[lang] : undefined;
      if (translated !== undefined) texts[field] = translated;
    }
    if (Object.keys(texts).length > 0) translations[lang] = texts;
  }
  return {
    title: english(data.title),
    ...(data.description !== undefined ? { description: english(data.description) } : {}),
    ...(data.remediation !== undefined ? { remediation: english(data.remediation) } : {}),
    ...(Object.keys(translations).length > 0 ? { translations } : {}),
  };
}
