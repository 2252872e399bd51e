import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/index.js";
import { DatasetError } from "../../src/core/errors.js";
import { planDataset, writeDataset } from "../../bench/generate.js";
import { writeLayout } from "../../bench/layouts.js";

// An event file not in time order is sorted through runs written to a temporary folder (TMPDIR); the folder
// is gone after success, after an error mid-sort and after the process is stopped by a signal mid-sort.

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const fresh = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
const sortFolders = (tmp: string) => readdirSync(tmp).filter((entry) => entry.startsWith("channel-conflict-sort-"));

/** Runs `body` with TMPDIR set to `tmp` (os.tmpdir() reads it on each call). */
async function withTmpdir<T>(tmp: string, body: () => Promise<T>): Promise<T> {
  const before = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
}

/** Scans `dataset` with a 16 MB sort budget and TMPDIR `tmp`, noting the run files seen in its sort folder meanwhile. */
async function scanWatchingRuns(tmp: string, dataset: string) {
  const seen = new Set<string>();
  // Watch the folder while it exists: runs are written, then everything goes.
  const timer = setInterval(() => {
    for (const folder of sortFolders(tmp)) for (const run of readdirSync(join(tmp, folder))) seen.add(run);
  }, 5);
  try {
    return { report: await withTmpdir(tmp, () => scan(dataset, { maxMemoryMB: 16 })), seen };
  } finally {
    clearInterval(timer);
  }
}

let ordered: string;
let shuffled: string;
/** The same events as three unordered dumps of ~8 MB: past the 8 MiB from which a sort helper thread shares the sort. */
let parts: string;
beforeAll(async () => {
  ordered = join(fresh("channel-conflict-sort-test-"), "data");
  await writeDataset(ordered, planDataset({ events: 100_000, seed: 3, conflicts: true }));
  shuffled = await writeLayout(ordered, "unordered", 1);
  made.push(shuffled);
  parts = await writeLayout(ordered, "unordered", 3);
  made.push(parts);
}, 120_000);

describe("sorting event files through a temporary folder", () => {
  it("leaves no folder after a scan that spilled runs, and finds what the ordered files give", async () => {
    const tmp = fresh("channel-conflict-tmp-");
    const { report, seen } = await scanWatchingRuns(tmp, shuffled);
    const expected = await scan(ordered);
    expect(report.findings).toEqual(expected.findings);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(sortFolders(tmp)).toEqual([]);
  }, 120_000);

  it("leaves no folder after an error in a file read after runs were written", async () => {
    const tmp = fresh("channel-conflict-tmp-");
    const broken = join(fresh("channel-conflict-broken-"), "data");
    mkdirSync(join(broken, "events"), { recursive: true });
    for (const entry of readdirSync(shuffled)) if (statSync(join(shuffled, entry)).isFile()) copyFileSync(join(shuffled, entry), join(broken, entry));
    copyFileSync(join(shuffled, "events", "dump-001.ndjson"), join(broken, "events", "a.ndjson"));
    // Read after a.ndjson was sorted into runs: a CSV whose header names a column twice fails the scan.
    writeFileSync(join(broken, "events", "b.csv"), "id,type,id\nx,order,y\n");
    const failure = await withTmpdir(tmp, () => scan(broken, { maxMemoryMB: 16 })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatasetError);
    expect(String((failure as Error).message)).toMatch(/b\.csv:1: the header names column "id" twice/);
    expect(sortFolders(tmp)).toEqual([]);
  }, 120_000);

  for (const [signal, layout] of [["SIGTERM", "one file"], ["SIGINT", "one file"], ["SIGTERM", "three files, a sort helper"]] as const) {
    it(`leaves no folder when the scan is stopped by ${signal} while it sorts (${layout})`, async () => {
      const data = layout === "one file" ? shuffled : parts;
      const tmp = fresh("channel-conflict-tmp-");
      const cli = join(process.cwd(), "dist", "cli.js");
      expect(existsSync(cli)).toBe(true);
      const child = spawn(process.execPath, [cli, "scan", data, "--max-memory", "16", "--format", "json"], {
        env: { ...process.env, TMPDIR: tmp },
        stdio: ["ignore", "ignore", "pipe"],
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, sig) => resolve({ code, signal: sig })));
      // Wait for the first run on disk: the scan is sorting.
      const started = Date.now();
      let spilled = false;
      while (!spilled && Date.now() - started < 60_000) {
        spilled = sortFolders(tmp).some((folder) => readdirSync(join(tmp, folder)).length > 0);
        if (!spilled) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(spilled).toBe(true);
      child.kill(signal);
      const exit = await exited;
      expect(exit.signal).toBe(signal);
      expect(sortFolders(tmp)).toEqual([]);
    }, 120_000);
  }

  it("shares files to sort with a sort helper thread: the same report as one thread sorting them, its rejections and duplicates included", async () => {
    const dir = join(fresh("channel-conflict-helper-"), "data");
    mkdirSync(join(dir, "events"), { recursive: true });
    for (const entry of readdirSync(parts)) if (statSync(join(parts, entry)).isFile()) copyFileSync(join(parts, entry), join(dir, entry));
    const names = readdirSync(join(parts, "events")).sort();
    expect(names.length).toBe(3);
    const texts = names.map((name) => readFileSync(join(parts, "events", name), "utf8"));
    const repeated = texts[0]!.split("\n")[5]!;
    // A line that is not JSON in each (whichever side sorts it), a repeated id and an invalid event in the last.
    for (let i = 0; i < texts.length; i++) texts[i] = `${texts[i]!.trimEnd()}\n{"type":"order","id":\n`;
    texts[2] = `${texts[2]!}${repeated}\n{"type":"sale"}\n`;
    names.forEach((name, i) => writeFileSync(join(dir, "events", name), texts[i]!));
    // The same events in one file, sorted by this thread alone (under 8 MiB nothing is shared, so it is one file of all).
    const single = join(fresh("channel-conflict-single-"), "data");
    mkdirSync(join(single, "events"), { recursive: true });
    for (const entry of readdirSync(parts)) if (statSync(join(parts, entry)).isFile()) copyFileSync(join(parts, entry), join(single, entry));
    writeFileSync(join(single, "events", "all.ndjson"), texts.join(""));

    const tmp = fresh("channel-conflict-tmp-");
    const { report, seen } = await scanWatchingRuns(tmp, dir);
    expect([...seen].some((run) => run.startsWith("helper-run-"))).toBe(true);
    expect([...seen].some((run) => run.startsWith("run-"))).toBe(true);
    expect(sortFolders(tmp)).toEqual([]);
    const alone = await scan(single, { maxMemoryMB: 16 });
    expect(report.findings).toEqual(alone.findings);
    expect(report.findings).toEqual((await scan(ordered)).findings);
    expect(report.summary.records).toEqual(alone.summary.records);
    expect(report.summary.events).toBe(alone.summary.events);
    // The three lines that are not JSON, the invalid event and the repeated id, each named in its file.
    expect(report.rejected.map((r) => r.code).sort()).toEqual(["duplicate_event", "invalid_fields", "not_json", "not_json", "not_json"]);
    expect(new Set(report.rejected.filter((r) => r.code === "not_json").map((r) => r.file)).size).toBe(3);
    expect(alone.rejected.map((r) => r.code).sort()).toEqual(report.rejected.map((r) => r.code).sort());
    expect(report.rejected.every((r) => names.some((name) => r.file.endsWith(name)))).toBe(true);
  }, 180_000);

  it("sorts a file that is in order in its first chunk and goes back in time later (the scan starts over, sorting it)", async () => {
    const dir = join(fresh("channel-conflict-late-"), "data");
    mkdirSync(join(dir, "events"), { recursive: true });
    for (const entry of readdirSync(ordered)) if (statSync(join(ordered, entry)).isFile()) copyFileSync(join(ordered, entry), join(dir, entry));
    const lines = readdirSync(join(ordered, "events"))
      .sort()
      .flatMap((file) => readFileSync(join(ordered, "events", file), "utf8").split("\n").filter(Boolean));
    // Every event once: the second file starts with 10,000 events of its last quarter, then goes back in time.
    const half = Math.floor(lines.length / 2);
    const threeQuarters = Math.floor((lines.length * 3) / 4);
    writeFileSync(join(dir, "events", "a.ndjson"), `${lines.slice(0, half).join("\n")}\n`);
    const second = [...lines.slice(threeQuarters, threeQuarters + 10_000), ...lines.slice(half, threeQuarters), ...lines.slice(threeQuarters + 10_000)];
    writeFileSync(join(dir, "events", "b.ndjson"), `${second.join("\n")}\n`);
    const expected = await scan(ordered);
    const report = await scan(dir);
    expect(report.findings).toEqual(expected.findings);
    expect(report.summary.events).toBe(expected.summary.events);
  }, 120_000);
});
