import { describe, expect, it } from "vitest";
import { LatestByKey } from "./LatestByKey.js";

describe("LatestByKey", () => {
  it("keeps the latest owner and id of each key (a lot's latest allocation), in memory that follows the keys, not the sets", () => {
    const book = new LatestByKey("lots");
    // 200,000 allocations of 10 lots, ids of changing length (so not every id fits in place of the last).
    const latest = new Map<string, [string, string]>();
    for (let n = 0; n < 200_000; n++) {
      const lot = `L-${n % 10}`;
      const partner = `P-${n % 7}`;
      const id = n % 3 === 0 ? `A-${n}` : `ALLOC-\u00e9-${n}`;
      book.set(lot, partner, id);
      latest.set(lot, [partner, id]);
    }
    for (const [lot, [partner, id]] of latest) {
      const slot = book.find(lot);
      expect(book.ownerAt(slot)).toBe(partner);
      expect(book.idAt(slot)).toBe(id);
    }
    expect(book.find("L-10")).toBe(-1);
    // The replaced ids are dropped now and then: the arena holds about the 10 live ids, not 200,000.
    expect(book.idBytes).toBeLessThan(200_000);
  });
});
