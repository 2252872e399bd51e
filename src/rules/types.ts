import type { Condition, Severity } from "../core/types.js";
import type { ConflictKind } from "../detectors/registry.js";
import type { RuleTest } from "../schema/rules.js";

/** A validated rule: its parameters filled with defaults, its source file known. */
export interface Rule {
  readonly id: string;
  readonly kind: ConflictKind;
  readonly severity: Severity;
  readonly title: string;
  readonly description?: string;
  readonly remediation?: string;
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
