import type { ScanReport } from "../findings/report.js";
import type { RuleSet } from "../rules/types.js";
import type { ScanShard } from "../scan/Scanner.js";
import type { z } from "zod";
import { scanOptionsSchema } from "../scan/options.js";

/** The queue every job of channel-conflict goes to, unless `queueName` says otherwise. */
export const DEFAULT_QUEUE = "channel-conflict";

/**
 * The options of `scan` that travel with each shard's job, validated as `scan` validates them (JSON only: no
 * callbacks; the rules travel apart, as data).
 */
export const shardScanOptionsSchema = scanOptionsSchema.pick({
  maxEvidence: true,
  maxRecordBytes: true,
  maxJsonFileBytes: true,
  maxOpenFindings: true,
  maxRejected: true,
  timeZone: true,
  maxMemoryMB: true,
  lang: true,
  scorecard: true,
});

/** The options of a shard's scan that travel with its job. */
export type ShardScanOptions = z.output<typeof shardScanOptionsSchema>;

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
