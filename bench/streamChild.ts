// Child of bench/stream.ts. `feed <dir> <batch> <checkpoints> <out>`: reads the dataset's events (NDJSON,
// in time order), parses each line and pushes them to createStreamScanner in batches, as an ETL consumer
// would; takes `checkpoints` checkpoints evenly spread, timing each and writing the middle one to <out>.
// `restore <dir> <file>`: creates a scanner from that checkpoint. Each prints one JSON line.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createStreamScanner } from "../dist/index.js";
import { readFileLines } from "../src/io/lines.js";

const [mode, dir, ...rest] = process.argv.slice(2) as [string, string, ...string[]];
const peakRssMb = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1]) / 1024;

if (mode === "restore") {
  const bytes = new Uint8Array(readFileSync(rest[0] as string));
  const started = performance.now();
  await createStreamScanner({ reference: dir });
  const fresh = performance.now() - started;
  const again = performance.now();
  await createStreamScanner({ reference: dir, checkpoint: bytes });
  const restored = performance.now() - again;
  console.log(JSON.stringify({ bytes: bytes.length, freshMs: fresh, restoreMs: restored, peakRssMb: peakRssMb() }));
} else {
  const batchSize = Number(rest[0]);
  const checkpoints = Number(rest[1]);
  const out = rest[2] as string;
  const files = readdirSync(join(dir, "events")).sort().map((f) => join(dir, "events", f));
  // The dataset's event count (the parent knows it), for spreading the checkpoints.
  const total = Number(rest[3]);
  const every = Math.floor(total / (checkpoints + 1));
  const started = performance.now();
  const scanner = await createStreamScanner({ reference: dir });
  let batch: unknown[] = [];
  let events = 0;
  let updates = 0;
  let nextCheckpoint = every;
  const taken: { atEvent: number; bytes: number; ms: number }[] = [];
  for (const file of files) {
    for await (const line of readFileLines(file, 1 << 20)) {
      if (!("text" in line) || !line.text) continue;
      batch.push(JSON.parse(line.text));
      events++;
      if (batch.length === batchSize) {
        updates += (await scanner.push(batch as never)).length;
        batch = [];
        if (events >= nextCheckpoint && taken.length < checkpoints) {
          const t = performance.now();
          const bytes = scanner.checkpoint();
          taken.push({ atEvent: events, bytes: bytes.length, ms: performance.now() - t });
          if (taken.length === Math.ceil(checkpoints / 2)) writeFileSync(out, bytes);
          nextCheckpoint += every;
        }
      }
    }
  }
  if (batch.length > 0) updates += (await scanner.push(batch as never)).length;
  updates += (await scanner.finish()).length;
  const summary = scanner.summary();
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ events, seconds, findings: summary.findings, rejected: summary.rejected, updates, checkpoints: taken, peakRssMb: peakRssMb() }));
}
