import type { ScanReport } from "../findings/report.js";
import type { RuleSet } from "../rules/types.js";
import type { ScanShard } from "../scan/Scanner.js";
import type { ScanOptions } from "../scan/options.js";
import type { Lang } from "../messages/types.js";

/** The queue every job of channel-conflict goes to, unless `queueName` says otherwise. */
export const DEFAULT_QUEUE = "channel-conflict";

/** The options of a shard's scan that travel with its job (JSON: no callbacks). */
export interface ShardScanOptions {
  readonly maxEvidence?: number;
  readonly maxRecordBytes?: number;
  readonly maxJsonFileBytes?: number;
  readonly maxOpenFindings?: number;
  readonly maxRejected?: number | `${number}%`;
  readonly timeZone?: string;
  readonly maxMemoryMB?: number;
  readonly lang?: Lang;
  readonly scorecard?: ScanOptions["scorecard"];
}

/** A shard job: scan one shard of a dataset every worker can read at `dataset`. */
export interface ShardJob {
  readonly dataset: string;
  readonly shard: ScanShard;
  /** The rule set, as data (without its test cases); the shipped rules when absent. */
  readonly rules?: RuleSet;
  readonly options: ShardScanOptions;
}

/** What a shard job returns: its shard's report. */
export type ShardResult = ScanReport;

/** The job names: one `shard` per shard, children of one `merge`. */
export const SHARD_JOB = "shard";
export const MERGE_JOB = "merge";
