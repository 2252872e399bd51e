import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventPacker, EventUnpacker } from "./eventCodec.js";
import { eventSchema, type ChannelEvent } from "../schema/dataset.js";
import { FastEventReader, type EventFields } from "./FastEventReader.js";
import { isoLike } from "../../test/property/isoLike.js";

// Values a field may take: right and wrong types, edge numbers, ids with whitespace, dates of every shape.
const oddValue = fc.oneof(
  fc.constantFrom(undefined, null, true, 0, -0, -1, 1e11, 1e11 + 1, 1e12, Number.NaN, Infinity, -Infinity, 0.5, "", " ", "x", " A-1", "A-1 ", "\u00a0A", "A\u2028", "usd", "USD", "CNY", "US", "USDX", [], {}, { region: "R" }),
  fc.string(),
  fc.double(),
  isoLike,
);
const idValue = fc.oneof({ arbitrary: fc.stringMatching(/^[A-Z][A-Z0-9-]{0,8}$/), weight: 6 }, { arbitrary: oddValue, weight: 1 });
const timeValue = fc.oneof(
  { arbitrary: fc.date({ min: new Date("0050-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()), weight: 4 },
  { arbitrary: fc.date({ min: new Date("2024-01-01"), max: new Date("2026-01-01"), noInvalidDate: true }).map((d) => d.toISOString().replace(".000Z", "Z").replace(/\.\d{3}Z$/, "Z")), weight: 2 },
  { arbitrary: isoLike, weight: 3 },
  { arbitrary: fc.constantFrom("2025-02-29T10:00:00Z", "2024-02-29T10:00:00.000Z", "2025-01-01T24:00:00Z", "2025-01-01T23:59:60Z", "0099-01-01T00:00:00Z"), weight: 1 },
);
const numberValue = fc.oneof({ arbitrary: fc.double({ min: 0, max: 2e5, noNaN: true }), weight: 5 }, { arbitrary: oddValue, weight: 1 });
const shipTo = fc.oneof(
  { arbitrary: fc.record({ region: idValue, country: fc.oneof(fc.string(), oddValue), postalCode: fc.oneof(fc.string(), oddValue), extra: oddValue }, { requiredKeys: [] }), weight: 5 },
  { arbitrary: oddValue, weight: 1 },
);

/** Records shaped like events, each field sometimes missing, sometimes wrong, sometimes with extra keys. */
const recordLike = fc.record(
  {
    id: idValue,
    type: fc.oneof({ arbitrary: fc.constantFrom("order", "sale", "listing", "allocation"), weight: 8 }, { arbitrary: oddValue, weight: 1 }),
    occurredAt: timeValue,
    partnerId: idValue,
    sku: idValue,
    customerId: idValue,
    quantity: numberValue,
    unitPrice: numberValue,
    price: numberValue,
    currency: fc.oneof({ arbitrary: fc.constantFrom("USD", "CNY", "EUR"), weight: 6 }, { arbitrary: oddValue, weight: 1 }),
    shipTo,
    lot: idValue,
    promotionId: idValue,
    url: fc.oneof(fc.webUrl(), oddValue),
    note: oddValue,
  },
  { requiredKeys: ["id", "type", "occurredAt", "partnerId", "sku"] },
);

describe("FastEventReader", () => {
  it("returns exactly what eventSchema returns, or leaves the record to zod", () => {
    let decided = 0;
    let valid = 0;
    fc.assert(
      fc.property(fc.array(recordLike, { minLength: 1, maxLength: 20 }), (records) => {
        // One reader for the whole array: its remembered date must never change a result.
        const reader = new FastEventReader();
        // The reader thread packs the fields without making the event: the batch must unpack to the same events.
        const packer = new EventPacker();
        packer.begin(1);
        const read: ChannelEvent[] = [];
        for (const record of records) {
          const fast = reader.read(record);
          const zod = eventSchema.safeParse(record);
          if (zod.success) valid++;
          if (fast === undefined) continue;
          // read() made its event from these fields; the next call makes them again.
          const fields = reader.fields(record) as EventFields;
          decided++;
          packer.addFields(fields);
          read.push(fast);
          expect(zod.success).toBe(true);
          expect(fast).toStrictEqual(zod.data);
          // Same keys in the same order, nested included.
          expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
        }
        const unpacked = new EventUnpacker().unpack(packer.finish());
        expect(JSON.stringify(unpacked)).toBe(JSON.stringify(read));
      }),
      { numRuns: 3_000 },
    );
    // The fast path must actually take most valid records, or this test proves nothing.
    expect(valid).toBeGreaterThan(1_000);
    expect(decided).toBeGreaterThan(valid * 0.6);
  });

  it("leaves to zod the keys for-in does not show (not enumerable, or inherited)", () => {
    const sale = { id: "E-1", type: "sale", occurredAt: "2025-01-01T00:00:00Z", partnerId: "P", sku: "S", quantity: 1, unitPrice: 2, currency: "USD" };
    const reader = new FastEventReader();
    expect(reader.read({ ...sale })).toStrictEqual(eventSchema.parse(sale));
    for (const key of ["customerId", "lot", "promotionId", "shipTo"]) {
      const hidden = { ...sale };
      Object.defineProperty(hidden, key, { value: key === "shipTo" ? { region: "R" } : "X-1", enumerable: false });
      expect(reader.read(hidden)).toBeUndefined();
      // A prototype without a prototype of its own: the record still passes as a plain object.
      const parent = Object.assign(Object.create(null) as object, { [key]: key === "shipTo" ? { region: "R" } : "X-1" });
      Object.defineProperty(parent, key, { enumerable: false });
      const inherited = Object.assign(Object.create(parent) as object, sale);
      expect(reader.read(inherited)).toBeUndefined();
    }
    const shipTo = { region: "R" };
    Object.defineProperty(shipTo, "country", { value: "CN", enumerable: false });
    expect(reader.read({ ...sale, shipTo })).toBeUndefined();
  });

  it("leaves to zod a record whose getter throws, on a key zod reads or one it ignores", () => {
    const sale = { id: "E-1", type: "sale", occurredAt: "2025-01-01T00:00:00Z", partnerId: "P", sku: "S", quantity: 1, unitPrice: 2, currency: "USD" };
    const reader = new FastEventReader();
    const ignored = Object.defineProperty({ ...sale }, "note", { get: () => { throw new Error("boom"); }, enumerable: true });
    expect(reader.read(ignored)).toBeUndefined();
    expect(eventSchema.safeParse(ignored).success).toBe(true);
    const nested = { ...sale, shipTo: Object.defineProperty({ region: "R" }, "note", { get: () => { throw new Error("boom"); }, enumerable: true }) };
    expect(reader.read(nested)).toBeUndefined();
  });

  it("reads times as parseIsoTime does, across dates in any order", () => {
    fc.assert(
      fc.property(fc.array(timeValue, { minLength: 1, maxLength: 30 }), (texts) => {
        const reader = new FastEventReader();
        for (const text of texts) {
          if (typeof text !== "string") continue;
          const expected = (() => {
            const parsed = eventSchema.safeParse({ id: "E", type: "allocation", occurredAt: text, partnerId: "P", sku: "S", lot: "L", quantity: 1 });
            return parsed.success ? parsed.data.occurredAt : undefined;
          })();
          expect(reader.time(text)).toBe(expected);
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it("reads times as parseIsoTime does when many share a date, well-formed or not", () => {
    // A few dates (one that does not exist, one before year 0100), each followed by times of every shape:
    // the remembered date must never let a text skip a check it needs.
    const date = fc.constantFrom("2025-01-01", "2025-01-02", "2024-02-29", "2025-02-29", "0099-12-31", "0100-01-01", "2025-1-01", "-025-01-01");
    const clock = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.option(fc.integer({ min: 0, max: 999 }))).map(
        ([h, m, s, ms]) => `T${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}${ms === null ? "" : `.${String(ms).padStart(3, "0")}`}Z`,
      ),
      fc.constantFrom("T10:00:00", "T10:00:00+08:00", " 10:00:00Z", "T10:00:00.5Z", "T10:00Z", "t10:00:00Z", "T10:00:00.000z", "T1a:00:00Z"),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(date, clock), { minLength: 1, maxLength: 40 }), (pairs) => {
        const reader = new FastEventReader();
        for (const [day, time] of pairs) {
          const text = day + time;
          const parsed = eventSchema.safeParse({ id: "E", type: "allocation", occurredAt: text, partnerId: "P", sku: "S", lot: "L", quantity: 1 });
          expect(reader.time(text)).toBe(parsed.success ? parsed.data.occurredAt : undefined);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
