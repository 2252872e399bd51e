import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChannelEvent } from "../schema/dataset.js";
import type { ReferenceRecords } from "../schema/dataset.js";
import { EventAcceptor } from "./validateRecords.js";
import { asEnglish } from "../../test/helpers.js";

const reference = { partners: [{ id: "P1" }, { id: "P2" }], products: [{ sku: "S1" }] } as unknown as ReferenceRecords;

/** Events over a few ids, partners and skus, some of them unknown. */
const events = fc.array(
  fc.record({ id: fc.constantFrom("a", "b", "c", "d"), partnerId: fc.constantFrom("P1", "P2", "PX"), sku: fc.constantFrom("S1", "SX") }),
  { maxLength: 40 },
);

describe("EventAcceptor.judge with the reader's repeat marks", () => {
  it("rejects exactly what it rejects keeping every id itself, for the repeats the reader marks", () => {
    let repeatsAccepted = 0;
    let duplicates = 0;
    fc.assert(
      fc.property(events, fc.boolean(), (records, productsPresent) => {
        const plain = new EventAcceptor(reference, productsPresent);
        const marked = new EventAcceptor(reference, productsPresent);
        // What the reader thread marks: an id an earlier event (any that passed the schema) had.
        const seen = new Set<string>();
        for (const record of records) {
          const event = { ...record, type: "allocation", occurredAt: 0, lot: "L", quantity: 1 } as ChannelEvent;
          const repeat = seen.has(event.id);
          seen.add(event.id);
          const expected = plain.judge(event);
          expect(marked.judge(event, repeat)).toEqual(expected);
          if (repeat && expected === undefined) repeatsAccepted++;
          if (expected?.code === "duplicate_event") duplicates++;
        }
      }),
      { numRuns: 2_000 },
    );
    // The hard cases must come up: a repeat accepted (its first event was rejected), and duplicates.
    expect(repeatsAccepted).toBeGreaterThan(200);
    expect(duplicates).toBeGreaterThan(1_000);
  });

  it("refuses to run with a duplicate window, which the marks do not follow", () => {
    const acceptor = new EventAcceptor(reference, false, 86_400_000);
    const event = { id: "a", partnerId: "P1", sku: "S1", type: "allocation", occurredAt: 0, lot: "L", quantity: 1 } as ChannelEvent;
    expect(() => acceptor.judge(event, false)).toThrow(/duplicate window/);
  });
});

describe("EventAcceptor.judge", () => {
  const event = (fields: Partial<Record<"id" | "partnerId" | "sku" | "type", string>>) =>
    ({ id: "a", partnerId: "P1", sku: "S1", type: "allocation", occurredAt: 0, lot: "L", quantity: 1, ...fields }) as ChannelEvent;

  it("refuses to switch between keeping the ids and the reader's marks, which would miss duplicates", () => {
    const keeping = new EventAcceptor(reference, true);
    expect(keeping.judge(event({ id: "a" }))).toBeUndefined();
    expect(() => keeping.judge(event({ id: "b" }), false)).toThrow(/without repeat marks/);
    const marking = new EventAcceptor(reference, true);
    expect(marking.judge(event({ id: "a" }), false)).toBeUndefined();
    expect(() => marking.judge(event({ id: "a" }))).toThrow(/with repeat marks/);
  });

  it("admits the unknown partners and skus of the types its admission lists, and only those", () => {
    const listing = (fields: Parameters<typeof event>[0]) => event({ type: "listing", ...fields });
    const strict = new EventAcceptor(reference, true);
    expect(asEnglish(strict.judge(listing({ id: "1", partnerId: "PX" })))).toMatch(/^partnerId: unknown partner "PX"/);
    expect(asEnglish(strict.judge(listing({ id: "2", sku: "SX" })))).toMatch(/^sku: unknown product "SX"/);
    const admitting = new EventAcceptor(reference, true, undefined, { unknownPartners: ["listing"], unknownSkus: ["listing"] });
    expect(admitting.judge(listing({ id: "1", partnerId: "PX" }))).toBeUndefined();
    expect(admitting.judge(listing({ id: "2", sku: "SX" }))).toBeUndefined();
    expect(asEnglish(admitting.judge(listing({ id: "1", partnerId: "PX" })))).toBe('id: duplicate event id "1"');
    expect(asEnglish(admitting.judge(event({ id: "3", partnerId: "PX" })))).toMatch(/^partnerId: unknown partner/);
    expect(asEnglish(admitting.judge(event({ id: "4", sku: "SX" })))).toMatch(/^sku: unknown product/);
    const partnersOnly = new EventAcceptor(reference, true, undefined, { unknownPartners: ["listing"] });
    expect(asEnglish(partnersOnly.judge(listing({ id: "5", partnerId: "PX", sku: "SX" })))).toMatch(/^sku: unknown product "SX"/);
  });
});
