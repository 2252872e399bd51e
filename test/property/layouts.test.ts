import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { scan } from "../../src/index.js";
import { parseIsoTime } from "../../src/core/time.js";
import { readRawCollections } from "../helpers.js";
import { DEMO_FIXTURE } from "../loaders/helpers.js";
import { planDataset, writeDataset } from "../../bench/generate.js";
import { writeLayout } from "../../bench/layouts.js";

// The batch scan merges event files by time as it reads them, and sorts those that are not in time order
// (in bounded memory, through a temporary folder): whatever the layout of the same events — one file or
// several, in order or shuffled, NDJSON or CSV, a late file — the findings are byte-identical to those of
// one NDJSON file in time order.

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "channel-conflict-layout-"));
  made.push(dir);
  return dir;
}

/** A dataset folder with the demo's reference files and `events` laid out as `files` (name → text). */
function datasetWith(files: Record<string, string>): string {
  const dir = folder();
  for (const entry of readdirSync(DEMO_FIXTURE)) {
    if (statSync(join(DEMO_FIXTURE, entry)).isFile() && entry !== "expected.json" && entry !== "README.md") copyFileSync(join(DEMO_FIXTURE, entry), join(dir, entry));
  }
  mkdirSync(join(dir, "events"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "events", name), text);
  return dir;
}

const CSV_COLUMNS = ["id", "type", "occurredAt", "partnerId", "sku", "customerId", "quantity", "unitPrice", "currency", "shipTo.region", "shipTo.country", "shipTo.postalCode", "lot", "promotionId", "price", "url"];

function csvOf(events: readonly Record<string, unknown>[]): string {
  const rows = events.map((event) =>
    CSV_COLUMNS.map((column) => {
      const value = column.startsWith("shipTo.") ? (event.shipTo as Record<string, unknown> | undefined)?.[column.slice(7)] : event[column];
      return value === undefined ? "" : String(value);
    }).join(","),
  );
  return `${CSV_COLUMNS.join(",")}\n${rows.join("\n")}\n`;
}

const ndjsonOf = (events: readonly Record<string, unknown>[]) => events.map((event) => `${JSON.stringify(event)}\n`).join("");
const timeOf = (event: Record<string, unknown>) => parseIsoTime(String(event.occurredAt)) ?? 0;
const findingsOf = async (dir: string, options = {}) => {
  const report = await scan(dir, options);
  return JSON.stringify({ findings: report.findings, events: report.summary.events, rejected: report.summary.rejected });
};

describe("findings do not depend on the layout of the event files", async () => {
  const { events } = (await readRawCollections(DEMO_FIXTURE)) as { events: Record<string, unknown>[] };
  const ordered = events.map((event, i) => ({ event, i })).sort((a, b) => timeOf(a.event) - timeOf(b.event) || a.i - b.i).map((x) => x.event);
  const baseline = await findingsOf(datasetWith({ "all.ndjson": ndjsonOf(ordered) }));

  it("the demo's own layout (a CSV part and NDJSON parts) matches one ordered file", async () => {
    expect(JSON.parse(baseline).findings.length).toBeGreaterThan(5);
    expect(await findingsOf(DEMO_FIXTURE)).toBe(baseline);
  });

  it("events split into files at random, each in time order or shuffled, NDJSON or CSV, give the same findings", async () => {
    const layout = fc.record({
      files: fc.integer({ min: 1, max: 5 }),
      // Per event: its file, and its place when its file is shuffled.
      home: fc.array(fc.nat(), { minLength: events.length, maxLength: events.length }),
      keys: fc.array(fc.double({ noNaN: true }), { minLength: events.length, maxLength: events.length }),
      shuffledFiles: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      csvFiles: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      // A late file: the last file, holding events of any time, named after the others.
      late: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(layout, async ({ files, home, keys, shuffledFiles, csvFiles, late }) => {
        const parts: { event: Record<string, unknown>; key: number }[][] = Array.from({ length: files }, () => []);
        ordered.forEach((event, i) => {
          // Without a late file the parts follow each other in time; with one, the last part takes events at random.
          const part = late && files > 1 && (home[i] as number) % 4 === 0 ? files - 1 : late && files > 1 ? Math.floor((i * (files - 1)) / ordered.length) : (home[i] as number) % files;
          parts[part]?.push({ event, key: keys[i] as number });
        });
        const texts: Record<string, string> = {};
        parts.forEach((part, p) => {
          const list = shuffledFiles[p] ? [...part].sort((a, b) => a.key - b.key) : part;
          const records = list.map((x) => x.event);
          const name = `part-${p}${csvFiles[p] ? ".csv" : ".ndjson"}`;
          if (records.length > 0) texts[name] = csvFiles[p] ? csvOf(records) : ndjsonOf(records);
        });
        expect(await findingsOf(datasetWith(texts))).toBe(baseline);
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});

describe("a large generated dataset in other layouts", () => {
  it("gives the findings of its ordered parts as monthly parts + a POS CSV + a late file, and as shuffled dumps sorted through runs on disk", async () => {
    const dir = join(folder(), "data");
    await writeDataset(dir, planDataset({ events: 120_000, seed: 5, conflicts: true }));
    const expected = await findingsOf(dir);
    expect(JSON.parse(expected).findings.length).toBeGreaterThan(10);
    const multi = await writeLayout(dir, "multi");
    made.push(multi);
    expect(readdirSync(join(multi, "events"))).toContain("pos.csv");
    expect(await findingsOf(multi)).toBe(expected);
    const unordered = await writeLayout(dir, "unordered", 3);
    made.push(unordered);
    // 16 MB: runs of ~8 MB, so each shuffled dump spills several.
    expect(await findingsOf(unordered, { maxMemoryMB: 16 })).toBe(expected);
  }, 180_000);
});
