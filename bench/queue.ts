// Queue mode against one process: the same dataset scanned by `channel-conflict scan` and by
// `scan --queue` on 1, 2 and 4 worker processes (concurrency 1 each), on a redis-server started here;
// as many shards as workers unless --shards says otherwise.
//   npm run bench:queue -- --dataset bench/out/1000000-1 [--shards 8] [--workers 1,2,4]
import { spawn, type ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";
import { startRedis } from "../test/queue/redis.js";

const { values } = parseArgs({
  options: { dataset: { type: "string" }, shards: { type: "string" }, workers: { type: "string", default: "1,2,4" } },
});
if (!values.dataset) throw new Error("--dataset <folder> is required (e.g. bench/out/1000000-1)");
const dataset = values.dataset;
const fixedShards = values.shards === undefined ? undefined : Number(values.shards);
const workerCounts = (values.workers as string).split(",").map(Number);

function run(args: string[]): Promise<{ seconds: number; stdout: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["dist/cli.js", ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.once("exit", (code) => (code === 0 ? resolve({ seconds: (performance.now() - started) / 1000, stdout }) : reject(new Error(`exit ${code}`))));
  });
}

function worker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["dist/cli.js", "worker", "--queue", url], { stdio: ["ignore", "ignore", "pipe"] });
  return new Promise((resolve) => child.stderr?.on("data", (chunk: Buffer) => chunk.toString().includes("scanning shards") && resolve(child)));
}

const redis = await startRedis();
try {
  const plain = await run(["scan", dataset, "--format", "json"]);
  console.log(`one process: ${plain.seconds.toFixed(2)} s`);
  for (const count of workerCounts) {
    const shards = fixedShards ?? count;
    const workers = await Promise.all(Array.from({ length: count }, () => worker(redis.url)));
    const queued = await run(["scan", dataset, "--queue", redis.url, "--shards", String(shards), "--format", "json"]);
    console.log(`${count} worker(s), ${shards} shards: ${queued.seconds.toFixed(2)} s (${(queued.seconds / plain.seconds).toFixed(2)}× one process), identical: ${queued.stdout === plain.stdout}`);
    for (const w of workers) w.kill("SIGTERM");
  }
} finally {
  await redis.stop();
}
