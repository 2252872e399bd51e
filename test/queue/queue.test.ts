import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatJson } from "../../src/report/formatJson.js";
import { scanOnQueue, startQueueWorker } from "../../src/queue/queue.js";
import { scan } from "../../src/scan/scan.js";
import { hasRedisServer, startRedis, type TestRedis } from "./redis.js";

// Queue mode runs on a real Redis. CI installs redis-server (.ci/run) and fails here if it cannot start;
// elsewhere, a machine without it skips these tests and says so.
const runnable = hasRedisServer() || process.env.CI !== undefined;
if (!runnable) console.warn("\n*** SKIPPED: the queue mode tests need redis-server (apt-get install redis-server) ***\n");

const CLI = "dist/cli.js";

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A `channel-conflict worker` process, ready once it said so on stderr. */
async function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, "worker", "--queue", url, "--concurrency", "1", "--lock-duration", "2000"], { stdio: ["ignore", "ignore", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let said = "";
    child.stderr?.on("data", (chunk) => {
      said += chunk;
      if (said.includes("scanning shards from")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}: ${said}`)));
  });
  return child;
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

describe.skipIf(!runnable)("queue mode on a real Redis", () => {
  let redis: TestRedis;
  let dataset: string;
  let whole: string;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    dataset = mkdtempSync(join(tmpdir(), "cc-queue-"));
    const generated = spawnSync(process.execPath, ["--import", "tsx", "bench/generate-cli.ts", "--events", "110000", "--seed", "3", "--out", dataset], { encoding: "utf8" });
    expect(generated.status, generated.stderr).toBe(0);
    const plain = await cli(["scan", dataset, "--format", "json"]);
    expect(plain.code).toBe(0);
    whole = plain.stdout;
    expect(JSON.parse(whole).findings.length).toBeGreaterThan(20);
    for (let i = 0; i < 3; i++) workers.push(await startWorker(redis.url));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map(stopWorker));
    await redis?.stop();
    if (dataset) rmSync(dataset, { recursive: true, force: true });
  }, 60_000);

  it("8 shards on 3 worker processes give the one-process report, byte for byte", async () => {
    const queued = await cli(["scan", dataset, "--queue", redis.url, "--shards", "8", "--format", "json"]);
    expect(queued.stderr).toBe("");
    expect(queued.code).toBe(0);
    expect(queued.stdout).toBe(whole);
  }, 120_000);

  it("a worker killed mid-run (SIGKILL) loses nothing: its shard runs again elsewhere, the report is the same", async () => {
    const events = new QueueEvents("channel-conflict", { connection: { url: redis.url } });
    await events.waitUntilReady();
    let stalled = 0;
    events.on("stalled", () => stalled++);
    let active = 0;
    const allBusy = new Promise<void>((resolve) => events.on("active", () => ++active === 3 && resolve()));
    const run = cli(["scan", dataset, "--queue", redis.url, "--shards", "8", "--format", "json"]);
    // Three shards are active at once: each worker (concurrency 1) holds one. Kill the first worker.
    await allBusy;
    const victim = workers[0] as ChildProcess;
    // Its sandboxed children (one per shard it runs) must not outlive it.
    const children = spawnSync("ps", ["-o", "pid=", "--ppid", String(victim.pid)], { encoding: "utf8" })
      .stdout.split("\n")
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
    expect(children.length).toBeGreaterThan(0);
    const killed = new Promise((resolve) => victim.once("exit", resolve));
    victim.kill("SIGKILL");
    await killed;
    const queued = await run;
    await events.close();
    expect(queued.code).toBe(0);
    expect(queued.stdout).toBe(whole);
    // The killed worker's shard was found stalled and run again by another worker.
    expect(stalled).toBeGreaterThanOrEqual(1);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let wait = 0; wait < 50 && children.some(alive); wait++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(children.filter(alive), "sandboxed children of the killed worker still running").toEqual([]);
    workers[0] = await startWorker(redis.url);
  }, 180_000);

  it("the library: scanOnQueue on workers started with startQueueWorker equals scan()", async () => {
    const worker = await startQueueWorker({ queue: redis.url, concurrency: 2, queueName: "cc-library" });
    try {
      const report = await scanOnQueue("fixtures/demo", { queue: redis.url, shards: 3, queueName: "cc-library" });
      expect(formatJson(report)).toBe(formatJson(await scan("fixtures/demo")));
      // Options travel with the jobs: the language, the scorecard policy.
      const options = { lang: "zh-CN", scorecard: { tiers: { review: 1, audit: 2, hold: 3 } } } as const;
      const chinese = await scanOnQueue("fixtures/demo", { queue: redis.url, shards: 2, queueName: "cc-library", ...options });
      expect(formatJson(chinese)).toBe(formatJson(await scan("fixtures/demo", options)));
      // A shard that fails fails the scan, with its reason.
      await expect(scanOnQueue(join(dataset, "missing"), { queue: redis.url, shards: 2, queueName: "cc-library", timeoutMs: 30_000 })).rejects.toThrow(
        /missing/,
      );
    } finally {
      await worker.close();
    }
  }, 120_000);

  it("refuses what it cannot do, clearly", async () => {
    await expect(scanOnQueue("fixtures/demo", { queue: "http://localhost" })).rejects.toThrow(/expected a Redis URL/);
    const both = await cli(["scan", "fixtures/demo", "--queue", redis.url, "--events", "-"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--queue and --events - cannot be used together");
    const shardsAlone = await cli(["scan", "fixtures/demo", "--shards", "2"]);
    expect(shardsAlone.stderr).toContain("--shards: needs --queue");
  });
});
