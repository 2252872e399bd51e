// `npm run bench:stream [-- --events 10000000 --seed 3 --batch 500 --checkpoints 3]`: pushes a generated
// dataset's events (bench/out/<events>-<seed>, generated when missing) through createStreamScanner in
// batches, as an ETL consumer does, in a child process with Node's default flags, and prints events/s,
// peak RSS, and the size and time of each checkpoint taken on the way; then, in another child, the time
// to create a scanner from the middle checkpoint against creating a fresh one. Needs the build (`npm run build`).
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchDataset } from "./benchDataset.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "10000000" },
    seed: { type: "string", default: "3" },
    batch: { type: "string", default: "500" },
    checkpoints: { type: "string", default: "3" },
  },
});
const count = Number(values.events);
const dir = benchDataset(count, String(values.seed));
const file = join(mkdtempSync(join(tmpdir(), "cc-bench-stream-")), "checkpoint.bin");
const child = (args: string[]) =>
  JSON.parse(
    (execFileSync(process.execPath, ["--import", "tsx", "bench/streamChild.ts", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 }).trim().split("\n").pop()) as string,
  );

const fed = child(["feed", dir, String(values.batch), String(values.checkpoints), file, String(count)]) as {
  events: number; seconds: number; findings: number; rejected: number; updates: number; peakRssMb: number;
  checkpoints: { atEvent: number; bytes: number; ms: number }[];
};
const restored = child(["restore", dir, file]) as { bytes: number; freshMs: number; restoreMs: number; peakRssMb: number };
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
console.log(`node ${process.version}, ${fed.events.toLocaleString("en-US")} events, seed ${values.seed}, batches of ${values.batch}`);
console.log("| what | events | seconds | events/s | peak RSS | findings | updates |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
console.log(
  `| createStreamScanner, push per batch | ${fed.events.toLocaleString("en-US")} | ${fed.seconds.toFixed(1)} | ${Math.round(fed.events / fed.seconds).toLocaleString("en-US")} | ${fed.peakRssMb.toFixed(0)} MB | ${fed.findings} | ${fed.updates} |`,
);
console.log("");
console.log("| checkpoint after | size | checkpoint() |");
console.log("|---:|---:|---:|");
for (const c of fed.checkpoints) console.log(`| ${c.atEvent.toLocaleString("en-US")} events | ${mb(c.bytes)} MB | ${c.ms.toFixed(0)} ms |`);
console.log("");
console.log(
  `restoring the middle one (${mb(restored.bytes)} MB): ${restored.restoreMs.toFixed(0)} ms, against ${restored.freshMs.toFixed(0)} ms for a fresh scanner (reference data loaded in both); peak RSS ${restored.peakRssMb.toFixed(0)} MB`,
);
