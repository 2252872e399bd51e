import type { Rejection } from "../core/records.js";
import type { ScanWarning } from "../core/warnings.js";
import type { RecordCounts } from "../dataset/types.js";
import type { Finding } from "./types.js";
import type { PartnerScore, ScorecardPolicy } from "./scorePartners.js";

/** The totals of a scan. `events + rejected` equals the event records read. */
export interface ScanSummary {
  readonly events: number;
  readonly rejected: number;
  readonly findings: number;
  readonly bySeverity: Readonly<Record<string, number>>;
  readonly byKind: Readonly<Record<string, number>>;
  /**
   * Checks that could not be made, by reason (mixed currencies, unknown regions, …): never guessed. Keyed by
   * the kind and the English text (`price-deviation: sale currency differs from its price policy`) in every
   * language, as before skips had codes; `skippedByCode` holds the same counts by code.
   */
  readonly skipped: Readonly<Record<string, number>>;
  /** The counts of `skipped` by skip code (`price-deviation.sale-currency-mismatch`), in code order. */
  readonly skippedByCode: Readonly<Record<string, number>>;
  /** Records read, accepted and rejected per collection. */
  readonly records: RecordCounts;
  /**
   * What in the input was not read and looks as if it was meant to be (a file `partner.json`, a CSV
   * column `ship_to_region`), sorted by file, code and message; always present, empty when all is well.
   */
  readonly warnings: readonly ScanWarning[];
  /**
   * Present when a baseline was given: findings new since it (`worse`: those of them the baseline knew, with
   * later occurrences), known from it (left out), and gone since.
   */
  readonly baseline?: { readonly new: number; readonly worse: number; readonly known: number; readonly resolved: number };
  /** Present when suppressions were given: findings hidden by an active entry, and entries that have expired. */
  readonly suppressions?: { readonly suppressed: number; readonly expired: number };
}

/** What a scan returns, and what `--format json` prints. */
export interface ScanReport {
  readonly findings: readonly Finding[];
  readonly summary: ScanSummary;
  readonly rejected: readonly Rejection[];
  /** The partner scorecard: each offending partner's findings, money at stake, score and tier (a scan always sets it). */
  readonly partners?: readonly PartnerScore[];
  /** Present when suppressions were given: the findings an active entry hides, each with the entry's reason. */
  readonly suppressed?: readonly SuppressedFinding[];
  /**
   * The policy `partners` was scored by, present when the scan was given the `scorecard` option (absent: the
   * starting policy, `DEFAULT_SCORECARD_POLICY`). The steps after a scan score partners by it again:
   * `applySuppressions`, `applyBaseline` and `mergeReports`. `--format json` does not print it.
   */
  readonly scorecard?: ScorecardPolicy;
  /**
   * Present on the report of some shards of a scan (the `shard` option, or `mergeReports` of some of them):
   * how many shards the scan has and which this report holds. Absent once every shard is merged in.
   */
  readonly shards?: { readonly count: number; readonly indexes: readonly number[] };
}

/** A finding a suppression hides: who, what, and why it is hidden. */
export interface SuppressedFinding {
  readonly id: string;
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly severity: Finding["severity"];
  readonly partners: readonly string[];
  readonly message: string;
  readonly reason: string;
  readonly by?: string;
  readonly expires?: string;
}
