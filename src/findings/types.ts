import type { Facts, FindingRef, Severity } from "../core/types.js";
import type { ConflictKind } from "../detectors/registry.js";
import type { MessageArg } from "../messages/types.js";

/** One detected conflict, with its evidence, severity, score and rank (CONTRACT §6). */
export interface Finding {
  /** Unique within a report, stable across runs of the same input and rules (it hashes when the finding began). */
  readonly id: string;
  /** The rule and the grouping key (who, what, where), never a time: what baselines and suppressions match on. */
  readonly fingerprint: string;
  /**
   * `open` while the finding's key has not been quiet for its rule's `groupGapDays` at the end of the data
   * (findings of reference data alone are open), else `closed`.
   */
  readonly status: "open" | "closed";
  /** 1 for the worst finding; 0 in a stream, where findings are not ranked yet. */
  readonly rank: number;
  readonly score: number;
  readonly severity: Severity;
  readonly kind: ConflictKind;
  readonly ruleId: string;
  /** The rule's title, in the report's language. */
  readonly title: string;
  /** One plain sentence, in the report's language, rendered from `messageCode` and `messageArgs`. */
  readonly message: string;
  /** What the message says, for programs: the same in every language (`price-deviation.below-floor`). */
  readonly messageCode: string;
  /** The message's values (partners as `{ id, name? }`, instants as epoch ms, amounts in major units). */
  readonly messageArgs: Readonly<Record<string, MessageArg>>;
  readonly remediation?: string;
  /** The offender first, then the affected partners. */
  readonly partners: readonly string[];
  readonly eventIds: readonly string[];
  readonly refs: readonly FindingRef[];
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly facts: Facts;
  /**
   * With a baseline (`applyBaseline`), on a finding the baseline knew that has occurrences after the last it
   * saw: how many occurrences it has beyond the baseline's, and its evidence events the baseline did not have.
   */
  readonly sinceBaseline?: { readonly count: number; readonly eventIds: readonly string[] };
}
