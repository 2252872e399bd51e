import { RuleSetError, type RuleProblem } from "../core/errors.js";
import { readRuleSources, readShippedRules, shippedRulesFolder, type RuleDocument } from "../io/readRuleFiles.js";
import type { RuleSet } from "./types.js";
import { DETECTORS } from "../detectors/registry.js";
import { extendsShipped, validateRuleDocumentsWith, type Registry, type RuleDocumentOptions } from "./validateRules.js";

/** The folder of the rules shipped with the package (`rules/` at the package root). */
export function shippedRulesPath(): string {
  return shippedRulesFolder();
}

/** Rules given in memory: a list of rule objects, or one that extends the shipped rules (`{ extends: "shipped", rules }`). */
export type InMemoryRules = { readonly rules: readonly unknown[]; readonly extends?: string };

/**
 * Loads and validates rules: rule files or folders (JSON or YAML, one rule or a list each), rule
 * objects in memory, or — with no argument — the shipped rules. A file (or the in-memory object) of the
 * form `{ extends: shipped, rules: [...] }` starts from the shipped rules: a rule with a shipped rule's
 * id replaces it, `{ id, enabled: false }` switches it off. A rule set with any problem is refused whole
 * with a `RuleSetError` listing every problem by file, line, rule and path.
 * @example
 * const rules = await loadRules(["rules/", "my-rules.yaml"]);
 * const mine = await loadRules({ extends: "shipped", rules: [{ id: "price.below-map", enabled: false }] });
 */
export function loadRules(source?: string | readonly string[] | InMemoryRules): Promise<RuleSet> {
  return loadRulesWith(DETECTORS, source);
}

/** `loadRules` against the kinds of `registry` (a test registers a kind of its own this way). */
export async function loadRulesWith(registry: Registry, source?: string | readonly string[] | InMemoryRules): Promise<RuleSet> {
  let documents: RuleDocument[];
  let options: RuleDocumentOptions = {};
  const emptyPaths: RuleProblem[] = [];
  if (source === undefined || typeof source === "string" || Array.isArray(source)) {
    const paths = source === undefined ? [shippedRulesPath()] : typeof source === "string" ? [source] : (source as readonly string[]);
    const read = await readRuleSources(paths);
    documents = read.documents;
    options = read;
    emptyPaths.push(...read.empty.map(noRuleFilesProblem));
    // Nothing at all to run: the same refusal as a rule set with every rule disabled.
    if (documents.length === 0 && emptyPaths.length > 0) throw new RuleSetError(emptyPaths, "NO_ENABLED_RULE");
  } else {
    const given = source as InMemoryRules;
    if (Object.hasOwn(given, "extends")) {
      const document = { extends: given.extends, rules: [...given.rules] };
      documents = [{ file: "(rules)", document }];
      if (extendsShipped(document)) options = { shipped: await readShippedRules() };
    } else {
      documents = [{ file: "(rules)", document: [...given.rules] }];
    }
  }
  const { rules, problems } = validateRuleDocumentsWith(registry, documents, options);
  if (problems.length > 0 || emptyPaths.length > 0) throw new RuleSetError([...emptyPaths, ...problems]);
  return { rules };
}

/** The problem of a rule path that holds no rule file: a folder named by mistake runs nothing, silently. */
export function noRuleFilesProblem(path: string): RuleProblem {
  return { file: path, path: "(folder)", code: "no_rule_files", message: "holds no rule file; expected at least one .json, .yaml or .yml file of rules" };
}

/**
 * Refuses a rule set that would run no rule (none given, or every one `enabled: false`) with a
 * `RuleSetError` of code `NO_ENABLED_RULE`: its scan would report "no conflicts" and mean nothing.
 */
export function requireEnabledRule(ruleSet: RuleSet): RuleSet {
  const rules = ruleSet.rules;
  if (rules.some((rule) => rule.enabled === true)) return ruleSet;
  const files = [...new Set(rules.map((rule) => rule.file).filter((file) => file !== "" && file !== undefined))].sort();
  const file = files.length === 1 ? (files[0] as string) : "(rules)";
  const message =
    rules.length === 0
      ? "holds no rule; expected at least one enabled rule"
      : rules.length === 1
        ? `its only rule, ${rules[0]?.id}, is disabled; expected at least one enabled rule (enabled: true, the default)`
        : `all ${rules.length} of its rules are disabled (${rules.map((rule) => rule.id).slice(0, 3).join(", ")}${rules.length > 3 ? ", …" : ""}); expected at least one enabled rule (enabled: true, the default)`;
  throw new RuleSetError([{ file, path: "(rule set)", code: "no_enabled_rule", message }], "NO_ENABLED_RULE");
}
