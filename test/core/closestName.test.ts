import { describe, expect, it } from "vitest";
import { closestName, editDistance, normalizeName } from "../../src/core/closestName.js";
import { COLLECTION_NAMES } from "../../src/schema/dataset.js";

describe("closestName", () => {
  it("ignores case and separators before it counts edits", () => {
    expect(normalizeName("ship_to_region")).toBe(normalizeName("shipTo.region"));
    expect(normalizeName("Partner-ID")).toBe("partnerid");
    expect(closestName("ship_to_region", ["shipTo.country", "shipTo.region", "sku"])).toBe("shipTo.region");
    expect(closestName("partnerID", ["partnerId", "customerId"])).toBe("partnerId");
    expect(closestName("Events", COLLECTION_NAMES)).toBe("events");
    expect(closestName("price_policies", COLLECTION_NAMES)).toBe("pricePolicies");
  });

  it("takes a slip for the name meant: a missing or extra letter, a swap, a plural", () => {
    expect(closestName("partner", COLLECTION_NAMES)).toBe("partners");
    expect(closestName("evnets", COLLECTION_NAMES)).toBe("events");
    expect(closestName("territory", COLLECTION_NAMES)).toBe("territories");
    expect(closestName("registration", COLLECTION_NAMES)).toBe("registrations");
  });

  it("names nothing for names far from every candidate", () => {
    for (const name of ["expected", "orders", "sales", "notes", "schema", "promos", "", "___"]) {
      expect(closestName(name, COLLECTION_NAMES), name).toBeUndefined();
    }
    // A stricter tolerance, as for CSV columns: `note` is an extra column, not a misspelt `lot`.
    expect(closestName("note", ["lot", "url"], { tolerance: 1 / 4 })).toBeUndefined();
    expect(closestName("skus", ["sku"], { tolerance: 1 / 4 })).toBe("sku");
  });

  it("breaks ties by the order of the candidates, so the answer depends on its arguments only", () => {
    expect(closestName("ab", ["ax", "xb"])).toBe("ax");
    expect(closestName("ab", ["xb", "ax"])).toBe("xb");
  });

  it("counts a swap of neighbours as one edit", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("ca", "ac")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });
});
