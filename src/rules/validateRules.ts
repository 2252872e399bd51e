import type { RuleProblem, RuleProblemCode } from "../core/errors.js";
import { DETECTORS, type ConflictKind } from "../detectors/registry.js";
import type { Detector } from "../detectors/types.js";
import { KNOWN_OPERATORS, OPERATOR_DECORATORS } from "../engine/operators/index.js";
import { SAFE_PATH_PATTERN } from "../engine/pathResolver.js";
import { factConditionSchema, ruleSchemaOf, ruleTestSchema } from "../schema/rules.js";
import { formatIssues, formatPath } from "../schema/formatIssues.js";
import type { Condition } from "../core/types.js";
import { GROUPING_PARAMS } from "./groupingParams.js";
import type { Rule } from "./types.js";

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

function checkOperator(operator: string): string | undefined {
  const parts = operator.split(":");
  const base = parts[parts.length - 1] as string;
  const decorators = parts.slice(0, -1);
  const badDecorator = decorators.find((d) => !OPERATOR_DECORATORS.includes(d));
  if (badDecorator !== undefined) {
    return `unknown operator decorator "${badDecorator}"; expected one of ${OPERATOR_DECORATORS.join(", ")}`;
  }
  if (!KNOWN_OPERATORS.includes(base)) return `unknown operator "${base}"; expected one of ${KNOWN_OPERATORS.join(", ")}`;
  return undefined;
}

interface ConditionContext {
  readonly facts: ReadonlySet<string>;
  readonly kind: string;
  readonly problems: Array<[string, string, RuleProblemCode]>;
  count: number;
}

function checkCondition(node: unknown, path: (string | number)[], context: ConditionContext, depth: number): void {
  const report = (at: (string | number)[], code: RuleProblemCode, message: string) => context.problems.push([formatPath(at), message, code]);
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
    if (booleanKey === "not") {
      checkCondition(inner, [...path, "not"], context, depth + 1);
    } else if (!Array.isArray(inner)) {
      report([...path, booleanKey], "invalid_condition", `expected an array of conditions, got ${typeof inner}`);
    } else if (inner.length === 0) {
      report([...path, booleanKey], "empty_condition", "must hold at least one condition");
    } else {
      inner.forEach((child, i) => checkCondition(child, [...path, booleanKey, i], context, depth + 1));
    }
    return;
  }
  if (depth === 0) {
    report(path, "invalid_root", 'the root must be "all", "any" or "not"');
    return;
  }
  const parsed = factConditionSchema.safeParse(node, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) context.problems.push([formatPath([...path, ...(issue.path as (string | number)[])]), formatIssues([issue]).replace(/^[^:]*: /, ""), issue.code]);
    return;
  }
  const leaf = parsed.data;
  if (!Object.hasOwn(node, "value")) report([...path, "value"], "missing_value", "is missing; expected the value to compare the fact with");
  else if (nestingDepth(node.value, MAX_VALUE_DEPTH) > MAX_VALUE_DEPTH) {
    report([...path, "value"], "too_deep", `nests deeper than ${MAX_VALUE_DEPTH} levels`);
  }
  if (!context.facts.has(leaf.fact)) {
    report([...path, "fact"], "unknown_fact", `unknown fact "${leaf.fact}" for kind ${context.kind}; expected one of ${[...context.facts].sort().join(", ")}`);
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
  if (isObject(leaf.value) && Object.hasOwn(leaf.value, "fact")) {
    const other = leaf.value.fact;
    if (typeof other !== "string" || !context.facts.has(other)) {
      report([...path, "value", "fact"], "unknown_fact", `unknown fact ${JSON.stringify(other)} for kind ${context.kind}`);
    }
  }
}

/**
 * Problems with a rule's conditions (json-rules-engine syntax, its kind's facts, operators that could
 * throw), each as [path, message]: empty for every rule `loadRules` returns.
 */
export function conditionProblems(kind: string, conditions: unknown, registry: Registry = DETECTORS): Array<[string, string, RuleProblemCode]> {
  const context: ConditionContext = { facts: factsOf(kind, registry), kind, problems: [], count: 0 };
  checkCondition(conditions, ["conditions"], context, 0);
  return context.problems;
}

/** A rule that validated, or the problems that stop it, each with a path inside the rule. */
/** A problem found inside one rule: where in it, what is wrong (`code`), and the message. */
type RuleCheckProblem = Omit<RuleProblem, "file">;

export type RuleCheck = { ok: true; rule: Rule } | { ok: false; problems: RuleCheckProblem[] };

/** Validates one rule: its shape with zod, its conditions against json-rules-engine's syntax and its kind's facts. */
export function validateRule(input: unknown, file: string, registry: Registry = DETECTORS): RuleCheck {
  const problems: RuleCheckProblem[] = [];
  const ruleSchema = ruleSchemaFor(registry);
  const parsed = ruleSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        // The issue's path says which object had the key: the rule itself, or one of its test cases.
        const allowed = issue.path[0] === "tests" ? Object.keys(ruleTestSchema.shape) : Object.keys(ruleSchema.shape);
        for (const key of issue.keys) {
          problems.push({ path: formatPath([...issue.path, key]), message: `unknown key; expected one of ${allowed.join(", ")}`, code: "unknown_key" });
        }
      } else {
        problems.push({ path: formatPath(issue.path), message: formatIssues([issue]).replace(/^[^:]*: /, ""), code: issue.code });
      }
    }
  }
  const kind = isObject(input) && typeof input.kind === "string" && Object.hasOwn(registry, input.kind) ? (input.kind as ConflictKind) : undefined;
  if (kind && isObject(input) && Object.hasOwn(input, "conditions")) {
    for (const [path, message, code] of conditionProblems(kind, input.conditions, registry)) problems.push({ path, message, code });
  } else if (isObject(input) && !Object.hasOwn(input, "conditions")) {
    problems.push({ path: "conditions", message: "is missing; expected json-rules-engine conditions (all, any or not)", code: "missing_conditions" });
  }
  let params: Record<string, number> = {};
  const docs = kind ? [...(registry[kind] as Detector).params, ...GROUPING_PARAMS] : [];
  if (kind && isObject(input) && isObject(input.params) && Object.hasOwn(input.params, "__proto__")) {
    // zod drops an own `__proto__` key while parsing a record: name it here, like any unknown parameter.
    problems.push({ path: "params.__proto__", message: `unknown parameter for kind ${kind}; expected one of ${docs.map((d) => d.name).join(", ")}`, code: "unknown_parameter" });
  }
  if (kind && parsed.success) {
    for (const name of Object.keys(parsed.data.params)) {
      const doc = docs.find((d) => d.name === name);
      const value = parsed.data.params[name] as number;
      if (!doc) {
        problems.push({
          path: `params.${name}`,
          message: `unknown parameter for kind ${kind}; expected one of ${docs.map((d) => d.name).join(", ")}`,
          code: "unknown_parameter",
        });
      } else if (value < doc.min) {
        problems.push({ path: `params.${name}`, message: `must be at least ${doc.min}, got ${value}`, code: "too_small" });
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
      title: data.title,
      ...(data.description !== undefined ? { description: data.description } : {}),
      ...(data.remediation !== undefined ? { remediation: data.remediation } : {}),
      ...(data.tags !== undefined ? { tags: data.tags } : {}),
      enabled: data.enabled,
      params,
      conditions: data.conditions as Condition,
      ...(data.tests !== undefined ? { tests: data.tests } : {}),
      file,
    },
  };
}

/** Validates every rule of every document; collects every problem, with file and path. */
export function validateRuleDocuments(
  documents: ReadonlyArray<{ file: string; document?: unknown; error?: string }>,
): { rules: Rule[]; problems: RuleProblem[] } {
  return validateRuleDocumentsWith(DETECTORS, documents);
}

/** `validateRuleDocuments` against the kinds of `registry` (a test registers a kind of its own this way). */
export function validateRuleDocumentsWith(
  registry: Registry,
  documents: ReadonlyArray<{ file: string; document?: unknown; error?: string }>,
): { rules: Rule[]; problems: RuleProblem[] } {
  const rules: Rule[] = [];
  const problems: RuleProblem[] = [];
  const firstFile = new Map<string, string>();
  for (const doc of documents) {
    if (doc.error !== undefined) {
      problems.push({ file: doc.file, path: "(file)", message: doc.error, code: "unreadable_file" });
      continue;
    }
    const items = Array.isArray(doc.document) ? doc.document : [doc.document];
    if (Array.isArray(doc.document) && doc.document.length === 0) {
      problems.push({ file: doc.file, path: "(file)", message: "holds no rules; expected a rule or a list of rules", code: "empty_file" });
    }
    items.forEach((item, i) => {
      const prefix = Array.isArray(doc.document) ? `[${i}]` : "";
      const result = validateRule(item, doc.file, registry);
      if (!result.ok) {
        for (const p of result.problems) {
          problems.push({ file: doc.file, path: prefix === "" ? p.path : p.path.startsWith("[") ? `${prefix}${p.path}` : `${prefix}.${p.path}`, message: p.message, code: p.code });
        }
        return;
      }
      const seen = firstFile.get(result.rule.id);
      if (seen !== undefined) {
        problems.push({ file: doc.file, path: `${prefix}${prefix ? "." : ""}id`, message: `duplicate rule id "${result.rule.id}", first defined in ${seen}`, code: "duplicate_id" });
        return;
      }
      firstFile.set(result.rule.id, doc.file);
      rules.push(result.rule);
    });
  }
  return { rules, problems };
}
