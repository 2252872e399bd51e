// The sandboxed processor of queue mode (built to dist/queueProcessor.js): BullMQ runs it in a child
// process of each worker, so a long shard never stalls the worker's lock renewal.
import { mergeReports } from "../findings/mergeReports.js";
import type { ScanReport } from "../findings/report.js";
import { scan } from "../scan/scan.js";
import { MERGE_JOB, SHARD_JOB, type ShardJob } from "./jobs.js";

// A worker that dies (even by SIGKILL) closes this child's IPC channel: with no one left to report to it must
// not linger — BullMQ's child would go on scanning, then spin on sends that fail.
if (typeof process.send === "function") process.once("disconnect", () => process.exit(1));

/** The least of a BullMQ sandboxed job this processor uses. */
interface Job {
  readonly name: string;
  readonly data: unknown;
  getChildrenValues(): Promise<Record<string, unknown>>;
}

/**
 * A `shard` job scans its shard (the same input gives the same report, so a re-run after a crash changes
 * nothing); the `merge` job merges its children's reports — in any order, merging is commutative.
 */
export default async function processor(job: Job): Promise<ScanReport> {
  if (job.name === SHARD_JOB) {
    const { dataset, shard, rules, options } = job.data as ShardJob;
    return scan(dataset, { ...options, shard, ...(rules ? { rules } : {}) });
  }
  if (job.name === MERGE_JOB) {
    const children = await job.getChildrenValues();
    return mergeReports(...(Object.values(children) as ScanReport[]));
  }
  throw new Error(`channel-conflict: unknown job "${job.name}"`);
}
