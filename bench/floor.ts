// The parse floor: read every events file of a dataset line by line and JSON.parse each line (a CSV
// file's lines are split at each comma instead, its header line included).
// Run as a child of bench/run.ts; prints one JSON line with its timing and peak RSS.
import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";


const dir = process.argv[2] as string;
const files = readdirSync(join(dir, "events")).sort().map((f) => join(dir, "events", f));
const started = performance.now();
let events = 0;
// The plainest fast reader: 64 KiB chunks, split on newlines, JSON.parse each non-blank line.
for (const file of files) {
  const parse = file.endsWith(".csv") ? (line: string) => line.split(",") : (line: string) => JSON.parse(line);
  let rest = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 16 })) {
    const text = rest + chunk;
    let start = 0;
    let end = text.indexOf("\n", start);
    while (end !== -1) {
      if (end > start) {
        parse(text.slice(start, end));
        events++;
      }
      start = end + 1;
      end = text.indexOf("\n", start);
    }
    rest = text.slice(start);
  }
  if (rest.trim() !== "") {
    parse(rest);
    events++;
  }
}
const seconds = (performance.now() - started) / 1000;
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
console.log(JSON.stringify({ events, seconds, peakRssMb: Number(hwm) / 1024 }));
