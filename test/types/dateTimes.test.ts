import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { parseIsoTime } from "../../src/core/time.js";
import { FastEventReader } from "../../src/fast/FastEventReader.js";
import { formatJson } from "../../src/report/formatJson.js";
import { eventSchema, territorySchema } from "../../src/schema/dataset.js";
import { loadDataset, scan, scanStream, type ChannelEventInput, type CollectionsInput, type Finding } from "../../src/index.js";
import { readRawCollections } from "../helpers.js";

/** The time fields of each collection that has any (CONTRACT §2). */
const TIME_FIELDS: Partial<Record<keyof CollectionsInput, readonly string[]>> = {
  territories: ["validFrom", "validTo"],
  pricePolicies: ["validFrom", "validTo"],
  promotions: ["validFrom", "validTo"],
  registrations: ["registeredAt", "expiresAt"],
  events: ["occurredAt"],
};

/**
 * The collections with every ISO time replaced by the `Date` of the same instant, as a database driver
 * returns them, and how many times were replaced in each collection. The instant is the library's own
 * reading of the text (`new Date(text)` would read a time without offset in the machine's zone).
 */
function withDates(collections: Record<string, unknown[]>): { dated: Record<string, unknown[]>; replaced: Record<string, number> } {
  const dated: Record<string, unknown[]> = {};
  const replaced: Record<string, number> = {};
  for (const [name, records] of Object.entries(collections)) {
    const fields = TIME_FIELDS[name as keyof CollectionsInput] ?? [];
    replaced[name] = 0;
    dated[name] = records.map((record) => {
      const copy = { ...(record as Record<string, unknown>) };
      for (const field of fields) {
        const text = copy[field];
        if (typeof text !== "string") continue;
        const ms = parseIsoTime(text);
        if (ms === undefined) throw new Error(`${name}.${field}: not a time: ${text}`);
        copy[field] = new Date(ms);
        replaced[name] = (replaced[name] ?? 0) + 1;
      }
      return copy;
    });
  }
  return { dated, replaced };
}

const byTime = (a: unknown, b: unknown) => {
  const at = (e: unknown) => {
    const value = (e as { occurredAt: string | Date }).occurredAt;
    return typeof value === "string" ? (parseIsoTime(value) as number) : value.getTime();
  };
  return at(a) - at(b);
};

async function drain(stream: AsyncGenerator<Finding, unknown>): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const finding of stream) out.push(finding);
  return out;
}

describe("Date objects where times are expected", () => {
  it("in-memory collections with Date times give exactly the findings of the same data with ISO strings (fixtures/demo)", async () => {
    const strings = await readRawCollections("fixtures/demo");
    const { dated, replaced } = withDates(strings);
    // Every collection with times had some replaced: events, territories' validFrom, registrations, promotions, policies.
    expect(replaced).toMatchObject({ events: 76 });
    for (const name of ["territories", "registrations", "promotions", "pricePolicies"]) expect(replaced[name], name).toBeGreaterThan(0);
    expect(dated.events?.every((e) => (e as { occurredAt: unknown }).occurredAt instanceof Date)).toBe(true);

    const fromStrings = await scan(strings as CollectionsInput);
    const fromDates = await scan(dated as CollectionsInput);
    expect(fromDates.rejected).toEqual([]);
    expect(fromDates.summary.events).toBe(76);
    expect(formatJson(fromDates)).toBe(formatJson(fromStrings));
    expect(fromDates.findings).toHaveLength(13);
  });

  it("a stream of events with Date times gives the findings of the same stream with ISO strings", async () => {
    const strings = await readRawCollections("fixtures/demo");
    const { events = [], ...reference } = strings;
    const { dated } = withDates({ events, territories: reference.territories ?? [] });
    const datedReference = { ...reference, territories: dated.territories } as CollectionsInput;
    const fromStrings = await drain(scanStream([...events].sort(byTime) as ChannelEventInput[], { reference }));
    const fromDates = await drain(scanStream([...(dated.events ?? [])].sort(byTime) as ChannelEventInput[], { reference: datedReference }));
    expect(fromDates).toEqual(fromStrings);
    expect(fromDates.length).toBeGreaterThan(0);
  });

  it("the fast event reader reads a valid Date occurredAt as zod does, and leaves an invalid one to zod", () => {
    const event: ChannelEventInput = {
      id: "e1", type: "listing", occurredAt: new Date("2025-03-01T09:30:00Z"), partnerId: "P1", sku: "S1", price: 10, currency: "CNY",
    };
    expect(new FastEventReader().read(event)).toEqual(eventSchema.parse(event));
    expect(new FastEventReader().read({ ...event, occurredAt: new Date(Number.NaN) })).toBeUndefined();
    expect(new FastEventReader().read({ ...event, occurredAt: Object.create(Date.prototype) })).toBeUndefined();
    expect(new FastEventReader().read({ ...event, occurredAt: "2025-03-01T09:30:00Z" })).toEqual(eventSchema.parse({ ...event, occurredAt: "2025-03-01T09:30:00Z" }));
    expect(eventSchema.parse(event)).toEqual({ ...event, occurredAt: Date.UTC(2025, 2, 1, 9, 30) });
  });

  it("rejects an invalid Date, saying so; a Date of another realm counts, an object posing as a Date is rejected, not thrown", async () => {
    const territory = { id: "T1", partnerId: "P1", region: "CN" };
    const dataset = await loadDataset({
      partners: [{ id: "P1", channel: "distributor" }],
      territories: [
        { ...territory, validFrom: new Date("not a date") },
        { ...territory, id: "T2", validFrom: runInNewContext("new Date(Date.UTC(2025, 0, 1))") as Date },
        { ...territory, id: "T3", validFrom: Object.create(Date.prototype) as Date },
        { ...territory, id: "T4", validFrom: "2025-02-30" },
      ],
      events: [
        { id: "e1", type: "allocation", occurredAt: new Date(Number.NaN), partnerId: "P1", sku: "S1", lot: "L1", quantity: 1 },
        { id: "e2", type: "allocation", occurredAt: new Date(Date.UTC(2025, 0, 2)), partnerId: "P1", sku: "S1", lot: "L1", quantity: 1 },
      ],
    });
    expect(dataset.rejected.map((r) => [r.file, r.index, r.reason])).toEqual([
      ["territories", 0, "validFrom: must be a valid Date, got an invalid Date (its time is NaN)"],
      ["territories", 2, "validFrom: expected string, got an object"],
      // An ISO string is read and explained exactly as before.
      ["territories", 3, 'validFrom: must be an ISO 8601 date or date-time such as 2025-03-01 or 2025-03-01T09:30:00Z, got "2025-02-30"'],
      ["events", 0, "occurredAt: must be a valid Date, got an invalid Date (its time is NaN)"],
    ]);
    expect(dataset.reference.territories).toEqual([{ ...territory, id: "T2", exclusive: false, validFrom: Date.UTC(2025, 0, 1) }]);
    expect(dataset.events.map((e) => [e.id, e.occurredAt])).toEqual([["e2", Date.UTC(2025, 0, 2)]]);
    expect(territorySchema.safeParse({ ...territory, validTo: 1735689600000 }).success).toBe(false);
  });
});
