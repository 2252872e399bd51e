import { join } from "node:path";
import { packageRoot } from "../io/packageRoot.js";
import { RuleSetError } from "../core/errors.js";
import { readRuleFiles } from "../io/readRuleFiles.js";
import type { RuleSet } from "./types.js";
import { DETECTORS } from "../detectors/registry.js";
import { validateRuleDocumentsWith, type Registry } from "./validateRules.js";

/** The folder of the rules shipped with the package (`rules/` at the package root). */
export function shippedRulesPath(): string {
  return join(packageRoot(), "rules");
}

/**
 * Loads and validates rules: rule files or folders (JSON or YAML, one rule or a list each), rule
 * objects in memory, or — with no argument — the shipped rules. A rule set with any problem is
 * refused whole with a `RuleSetError` listing every problem by file and path.
 * @example
 * const rules = await loadRules(["rules/", "my-rules.yaml"]);
 */
export function loadRules(source?: string | readonly string[] | { readonly rules: readonly unknown[] }): Promise<RuleSet> {
  return loadRulesWith(DETECTORS, source);
}

/** `loadRules` against the kinds of `registry` (a test registers a kind of its own this way). */
export async function loadRulesWith(registry: Registry, source?: string | readonly string[] | { readonly rules: readonly unknown[] }): Promise<RuleSet> {
  let documents;
  if (source === undefined) documents = await readRuleFiles([shippedRulesPath()]);
  else if (typeof source === "string") documents = await readRuleFiles([source]);
  else if (Array.isArray(source)) documents = await readRuleFiles(source as readonly string[]);
  else documents = [{ file: "(rules)", document: [...(source as { rules: readonly unknown[] }).rules] }];
  const { rules, problems } = validateRuleDocumentsWith(registry, documents);
  if (problems.length > 0) throw new RuleSetError(problems);
  return { rules };
}
