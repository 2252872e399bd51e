import type { Condition, Severity } from "../core/types.js";
import type { ConflictKind } from "../detectors/registry.js";
import type { Lang } from "../messages/types.js";
import type { RuleTest } from "../schema/rules.js";

/** A rule's texts in one language other than English (each absent one falls back to English). */
export interface RuleTexts {
  readonly title?: string;
  readonly description?: string;
  readonly remediation?: string;
}

/** A validated rule: its parameters filled with defaults, its source file known. */
export interface Rule {
  readonly id: string;
  readonly kind: ConflictKind;
  readonly severity: Severity;
  /** English, as are `description` and `remediation`; other languages in `translations`. */
  readonly title: string;
  readonly description?: string;
  readonly remediation?: string;
  /** The texts the rule file gives in other languages (`title: { en: …, zh-CN: … }`). */
  readonly translations?: { readonly [L in Exclude<Lang, "en">]?: RuleTexts };
  readonly tags?: readonly string[];
  readonly enabled: boolean;
  /** Every parameter of the kind and of grouping, defaults filled in. */
  readonly params: Readonly<Record<string, number>>;
  readonly conditions: Condition;
  readonly tests?: readonly RuleTest[];
  /** The file the rule came from (empty for rules given in memory). */
  readonly file: string;
}

/** A validated rule set. */
export interface RuleSet {
  readonly rules: readonly Rule[];
}
