import type { Rejection } from "../core/records.js";
import type { ScanWarning } from "../core/warnings.js";
import type { RecordCounts } from "../dataset/types.js";
import type { Finding } from "./types.js";

/** The totals of a scan. `events + rejected` equals the event records read. */
export interface ScanSummary {
  readonly events: number;
  readonly rejected: number;
  readonly findings: number;
  readonly bySeverity: Readonly<Record<string, number>>;
  readonly byKind: Readonly<Record<string, number>>;
  /** Checks that could not be made, by reason (mixed currencies, unknown regions, …): never guessed. */
  readonly skipped: Readonly<Record<string, number>>;
  /** Records read, accepted and rejected per collection. */
  readonly records: RecordCounts;
  /**
   * What in the input was not read and looks as if it was meant to be (a file `partner.json`, a CSV
   * column `ship_to_region`), sorted by file, code and message; always present, empty when all is well.
   */
  readonly warnings: readonly ScanWarning[];
  /** Present when a baseline was given: findings new since it, known from it, and gone since. */
  readonly baseline?: { readonly new: number; readonly known: number; readonly resolved: number };
}

/** What a scan returns, and what `--format json` prints. */
export interface ScanReport {
  readonly findings: readonly Finding[];
  readonly summary: ScanSummary;
  readonly rejected: readonly Rejection[];
}
