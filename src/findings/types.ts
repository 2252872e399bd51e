import type { Facts, FindingRef, Severity } from "../core/types.js";
import type { ConflictKind } from "../detectors/registry.js";

/** One detected conflict, with its evidence, severity, score and rank (CONTRACT §6). */
export interface Finding {
  readonly id: string;
  /** 1 for the worst finding; 0 in a stream, where findings are not ranked yet. */
  readonly rank: number;
  readonly score: number;
  readonly severity: Severity;
  readonly kind: ConflictKind;
  readonly ruleId: string;
  readonly title: string;
  readonly message: string;
  readonly remediation?: string;
  /** The offender first, then the affected partners. */
  readonly partners: readonly string[];
  readonly eventIds: readonly string[];
  readonly refs: readonly FindingRef[];
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly facts: Facts;
}
