import type { RecordOrigin } from "../io/readRecords.js";
import { COLLECTION_NAMES, type CollectionName, type CollectionRecords, type ReferenceName } from "../schema/dataset.js";

/** A record that was read but not used: where it was and why. */
export interface Rejection {
  readonly file: string;
  readonly line?: number;
  readonly index?: number;
  readonly reason: string;
}

/** The validated reference collections of a dataset (everything but events). */
export type ReferenceRecords = Pick<CollectionRecords, ReferenceName>;

/** Records read, accepted and rejected, per collection. */
export type RecordCounts = Record<CollectionName, { read: number; accepted: number; rejected: number }>;

/** A dataset after validation: reference collections, events, and every rejected record. */
export interface Dataset {
  readonly reference: ReferenceRecords;
  readonly events: CollectionRecords["events"];
  readonly rejected: readonly Rejection[];
  readonly counts: RecordCounts;
  /** Which reference collections were present (an absent one is not the same as an empty one). */
  readonly present: ReadonlySet<CollectionName>;
}

export function rejectionOf(origin: RecordOrigin, reason: string): Rejection {
  return {
    file: origin.file,
    ...(origin.line !== undefined ? { line: origin.line } : {}),
    ...(origin.index !== undefined ? { index: origin.index } : {}),
    reason,
  };
}

export function emptyCounts(): RecordCounts {
  const counts = {} as RecordCounts;
  for (const name of COLLECTION_NAMES) counts[name] = { read: 0, accepted: 0, rejected: 0 };
  return counts;
}
