import { z } from "zod";
import { SEVERITIES } from "../core/types.js";
import { LANGS } from "../messages/types.js";

/**
 * A text meant for people in a rule file: a plain string (every language), or one per language — English
 * required, `{ en: …, zh-CN: … }`.
 */
export const localizedTextSchema = z.union([
  z.string().min(1, "must be a non-empty string"),
  z.strictObject({
    en: z.string().min(1, "must be a non-empty string"),
    ...Object.fromEntries(LANGS.filter((lang) => lang !== "en").map((lang) => [lang, z.string().min(1, "must be a non-empty string").optional()])),
  }),
]);
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** One test case carried by a rule: a tiny dataset and the findings it must produce. */
export const ruleTestSchema = z.strictObject({
  name: z.string().min(1, "must be a non-empty string"),
  /** Inline collections, or a dataset folder relative to the rule file. */
  dataset: z.union([z.string().min(1), z.record(z.string(), z.array(z.unknown()))]),
  /** How many findings of this rule the dataset must produce (0 for a look-alike that must not fire). */
  expectFindings: z.number().int().min(0),
  /** Partner lists the findings must have, offender first (order-insensitive across findings). */
  expectPartners: z.array(z.array(z.string())).optional(),
});
export type RuleTest = z.infer<typeof ruleTestSchema>;

/**
 * A rule as written in a rule file, for the given kinds (the registry's: this stage knows no kind).
 * `conditions` are json-rules-engine conditions, checked separately.
 */
export function ruleSchemaOf<Kind extends string>(kinds: readonly [Kind, ...Kind[]]) {
  return z.strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be letters, digits, `.`, `_` or `-`, starting with a letter or digit"),
    kind: z.enum(kinds),
    severity: z.enum(SEVERITIES),
    title: localizedTextSchema,
    description: localizedTextSchema.optional(),
    remediation: localizedTextSchema.optional(),
    tags: z.array(z.string()).optional(),
    enabled: z.boolean().default(true),
    params: z.record(z.string(), z.number().finite()).default({}),
    /** Checked by the rule validator against json-rules-engine's syntax and the kind's facts. */
    conditions: z.unknown().optional(),
    tests: z.array(ruleTestSchema).optional(),
  });
}

/** A leaf condition: a fact compared by an operator to a value (or to another fact). */
export const factConditionSchema = z.strictObject({
  fact: z.string().min(1, "must name a fact"),
  operator: z.string().min(1, "must name an operator"),
  value: z.unknown(),
  path: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  name: z.string().optional(),
  priority: z.number().int().positive().optional(),
});
