import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocationEventSchema, listingEventSchema, saleEventSchema, type ChannelEvent } from "../schema/dataset.js";
import { EventPacker, EventUnpacker, PACKED_FIELDS } from "./eventCodec.js";

const text = fc.oneof(fc.constantFrom("P-1", "SKU-9", "CN-GD", "", "a\u0000b", "\ud83d\ude00"), fc.string());
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const base = { id: text, occurredAt: fc.integer({ min: -1e13, max: 1e13 }), partnerId: text, sku: text };
const number = fc.double({ noNaN: true, noDefaultInfinity: true });

/** Validated events of every type, with every optional field present or absent. */
const event: fc.Arbitrary<ChannelEvent> = fc.oneof(
  fc
    .record({
      ...base,
      type: fc.constantFrom("order" as const, "sale" as const),
      customerId: maybe(text),
      quantity: number,
      unitPrice: number,
      currency: text,
      shipTo: maybe(fc.record({ region: text, country: maybe(text), postalCode: maybe(text) })),
      lot: maybe(text),
      promotionId: maybe(text),
    })
    .map(withoutUndefined),
  fc.record({ ...base, type: fc.constant("listing" as const), price: number, currency: text, url: maybe(text) }).map(withoutUndefined),
  fc.record({ ...base, type: fc.constant("allocation" as const), lot: text, quantity: number }).map(withoutUndefined),
);

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
    expect(Object.keys(saleEventSchema.shape).sort()).toEqual([...PACKED_FIELDS.sale].sort());
    expect(Object.keys(saleEventSchema.shape.shipTo.unwrap().shape).sort()).toEqual([...PACKED_FIELDS.shipTo].sort());
    expect(Object.keys(listingEventSchema.shape).sort()).toEqual([...PACKED_FIELDS.listing].sort());
    expect(Object.keys(allocationEventSchema.shape).sort()).toEqual([...PACKED_FIELDS.allocation].sort());
  });
});
