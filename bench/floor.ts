// The parse floor: read every events file of a dataset line by line and JSON.parse each line.
// Run as a child of bench/run.ts; prints one JSON line with its timing and peak RSS.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readFileLines } from "../src/io/lines.js";

const dir = process.argv[2] as string;
const files = readdirSync(join(dir, "events")).sort().map((f) => join(dir, "events", f));
const started = performance.now();
let events = 0;
for (const file of files) {
  for await (const line of readFileLines(file, 1 << 20)) {
    if ("text" in line && line.text !== "") {
      JSON.parse(line.text);
      events++;
    }
  }
}
const seconds = (performance.now() - started) / 1000;
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
console.log(JSON.stringify({ events, seconds, peakRssMb: Number(hwm) / 1024 }));
