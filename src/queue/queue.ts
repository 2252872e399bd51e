import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ChannelConflictError, OptionsError } from "../core/errors.js";
import type { ScanReport } from "../findings/report.js";
import { packageRoot } from "../io/packageRoot.js";
import type { RuleSet } from "../rules/types.js";
import { formatIssues } from "../schema/formatIssues.js";
import { DEFAULT_QUEUE, MERGE_JOB, SHARD_JOB, shardScanOptionsSchema, type ShardJob } from "./jobs.js";

type BullMq = typeof import("bullmq");

/** bullmq (and ioredis under it) are optional dependencies: loaded only in queue mode. */
async function loadBullMq(): Promise<BullMq> {
  try {
    return await import("bullmq");
  } catch (error) {
    throw new ChannelConflictError(
      "QUEUE_UNAVAILABLE",
      "queue mode needs the optional dependencies bullmq and ioredis; install them with: npm install bullmq ioredis",
      { cause: error },
    );
  }
}

const redisUrl = z
  .string()
  .regex(/^rediss?:\/\/[^\s]+$/, "expected a Redis URL such as redis://127.0.0.1:6379");

const queueScanSchema = shardScanOptionsSchema.extend({
  queue: redisUrl,
  shards: z.number().int().positive().max(1024).default(4),
  queueName: z.string().min(1).default(DEFAULT_QUEUE),
  rules: z.custom<RuleSet>().optional(),
  /** Give up waiting after this long (default 1 hour). */
  timeoutMs: z.number().int().positive().default(3_600_000),
});

/** Options of `scanOnQueue`: the Redis URL, the number of shards, and the options of `scan` that travel as data. */
export type QueueScanOptions = z.input<typeof queueScanSchema>;

const workerSchema = z.strictObject({
  queue: redisUrl,
  queueName: z.string().min(1).default(DEFAULT_QUEUE),
  /** Shards this worker scans at once, each in its own child process (default 1). */
  concurrency: z.number().int().positive().default(1),
  /**
   * How long a job's lock lasts without renewal (default 30 s): a worker that dies holding a job gives it
   * up after this, and another worker runs it again.
   */
  lockDurationMs: z.number().int().positive().default(30_000),
  /** How often the worker looks for jobs whose worker died (default: the lock duration). */
  stalledIntervalMs: z.number().int().positive().optional(),
});

/** Options of `startQueueWorker`. */
export type QueueWorkerOptions = z.input<typeof workerSchema>;

function parse<T extends z.ZodType>(schema: T, options: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(options ?? {}, { reportInput: true });
  if (!parsed.success) throw new OptionsError(`${what}: ${formatIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** A Redis connection for BullMQ from a URL (BullMQ's blocking commands need no retry limit). */
function connectionOf(url: string) {
  return { url, maxRetriesPerRequest: null };
}

/**
 * Scans a dataset on the workers of a BullMQ queue (`startQueueWorker`, `channel-conflict worker`): one
 * child job per shard, and a parent job that merges their reports once all are done. The merged report
 * is byte for byte the report of `scan(dataset)` in one process. `dataset` must be a folder every worker
 * can read at the same path (shared storage); it is passed as an absolute path. The rules travel with the
 * jobs as data. A shard whose worker dies is run again by another worker (its lock expires), with the
 * same result.
 * @example
 * const report = await scanOnQueue("/shared/data/2025-q1", { queue: "redis://10.0.0.5:6379", shards: 8 });
 */
export async function scanOnQueue(dataset: string, options: QueueScanOptions): Promise<ScanReport> {
  const parsed = parse(queueScanSchema, options, "scanOnQueue options");
  const { FlowProducer, QueueEvents } = await loadBullMq();
  const { queue, shards, queueName, rules, timeoutMs, ...jobOptions } = parsed;
  const connection = connectionOf(queue);
  // Test cases stay home: they can be large, and a scan never reads them.
  const ruleData: RuleSet | undefined = rules ? { rules: rules.rules.map(({ tests: _tests, ...rule }) => rule) } : undefined;
  const path = resolve(dataset);
  const events = new QueueEvents(queueName, { connection });
  const producer = new FlowProducer({ connection });
  try {
    await events.waitUntilReady();
    const flow = await producer.add({
      name: MERGE_JOB,
      queueName,
      data: { dataset: path, shards },
      opts: { removeOnComplete: true, removeOnFail: true },
      children: Array.from({ length: shards }, (_, index) => ({
        name: SHARD_JOB,
        queueName,
        data: { dataset: path, shard: { index, count: shards }, options: jobOptions, ...(ruleData ? { rules: ruleData } : {}) } satisfies ShardJob,
        // A shard that fails fails the scan (its error is the scan's); its result is kept until the merge has read it.
        opts: { failParentOnFailure: true, removeOnComplete: false, attempts: 1 },
      })),
    });
    const report = (await flow.job.waitUntilFinished(events, timeoutMs)) as ScanReport;
    // The shards' results were kept for the merge: remove them now.
    await Promise.all((flow.children ?? []).map((child) => child.job.remove().catch(() => undefined)));
    return report;
  } catch (error) {
    if (error instanceof ChannelConflictError) throw error;
    throw new ChannelConflictError("QUEUE_FAILED", `queue scan of ${path} failed: ${(error as Error).message}`, { cause: error });
  } finally {
    await producer.close();
    await events.close();
  }
}

/** A running queue worker. */
export interface QueueWorker {
  /** Finishes the shards it holds, then stops. */
  close(): Promise<void>;
}

/**
 * Starts a worker that scans shards from the queue (`scanOnQueue`, `channel-conflict scan --queue`), each in a
 * sandboxed child process (BullMQ's sandboxed processors), `concurrency` at a time. Many workers may run, on
 * many machines, each reading the datasets at the paths the jobs name.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const parsed = parse(workerSchema, options, "startQueueWorker options");
  const { Worker } = await loadBullMq();
  const worker = new Worker(parsed.queueName, processorPath(), {
    connection: connectionOf(parsed.queue),
    concurrency: parsed.concurrency,
    lockDuration: parsed.lockDurationMs,
    stalledInterval: parsed.stalledIntervalMs ?? parsed.lockDurationMs,
    maxStalledCount: 2,
  });
  await worker.waitUntilReady();
  return { close: () => worker.close() };
}

/** The built sandboxed processor (`dist/queueProcessor.js`), beside this module or in the package's `dist/`. */
function processorPath(): string {
  const beside = join(dirname(fileURLToPath(import.meta.url)), "queueProcessor.js");
  if (existsSync(beside)) return beside;
  const built = join(packageRoot(), "dist", "queueProcessor.js");
  if (existsSync(built)) return built;
  throw new ChannelConflictError("QUEUE_UNAVAILABLE", `the queue processor ${built} is missing; build the package (npm run build)`);
}
