import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChannelEvent } from "../schema/dataset.js";
import type { ReferenceRecords } from "../schema/dataset.js";
import { EventAcceptor } from "./validateRecords.js";

const reference = { partners: [{ id: "P1" }, { id: "P2" }], products: [{ sku: "S1" }] } as unknown as ReferenceRecords;

/** Events over a few ids, partners and skus, some of them unknown. */
const events = fc.array(
  fc.record({ id: fc.constantFrom("a", "b", "c", "d"), partnerId: fc.constantFrom("P1", "P2", "PX"), sku: fc.constantFrom("S1", "SX") }),
  { maxLength: 40 },
);

describe("EventAcceptor.rejectMarked", () => {
  it("rejects exactly what reject rejects, for the repeats the reader marks", () => {
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
          const expected = plain.reject(event);
          expect(marked.rejectMarked(event, repeat)).toBe(expected);
          if (repeat && expected === undefined) repeatsAccepted++;
          if (expected?.startsWith("id:")) duplicates++;
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
    expect(() => acceptor.rejectMarked(event, false)).toThrow(/duplicate window/);
  });
});
