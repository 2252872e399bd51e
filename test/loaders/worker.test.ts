import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { collectEvents, loadDataset, openDataset } from "../../src/dataset/loadDataset.js";
import type { ReadLimits } from "../../src/io/readRecords.js";
import { loaderFixture, ndjson, removeDatasets, writeDataset } from "./helpers.js";

afterAll(removeDatasets);

// A folder's events are read in a worker thread (with its own NDJSON path), from sources as from the
// built package: the sources' worker is compiled from them, no build needed. `eventBatches({ worker: false })`
// reads them in this thread instead. Both must give the same events, rejections and counts.
async function loadInThread(folder: string, limits?: ReadLimits) {
  const opened = await openDataset(folder, limits);
  const events = await collectEvents({ ...opened, eventBatches: () => opened.eventBatches({ worker: false }) });
  return { events, rejected: opened.rejected, counts: opened.counts };
}

/** What `body` does, with the records read by each worker thread it starts (per batch message). */
async function watchingWorkers<T>(body: () => Promise<T>): Promise<{ result: T; readByWorkers: number[][] }> {
  const readByWorkers: number[][] = [];
  const watch = (worker: Worker) => {
    const read: number[] = [];
    readByWorkers.push(read);
    worker.on("message", (message: { type?: string; read?: number }) => {
      if (message?.type === "batch") read.push(message.read ?? 0);
    });
  };
  process.on("worker", watch);
  try {
    return { result: await body(), readByWorkers };
  } finally {
    process.off("worker", watch);
  }
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

async function expectSameAsWorker(folder: string, limits?: ReadLimits) {
  const inThread = await loadInThread(folder, limits);
  const inWorker = await loadDataset(folder, limits);
  expect(inWorker.events).toEqual(inThread.events);
  expect(inWorker.rejected).toEqual(inThread.rejected);
  expect(inWorker.counts).toEqual(inThread.counts);
  return inWorker;
}

describe("the reader the sources take", () => {
  it("loadDataset(folder) reads the events in a worker thread, which reads every record; worker: false reads none there", async () => {
    const folder = await writeDataset({
      "partners.json": JSON.stringify([{ id: "P1", channel: "reseller" }]),
      "events/a.ndjson": ndjson(...Array.from({ length: 5 }, (_, i) => ({ id: `A${i}`, type: "allocation", occurredAt: "2025-03-01T10:00:00Z", partnerId: "P1", sku: "S", lot: "L", quantity: 1 }))),
      "events/b.csv": "id,type,occurredAt,partnerId,sku,lot,quantity\nB1,allocation,2025-03-01T11:00:00Z,P1,S,L,1\nB2,allocation,2025-03-01T11:00:00Z,P-404,S,L,1\n",
    });
    const { result: dataset, readByWorkers } = await watchingWorkers(() => loadDataset(folder));
    expect(dataset.counts.events).toEqual({ read: 7, accepted: 6, rejected: 1 });
    // Other threads may start (esbuild compiling the worker): exactly one read the records, all of them.
    const readers = readByWorkers.filter((read) => read.length > 0);
    expect(readers).toHaveLength(1);
    expect(sum(readers[0] as number[])).toBe(7);

    const inThread = await watchingWorkers(() => loadInThread(folder));
    expect(inThread.result.counts.events).toEqual(dataset.counts.events);
    expect(inThread.readByWorkers.flat()).toEqual([]);
  });
});

describe("events read by the worker thread", () => {
  it.each(["collection-folder", "formats-csv", "formats-json", "formats-jsonl", "formats-ndjson", "rejections"])(
    "fixtures/loader/%s: the same as read in this thread",
    async (name) => {
      await expectSameAsWorker(loaderFixture(name));
    },
  );

  it("NDJSON with blank, broken, too long, CRLF and BOM lines, duplicates and unknown references: the same, line numbers included", async () => {
    const sale = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      type: "sale",
      occurredAt: "2025-03-01T10:00:00Z",
      partnerId: "P1",
      sku: "SKU-1",
      quantity: 1,
      unitPrice: 10.5,
      currency: "CNY",
      ...extra,
    });
    const lines = [
      "\uFEFF" + JSON.stringify(sale("E1")),
      "",
      "   ",
      "{ not json",
      JSON.stringify(sale("E2", { note: "x".repeat(600) })),
      JSON.stringify(sale("E1")),
      JSON.stringify(sale("E3", { partnerId: "P-404" })),
      JSON.stringify(sale("E4", { sku: "SKU-404" })),
      JSON.stringify(sale("E5", { occurredAt: "2025-02-30T10:00:00Z" })),
      JSON.stringify(sale("E6", { occurredAt: "2025-03-01T24:00:00Z" })),
      ` ${JSON.stringify(sale("E7", { quantity: 2.5e0, unitPrice: 1e2 }))}\r`,
      "[1, 2]",
      "null",
      JSON.stringify(sale("E8", { shipTo: { region: "CN-GD" } })),
    ];
    const folder = await writeDataset({
      "partners.json": JSON.stringify([{ id: "P1", channel: "reseller" }]),
      "products.json": JSON.stringify([{ sku: "SKU-1" }]),
      // E3 again, now with a known partner: the first E3 was rejected, so its id does not count as seen.
      "events.ndjson": lines.join("\n") + "\n" + ndjson(sale("E9"), sale("E3")),
    });
    const dataset = await expectSameAsWorker(folder, { maxRecordBytes: 512, maxJsonFileBytes: 1 << 20 });
    expect(dataset.events.map((e) => e.id)).toEqual(["E1", "E6", "E7", "E8", "E9", "E3"]);
    expect(dataset.rejected.map((r) => r.line)).toEqual([4, 5, 6, 7, 8, 9, 12, 13]);
  });

  it("a JSON array and a CSV file: rejections from the schema and from the reference data stay in file order", async () => {
    const sale = (id: string, partnerId = "P1") => ({ id, type: "sale", occurredAt: "2025-03-01T10:00:00Z", partnerId, sku: "SKU-1", quantity: 1, unitPrice: 3, currency: "CNY" });
    const folder = await writeDataset({
      "partners.json": JSON.stringify([{ id: "P1", channel: "reseller" }]),
      "events/a.json": JSON.stringify([sale("A1"), sale("A2", "P-404"), { ...sale("A3"), quantity: -1 }, sale("A1"), sale("A4")]),
      "events/b.csv": "id,type,occurredAt,partnerId,sku,quantity,unitPrice,currency\nA4,sale,2025-03-01T11:00:00Z,P1,SKU-1,1,3,CNY\nB1,sale,2025-03-01T11:00:00Z,P-404,SKU-1,1,3,CNY\nB2,sale,2025-03-01T11:00:00Z,P1,SKU-1,x,3,CNY\nB3,sale,2025-03-01T12:00:00Z,P1,SKU-1,2,3,CNY\n",
    });
    const dataset = await expectSameAsWorker(folder);
    expect(dataset.events.map((e) => e.id)).toEqual(["A1", "A4", "B3"]);
    expect(dataset.rejected.map((r) => [r.file, r.index ?? r.line])).toEqual([
      ["events/a.json", 1],
      ["events/a.json", 2],
      ["events/a.json", 3],
      ["events/b.csv", 2],
      ["events/b.csv", 3],
      ["events/b.csv", 4],
    ]);
  });

  it("duplicate ids across files, with first events rejected, repeats accepted and repeated again: the same as in this thread", async () => {
    // Ids from a small pool, so they repeat; partners, skus and quantities sometimes wrong, so some first
    // events are rejected and a later repeat is the one accepted (the reader thread only tells which ids repeat).
    const event = fc.record({
      id: fc.constantFrom("E1", "E2", "E3", "E4"),
      partnerId: fc.constantFrom("P1", "P1", "P-404"),
      sku: fc.constantFrom("SKU-1", "SKU-1", "SKU-404"),
      quantity: fc.constantFrom(1, 2, -1),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(event, { maxLength: 8 }), { minLength: 1, maxLength: 3 }), async (files) => {
        const collections: Record<string, string> = {
          "partners.json": JSON.stringify([{ id: "P1", channel: "reseller" }]),
          "products.json": JSON.stringify([{ sku: "SKU-1" }]),
        };
        files.forEach((events, f) => {
          const records = events.map((e) => ({ ...e, type: "sale", occurredAt: "2025-03-01T10:00:00Z", unitPrice: 3, currency: "CNY" }));
          collections[`events/part-${f}.ndjson`] = records.length > 0 ? ndjson(...records) : "";
        });
        await expectSameAsWorker(await writeDataset(collections));
      }),
      { numRuns: 25 },
    );
  });
});

describe("the worker thread's lifetime", () => {
  // Each script must end by itself: a worker left running would keep the process alive until the timeout.
  // The script runs the sources (through tsx), whose worker is compiled from them.
  const sources = JSON.stringify(new URL("../../src/index.ts", import.meta.url).href);
  const expectOk = (result: ReturnType<typeof spawnSync>) => {
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("ok\n");
    expect(result.status).toBe(0);
  };
  const endsByItself = (body: string) => {
    const script = join(mkdtempSync(join(tmpdir(), "cc-worker-")), "script.mjs");
    writeFileSync(script, `const { openDataset, loadDataset, scan } = await import(${sources});\n${body}\nconsole.log("ok");\n`);
    expectOk(spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), script], { encoding: "utf8", timeout: 20_000 }));
  };

  it("starts no worker for event batches never taken, and stops it when taking stops early", () => {
    const demo = JSON.stringify(loaderFixture("formats-ndjson"));
    endsByItself(`const opened = await openDataset(${demo}); opened.eventBatches();`);
    endsByItself(`const opened = await openDataset(${demo}); await opened.eventBatches()[Symbol.asyncIterator]().return();`);
    endsByItself(`const opened = await openDataset(${demo}); for await (const batch of opened.eventBatches()) break;`);
    endsByItself(`await loadDataset(${demo}); await scan(${demo});`);
  });

  it("starts under node --input-type=module -e, an option the worker inherits", () => {
    const demo = JSON.stringify(loaderFixture("formats-ndjson"));
    const code = `const { loadDataset } = await import(${sources}); const dataset = await loadDataset(${demo}); if (dataset.counts.events.read > 0) console.log("ok");`;
    expectOk(spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), "--input-type=module", "-e", code], { encoding: "utf8", timeout: 20_000 }));
  });
});
