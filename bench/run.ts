// `npm run bench [-- --events 1000000 --seed 1 --stream | --stdin]`: times, in one run, the plain NDJSON parse of a
// generated dataset's events (the floor) and the full scan of the same dataset with the shipped rules, each
// in its own process, and prints events/s, the ratio to the floor and peak RSS. `--shape multi` (monthly
// NDJSON parts + a POS CSV + a late file) or `--shape unordered [--parts N]` (shuffled dumps) times the
// same events in that layout (bench/layouts.ts, written beside the dataset once), against its own floor.
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { benchDataset } from "./benchDataset.js";
import { writeLayout } from "./layouts.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    seed: { type: "string", default: "1" },
    stream: { type: "boolean", default: false },
    stdin: { type: "boolean", default: false },
    runs: { type: "string", default: "1" },
    shape: { type: "string" },
    parts: { type: "string", default: "4" },
  },
});
const count = Number(values.events);
const ordered = benchDataset(count, String(values.seed));
const dir = values.shape === undefined ? ordered : await writeLayout(ordered, values.shape as "multi" | "unordered", Number(values.parts));

function child(script: string, args: string[]) {
  const out = execFileSync(process.execPath, ["--max-old-space-size=4096", "--import", "tsx", script, dir, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").pop() as string) as { events: number; seconds: number; peakRssMb: number; findings?: number };
}

const runs = Number(values.runs);
const best = <T extends { seconds: number }>(results: T[]) => results.reduce((a, b) => (b.seconds < a.seconds ? b : a));
// Floor and scan runs alternate, so a machine whose speed drifts (shared hosts do, by ±30% within
// minutes) slows both alike; each run's own ratio is printed too.
const floors: ReturnType<typeof child>[] = [];
const fulls: ReturnType<typeof child>[] = [];
for (let run = 0; run < runs; run++) {
  floors.push(child("bench/floor.ts", []));
  fulls.push(child("bench/scan.ts", values.stdin ? ["--stdin"] : values.stream ? ["--stream"] : []));
}
const floor = best(floors);
const full = best(fulls);
const rate = (r: { events: number; seconds: number }) => Math.round(r.events / r.seconds).toLocaleString("en-US");
const rows = [
  ["what", "events", "seconds", "events/s", "ratio", "peak RSS MB"],
  ["NDJSON read + JSON.parse (floor)", floor.events, floor.seconds.toFixed(2), rate(floor), "1.00", floor.peakRssMb.toFixed(0)],
  [
    values.stdin
      ? `scan --events - (stdin) --format ndjson (${full.findings} updates)`
      : `${values.stream ? "scanStream" : "scan"} with the shipped rules (${full.findings} findings)`,
    full.events,
    full.seconds.toFixed(2),
    rate(full),
    (full.seconds / floor.seconds).toFixed(2),
    full.peakRssMb.toFixed(0),
  ],
];
console.log(`node ${process.version}, ${count} events, seed ${values.seed}${values.shape ? `, ${dir}` : ""}, best of ${runs}`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
const pairs = fulls.map((r, i) => (r.seconds / (floors[i] as { seconds: number }).seconds).toFixed(2));
console.log(`ratio of each run (scan / the floor just before it): ${pairs.join(", ")}`);
