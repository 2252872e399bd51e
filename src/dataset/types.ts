import { COLLECTION_NAMES, type CollectionName, type CollectionRecords, type ReferenceRecords } from "../schema/dataset.js";
import type { Rejection } from "../core/records.js";

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
  /** The IANA time zone bare dates and times without an offset were read in (`UTC` unless the manifest or the option named one). */
  readonly timeZone: string;
}

export function emptyCounts(): RecordCounts {
  const counts = {} as RecordCounts;
  for (const name of COLLECTION_NAMES) counts[name] = { read: 0, accepted: 0, rejected: 0 };
  return counts;
}
