import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventPacker, EventUnpacker } from "./eventCodec.js";
import { eventSchema, type ChannelEvent } from "../schema/dataset.js";
import { EVENT_FIELDS, anyEventFields, type EventField, type EventFieldKind } from "../schema/eventFields.js";
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
const currencyValue = fc.oneof({ arbitrary: fc.constantFrom("USD", "CNY", "EUR"), weight: 6 }, { arbitrary: oddValue, weight: 1 });
const stringValue = fc.oneof(fc.webUrl(), fc.string(), oddValue);

/** Values of each kind of field, right and wrong. */
const VALUES: Record<Exclude<EventFieldKind, "type" | "object">, fc.Arbitrary<unknown>> = {
  id: idValue,
  time: timeValue,
  money: numberValue,
  positive: numberValue,
  currency: currencyValue,
  string: stringValue,
};

/**
 * The fields of a record of any type right below `prefix` (the table's), each sometimes missing, sometimes
 * wrong, with an extra key; only the keys every type requires always there (in an object, none).
 */
function recordOf(fields: readonly EventField[], prefix: string): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const field of fields) {
    const key = field.name.slice(prefix.length);
    if (!field.name.startsWith(prefix) || key.includes(".")) continue;
    if (field.kind === "type") {
      model[key] = fc.oneof({ arbitrary: fc.constantFrom(...(field.values ?? [])), weight: 8 }, { arbitrary: oddValue, weight: 1 });
    } else if (field.kind === "object") {
      model[key] = fc.oneof({ arbitrary: recordOf(fields, `${field.name}.`), weight: 5 }, { arbitrary: oddValue, weight: 1 });
    } else {
      model[key] = VALUES[field.kind];
    }
    if (prefix === "" && field.required) required.push(key);
  }
  model[prefix === "" ? "note" : "extra"] = oddValue;
  return fc.record(model, { requiredKeys: required });
}

/** Records shaped like events, each field sometimes missing, sometimes wrong, sometimes with extra keys. */
const recordLike = recordOf(anyEventFields(), "");

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
    // Every optional key of a sale and of its objects (the table's), with a valid value.
    const below = (prefix: string) => EVENT_FIELDS.sale.filter((field) => field.name.startsWith(prefix) && !field.name.slice(prefix.length).includes("."));
    const keyOf = (field: EventField, prefix: string) => field.name.slice(prefix.length);
    /** The smallest valid value of an optional field: an id, or an object of its required fields. */
    const validOf = (field: EventField): unknown =>
      field.kind === "object" ? Object.fromEntries(below(`${field.name}.`).filter((f) => f.required).map((f) => [keyOf(f, `${field.name}.`), validOf(f)])) : "X-1";
    const optional = below("").filter((field) => !field.required);
    expect(optional.length).toBeGreaterThan(0);
    for (const field of optional) {
      const key = field.name;
      const hidden = { ...sale };
      Object.defineProperty(hidden, key, { value: validOf(field), enumerable: false });
      expect(reader.read(hidden)).toBeUndefined();
      // A prototype without a prototype of its own: the record still passes as a plain object.
      const parent = Object.assign(Object.create(null) as object, { [key]: validOf(field) });
      Object.defineProperty(parent, key, { enumerable: false });
      const inherited = Object.assign(Object.create(parent) as object, sale);
      expect(reader.read(inherited)).toBeUndefined();
    }
    for (const object of below("").filter((field) => field.kind === "object")) {
      const prefix = `${object.name}.`;
      const optionalKeys = below(prefix).filter((field) => !field.required);
      expect(optionalKeys.length).toBeGreaterThan(0);
      for (const field of optionalKeys) {
        const value = validOf(object) as object;
        Object.defineProperty(value, keyOf(field, prefix), { value: "CN", enumerable: false });
        expect(reader.read({ ...sale, [object.name]: value })).toBeUndefined();
      }
    }
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
