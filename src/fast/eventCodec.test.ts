import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocationEventSchema, listingEventSchema, saleEventSchema, type ChannelEvent } from "../schema/dataset.js";
import { EVENT_FIELDS, EVENT_SCHEMA_NAMES, eventKeysOf, type EventField, type EventFieldKind, type EventSchemaName } from "../schema/eventFields.js";
import { EventPacker, EventUnpacker } from "./eventCodec.js";

const text = fc.oneof(fc.constantFrom("P-1", "SKU-9", "CN-GD", "", "a\u0000b", "\ud83d\ude00"), fc.string());
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const number = fc.double({ noNaN: true, noDefaultInfinity: true });

/** Values of each kind of field as the codec may be handed them (it checks nothing). */
const VALUES: Record<Exclude<EventFieldKind, "type" | "object">, fc.Arbitrary<unknown>> = {
  id: text,
  time: fc.integer({ min: -1e13, max: 1e13 }),
  money: number,
  positive: number,
  currency: text,
  string: text,
};

/** The fields of `fields` right below `prefix`, as a record of arbitraries (optional ones sometimes undefined), in the table's order. */
function fieldsBelow(fields: readonly EventField[], prefix: string): Record<string, fc.Arbitrary<unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of fields) {
    const key = field.name.slice(prefix.length);
    if (!field.name.startsWith(prefix) || key.includes(".")) continue;
    const value =
      field.kind === "type" ? fc.constantFrom(...(field.values ?? [])) : field.kind === "object" ? fc.record(fieldsBelow(fields, `${field.name}.`)) : VALUES[field.kind];
    model[key] = field.required ? value : maybe(value);
  }
  return model;
}

const eventsOf = (schema: EventSchemaName) => fc.record(fieldsBelow(EVENT_FIELDS[schema], "")).map(withoutUndefined) as fc.Arbitrary<ChannelEvent>;

/** Validated events of every type, with every optional field present or absent (the table's fields). */
const event: fc.Arbitrary<ChannelEvent> = fc.oneof(...EVENT_SCHEMA_NAMES.map(eventsOf));

/** Plain objects, optional fields absent rather than undefined, as zod leaves them; keys in the schema's order. */
function withoutUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[key] = v !== null && typeof v === "object" ? withoutUndefined(v) : v;
  }
  return out as T;
}

describe("event codec", () => {
  it("unpacks batch after batch exactly what was packed, keys in order", () => {
    fc.assert(
      fc.property(fc.array(fc.array(event, { maxLength: 30 }), { maxLength: 6 }), (batches) => {
        const packer = new EventPacker();
        const unpacker = new EventUnpacker();
        for (const batch of batches) {
          const unpacked = unpacker.unpack(packer.pack(batch));
          expect(unpacked).toStrictEqual(batch);
          expect(JSON.stringify(unpacked)).toBe(JSON.stringify(batch));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("packs events added without begin() too", () => {
    const packer = new EventPacker();
    const events: ChannelEvent[] = Array.from({ length: 100 }, (_, i) => ({ id: `E-${i}`, occurredAt: i, partnerId: "P", sku: "S", type: "allocation", lot: `L-${i}`, quantity: 1 }));
    packer.begin(1);
    packer.add(events[0] as ChannelEvent);
    const unpacker = new EventUnpacker();
    expect(unpacker.unpack(packer.finish())).toStrictEqual(events.slice(0, 1));
    for (const event of events) packer.add(event);
    expect(unpacker.unpack(packer.finish())).toStrictEqual(events);
  });

  it("carries strings past the shared table's limit as one-off strings", () => {
    const packer = new EventPacker();
    const unpacker = new EventUnpacker();
    const many = Array.from({ length: 70_000 }, (_, i): ChannelEvent => ({
      id: `A-${i}`,
      occurredAt: i,
      partnerId: `P-${i}`,
      sku: "S",
      type: "allocation",
      lot: `L-${i}`,
      quantity: 1,
    }));
    for (let i = 0; i < many.length; i += 5_000) {
      const batch = many.slice(i, i + 5_000);
      expect(unpacker.unpack(packer.pack(batch))).toStrictEqual(batch);
    }
  });

  it("carries every field the event schemas define", () => {
    // The generators above make the table's fields: the schemas must have the same.
    expect(Object.keys(saleEventSchema.shape).sort()).toEqual(eventKeysOf("", "sale").sort());
    expect(Object.keys(saleEventSchema.shape.shipTo.unwrap().shape).sort()).toEqual(eventKeysOf("shipTo", "sale").sort());
    expect(Object.keys(listingEventSchema.shape).sort()).toEqual(eventKeysOf("", "listing").sort());
    expect(Object.keys(allocationEventSchema.shape).sort()).toEqual(eventKeysOf("", "allocation").sort());
  });
});
