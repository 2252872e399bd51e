import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CheckpointError, createStreamScanner, loadRules, scan, type Rejection, type ScanReport, type StreamUpdate } from "../../src/index.js";
import { batchesOf, feed, generatedStream, lastUpdates, STREAM_EVENTS, STREAM_SEED, unranked, type GeneratedStream } from "./streamFixture.js";

let stream: GeneratedStream;
let batch: ScanReport;

beforeAll(async () => {
  stream = generatedStream();
  batch = await scan(stream.collections as never);
  // The generated conflicts of every kind are there: the comparisons below are not of empty lists.
  expect(batch.findings.length).toBeGreaterThan(30);
  expect(new Set(batch.findings.map((f) => f.kind)).size).toBe(4);
}, 120_000);

describe("createStreamScanner on a generated stream of ~110k events in batches of 500", () => {
  let updates: StreamUpdate[][];
  let batches: (typeof stream.events)[number][][];

  beforeAll(async () => {
    batches = batchesOf(stream.events);
    const rejected: Rejection[] = [];
    const scanner = await createStreamScanner({ reference: stream.reference, onRejected: (r) => rejected.push(r) });
    updates = await feed(scanner, batches);
    expect(rejected).toEqual([]);
    expect(scanner.summary().events).toBe(STREAM_EVENTS);
  }, 120_000);

  it("yields every finding first in the batch of its first occurrence or the next", () => {
    // The batches holding events of each instant: the first occurrence is one of the events at firstSeen.
    const batchesAt = new Map<number, { first: number; last: number }>();
    batches.forEach((events, b) => {
      for (const event of events) {
        const at = Date.parse(event.occurredAt);
        const range = batchesAt.get(at);
        if (range) range.last = b;
        else batchesAt.set(at, { first: b, last: b });
      }
    });
    const firstYield = new Map<string, number>();
    updates.forEach((list, b) => list.forEach((u) => firstYield.has(u.finding.id) || firstYield.set(u.finding.id, b)));
    let checked = 0;
    for (const finding of batch.findings) {
      const yielded = firstYield.get(finding.id);
      expect(yielded, finding.id).toBeDefined();
      if (finding.eventIds.length === 0) {
        // Reference data alone (overlapping territories, duplicate registrations): with the first batch.
        expect(yielded).toBe(0);
        continue;
      }
      const range = batchesAt.get(Date.parse(finding.firstSeen));
      expect(range, finding.id).toBeDefined();
      expect(yielded as number).toBeGreaterThanOrEqual((range as { first: number }).first);
      expect(yielded as number).toBeLessThanOrEqual((range as { last: number }).last + 1);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
    // A month-long finding is not held back until it closes: most open long before their last update.
    const opened = updates.flat().filter((u) => u.change === "open").length;
    expect(opened).toBeGreaterThan(batch.findings.length / 2);
  });

  it("closes every finding by finish(), and the last updates equal the batch scan (rank aside)", () => {
    const last = lastUpdates(updates);
    expect([...last.values()].every((u) => u.change === "close")).toBe(true);
    expect(unranked([...last.values()].map((u) => u.finding))).toEqual(unranked(batch.findings));
    // Each finding closes once.
    expect(updates.flat().filter((u) => u.change === "close")).toHaveLength(batch.findings.length);
  });

  it("keeps id and fingerprint throughout, and bounds the updates of each finding", () => {
    const byId = new Map<string, StreamUpdate[]>();
    for (const u of updates.flat()) byId.set(u.finding.id, [...(byId.get(u.finding.id) ?? []), u]);
    for (const [id, list] of byId) {
      expect(new Set(list.map((u) => u.finding.fingerprint)).size, id).toBe(1);
      // open, then changes only on a higher score band (10 bands) or a doubled count, then close.
      const count = (list.at(-1) as StreamUpdate).finding.count;
      expect(list.length, id).toBeLessThanOrEqual(2 + 10 + Math.ceil(Math.log2(count + 1)));
      const counts = list.map((u) => u.finding.count);
      expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    }
    expect(updates.flat().some((u) => u.change === "change")).toBe(true);
  });

  it("resumes in another process from a checkpoint taken half-way, yielding exactly the uninterrupted updates", async () => {
    const half = Math.floor(batches.length / 2);
    const scanner = await createStreamScanner({ reference: stream.reference });
    const before = await feed(scanner, batches.slice(0, half), false);
    const bytes = scanner.checkpoint();
    // What came before the cut is what the uninterrupted scanner yielded then.
    expect(before).toEqual(updates.slice(0, half));
    const dir = mkdtempSync(join(tmpdir(), "cc-checkpoint-"));
    const file = join(dir, "checkpoint.bin");
    writeFileSync(file, bytes);
    const out = execFileSync(process.execPath, ["--import", "tsx", "test/stream/resumeFromCheckpoint.mts", file, String(half), String(STREAM_EVENTS), String(STREAM_SEED)], {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    const resumed = JSON.parse(out) as { updates: StreamUpdate[][]; summary: { events: number; findings: number } };
    expect(resumed.updates).toEqual(JSON.parse(JSON.stringify(updates.slice(half))));
    expect(resumed.updates.flat().length).toBeGreaterThan(10);
    expect(resumed.summary.events).toBe(STREAM_EVENTS);
    expect(resumed.summary.findings).toBe(batch.findings.length);
  }, 120_000);
});

describe("allowedLateness", () => {
  it("puts events shuffled within each hour back in order with allowedLateness 2h: nothing rejected, the batch's findings", async () => {
    // Shuffle within each hour of event time (a fixed seed): events come up to an hour late.
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const hours = new Map<number, (typeof stream.events)[number][]>();
    for (const event of stream.events) {
      const hour = Math.floor(Date.parse(event.occurredAt) / 3_600_000);
      hours.set(hour, [...(hours.get(hour) ?? []), event]);
    }
    const shuffled = [...hours.keys()].sort((a, b) => a - b).flatMap((hour) => {
      const list = [...(hours.get(hour) ?? [])];
      for (let i = list.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [list[i], list[j]] = [list[j] as never, list[i] as never];
      }
      return list;
    });
    const outOfOrder = shuffled.filter((e, i) => i > 0 && Date.parse(e.occurredAt) < Date.parse((shuffled[i - 1] as typeof e).occurredAt)).length;
    expect(outOfOrder).toBeGreaterThan(10_000);
    const rejected: Rejection[] = [];
    const scanner = await createStreamScanner({ reference: stream.reference, allowedLateness: "2h", onRejected: (r) => rejected.push(r) });
    const updates = await feed(scanner, batchesOf(shuffled));
    expect(rejected).toEqual([]);
    expect(unranked([...lastUpdates(updates).values()].map((u) => u.finding))).toEqual(unranked(batch.findings));
  }, 120_000);

  it("rejects an event later than allowedLateness, naming its id, and keeps going", async () => {
    const rejected: Rejection[] = [];
    const [first, second] = stream.events.slice(-2) as [(typeof stream.events)[number], (typeof stream.events)[number]];
    const at = Date.parse(second.occurredAt);
    const late = (id: string, ms: number) => ({ ...first, id, occurredAt: new Date(at - ms).toISOString() });
    const scanner = await createStreamScanner({ reference: stream.reference, allowedLateness: "1h30m", onRejected: (r) => rejected.push(r) });
    await scanner.push([second, late("LATE-OK", 90 * 60_000), late("LATE-NO", 90 * 60_000 + 1)] as never);
    await scanner.finish();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ file: "stream", line: 3, eventId: "LATE-NO" });
    expect(rejected[0]?.reason).toMatch(/is more than allowedLateness \(1h30m\) earlier than the latest event read/);
    expect(scanner.summary()).toMatchObject({ events: 2, rejected: 1 });
  });

  it("without lateness, rejects an event earlier than the latest, naming its id", async () => {
    const rejected: Rejection[] = [];
    const [first, second] = stream.events.slice(-2) as [(typeof stream.events)[number], (typeof stream.events)[number]];
    const scanner = await createStreamScanner({ reference: stream.reference, onRejected: (r) => rejected.push(r) });
    await scanner.push([second, { ...first, id: "EARLY", occurredAt: new Date(Date.parse(second.occurredAt) - 1).toISOString() }] as never);
    expect(rejected.map((r) => [r.eventId, r.line])).toEqual([["EARLY", 2]]);
  });

  it("refuses a duration outside the grammar", async () => {
    await expect(createStreamScanner({ reference: stream.reference, allowedLateness: "2 hours" })).rejects.toThrow(/allowedLateness: expected milliseconds or a duration such as "2h"/);
  });
});

describe("checkpoints", () => {
  const small = async () => {
    const scanner = await createStreamScanner({ reference: stream.reference });
    await scanner.push(stream.events.slice(0, 2000) as never);
    return scanner.checkpoint();
  };

  it("refuses bytes of another version", async () => {
    const bytes = await small();
    const other = bytes.slice();
    new DataView(other.buffer).setUint32(4, 99, true);
    const error = await createStreamScanner({ reference: stream.reference, checkpoint: other }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error).toMatchObject({ code: "CHECKPOINT_VERSION", message: expect.stringMatching(/format version 99; expected version 1/) });
  });

  it("refuses bytes of another rule set, and bytes that are no checkpoint", async () => {
    const bytes = await small();
    const shipped = await loadRules();
    const fewer = { rules: shipped.rules.filter((rule) => rule.id !== "price.below-floor") };
    await expect(createStreamScanner({ reference: stream.reference, rules: fewer, checkpoint: bytes })).rejects.toMatchObject({
      code: "CHECKPOINT_MISMATCH",
      message: expect.stringMatching(/taken with another rule set/),
    });
    await expect(createStreamScanner({ reference: stream.reference, checkpoint: new TextEncoder().encode("hello world, not a checkpoint") })).rejects.toMatchObject({
      code: "CHECKPOINT_INVALID",
    });
  });

  it("refuses other reference data unless told to accept it", async () => {
    const bytes = await small();
    const partners = [...(stream.reference.partners ?? []), { id: "NEW-PARTNER", channel: "retail" }];
    const changed = { ...stream.reference, partners };
    await expect(createStreamScanner({ reference: changed as never, checkpoint: bytes })).rejects.toMatchObject({ code: "CHECKPOINT_MISMATCH", message: expect.stringMatching(/other reference data/) });
    await expect(createStreamScanner({ reference: changed as never, checkpoint: bytes, acceptReferenceChange: true })).resolves.toBeDefined();
  });

  it("keeps a lot allocated before the checkpoint: a sale of it after the restart is still traced", async () => {
    const reference = {
      regions: [{ code: "CN" }, { code: "CN-GD", parent: "CN" }, { code: "CN-ZJ", parent: "CN" }],
      partners: [{ id: "D1", channel: "distributor" }, { id: "R2", channel: "reseller" }],
      territories: [{ id: "T1", partnerId: "D1", region: "CN-GD", exclusive: true }],
      products: [{ sku: "S1" }],
    };
    const allocation = { id: "a1", type: "allocation", occurredAt: "2025-03-01T00:00:00Z", partnerId: "D1", sku: "S1", lot: "L-7", quantity: 5 };
    const sale = { id: "s1", type: "sale", occurredAt: "2025-03-02T00:00:00Z", partnerId: "R2", sku: "S1", lot: "L-7", quantity: 1, unitPrice: 10, currency: "CNY", shipTo: { region: "CN-ZJ" } };
    const first = await createStreamScanner({ reference: reference as never });
    await first.push([allocation] as never);
    const resumed = await createStreamScanner({ reference: reference as never, checkpoint: first.checkpoint() });
    const updates = [...(await resumed.push([sale] as never)), ...(await resumed.finish())];
    const diversion = updates.filter((u) => u.finding.ruleId.startsWith("cross-region.lot") || u.finding.facts.check === "lot-diversion");
    expect(diversion.map((u) => u.change)).toEqual(["close"]);
    expect(diversion[0]?.finding.eventIds).toEqual(["a1", "s1"]);
    expect(resumed.summary().skipped).toEqual({});
  });
});

describe("with the json-rules-engine evaluator", () => {
  it("push returns a promise, pushes made meanwhile wait their turn, and the findings are the compiled evaluator's", async () => {
    const events = stream.events.slice(0, 6000);
    const batches = batchesOf(events);
    const compiled = await createStreamScanner({ reference: stream.reference });
    const expected = lastUpdates(await feed(compiled, batches));
    const engine = await createStreamScanner({ reference: stream.reference, evaluator: "json-rules-engine" });
    const first = engine.push(batches[0] as never);
    expect(first).toBeInstanceOf(Promise);
    // Not awaited one by one: each waits for the one before.
    const all = await Promise.all([first, ...batches.slice(1).map((batch) => engine.push(batch as never))]);
    all.push(await engine.finish());
    expect(unranked([...lastUpdates(all).values()].map((u) => u.finding))).toEqual(unranked([...expected.values()].map((u) => u.finding)));
    expect(expected.size).toBeGreaterThan(0);
  }, 120_000);
});

describe("lifecycle of one finding", () => {
  it("opens at its first occurrence, changes when its count doubles, closes after groupGapDays of quiet", async () => {
    const reference = {
      partners: [{ id: "R1", channel: "reseller" }],
      products: [{ sku: "S1" }],
      pricePolicies: [{ id: "PP", sku: "S1", floorPrice: 100, currency: "USD" }],
    };
    const sale = (id: string, day: number, price = 90) => ({
      id, type: "sale", occurredAt: new Date(Date.UTC(2025, 0, 1 + day, 10)).toISOString(), partnerId: "R1", sku: "S1", quantity: 1, unitPrice: price, currency: "USD",
    });
    const scanner = await createStreamScanner({ reference: reference as never });
    const changes = async (events: unknown[]) => (await scanner.push(events as never)).map((u) => `${u.change}:${u.finding.count}:${u.finding.status}`);
    // The instant of the last event is held until a later one comes (another event of it may still).
    expect(await changes([sale("e1", 0)])).toEqual([]);
    expect(await changes([sale("e2", 1)])).toEqual(["open:1:open"]);
    expect(await changes([sale("e3", 2), sale("e4", 3)])).toEqual(["change:3:open"]); // e2, e3: 3 ≥ 2 × 1
    expect(await changes([sale("e5", 4)])).toEqual([]); // e4: 4, not doubled, no band crossed
    expect(await changes([sale("e6", 5, 150)])).toEqual([]); // e5: 5
    expect(await changes([sale("e7", 6)])).toEqual([]); // e6 is compliant
    expect(await changes([sale("e8", 7)])).toEqual(["change:6:open"]); // e7: 6 ≥ 2 × 3
    // 30 days of quiet after e8 (day 7): it closes, once, when the sweep reaches day 50.
    expect(await changes([sale("e9", 50, 150)])).toEqual([]);
    expect(await changes([sale("e10", 51, 150)])).toEqual(["close:7:closed"]);
    expect((await scanner.finish()).map((u) => u.change)).toEqual([]);
  });
});
