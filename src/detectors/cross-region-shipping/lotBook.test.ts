import { describe, expect, it } from "vitest";
import { LotBook } from "./crossRegionShipping.js";

describe("LotBook", () => {
  it("keeps the latest allocation of each lot, in memory that follows the lots, not the allocations", () => {
    const book = new LotBook();
    // 200,000 allocations of 10 lots, ids of changing length (so not every id fits in place of the last).
    const latest = new Map<string, [string, string]>();
    for (let n = 0; n < 200_000; n++) {
      const lot = `L-${n % 10}`;
      const partner = `P-${n % 7}`;
      const id = n % 3 === 0 ? `A-${n}` : `ALLOC-\u00e9-${n}`;
      book.allocate(lot, partner, id);
      latest.set(lot, [partner, id]);
    }
    for (const [lot, [partner, id]] of latest) {
      const slot = book.find(lot);
      expect(book.partnerAt(slot)).toBe(partner);
      expect(book.eventIdAt(slot)).toBe(id);
    }
    expect(book.find("L-10")).toBe(-1);
    // The replaced ids are dropped now and then: the arena holds about the 10 live ids, not 200,000.
    const arena = (book as unknown as { eventIds: { size: number } }).eventIds;
    expect(arena.size).toBeLessThan(200_000);
  });
});
