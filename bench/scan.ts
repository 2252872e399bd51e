// The full scan of a dataset folder with the shipped rules (or a stream of its events with --stream, or
// the command line's `scan <dir> --events - --format ndjson` fed the event files as its stdin with
// --stdin; `npm run bench -- --stdin`). Run as a child of bench/run.ts; prints one JSON line with its timing and peak RSS.
import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { scan, scanStream } from "../dist/index.js";
import { runCli } from "../src/cli/run.js";
import { readFileLines } from "../src/io/lines.js";

const dir = process.argv[2] as string;
const stream = process.argv.includes("--stream");
const started = performance.now();
let events = 0;
let findings = 0;
let ended: number | undefined;
if (process.argv.includes("--stdin")) {
  const files = readdirSync(join(dir, "events")).sort().map((f) => join(dir, "events", f));
  async function* stdin() {
    // As `cat events/* |` gives them: 64 KiB chunks, whatever the lines.
    for (const file of files) for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 })) yield chunk as Buffer;
  }
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const byte of chunk) if (byte === 10) findings++;
      done();
    },
  });
  const stderr = new Writable({ write: (_chunk, _encoding, done) => done() });
  const code = await runCli(["scan", dir, "--events", "-", "--format", "ndjson"], { stdin: stdin(), stdout, stderr });
  ended = performance.now();
  if (code !== 0) throw new Error(`scan --events - exited with ${code}`);
  // Counted after the timing. Updates (a finding as it opens, changes and closes), not findings: one line each.
  for (const file of files) for await (const line of readFileLines(file, 1 << 20)) if ("text" in line && line.text) events++;
} else if (stream) {
  const files = readdirSync(join(dir, "events")).sort().map((f) => join(dir, "events", f));
  async function* records() {
    // What an ETL job does: parse each line and hand plain objects to scanStream.
    for (const file of files) for await (const line of readFileLines(file, 1 << 20)) if ("text" in line && line.text) yield JSON.parse(line.text);
  }
  const reference = dir;
  const generator = scanStream(records(), { reference });
  let next = await generator.next();
  while (!next.done) next = await generator.next();
  // A finding is yielded as it opens, changes and closes: the summary counts each once.
  findings = next.value.findings;
  events = next.value.events + next.value.rejected;
} else {
  const report = await scan(dir);
  events = report.summary.events + report.summary.rejected;
  findings = report.findings.length;
}
const seconds = ((ended ?? performance.now()) - started) / 1000;
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
console.log(JSON.stringify({ events, findings, seconds, peakRssMb: Number(hwm) / 1024 }));
