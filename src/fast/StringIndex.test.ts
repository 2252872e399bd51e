import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StringIndex } from "./StringIndex.js";

describe("StringIndex", () => {
  it("numbers keys in the order first seen, finds them, and gives them back", () => {
    const key = fc.oneof(fc.string({ unit: fc.constantFrom("a", "b", "\u00e9", "\ud83d\ude00"), maxLength: 6 }), fc.string());
    fc.assert(
      fc.property(fc.array(key, { maxLength: 3_000 }), fc.array(key, { maxLength: 50 }), (keys, probes) => {
        const index = new StringIndex(() => new Error("full"));
        const model = new Map<string, number>();
        for (const k of keys) {
          if (!model.has(k)) model.set(k, model.size);
          expect(index.intern(k)).toBe(model.get(k));
        }
        expect(index.size).toBe(model.size);
        for (const k of [...keys, ...probes]) expect(index.find(k)).toBe(model.get(k) ?? -1);
        for (const [k, n] of model) expect(index.keyAt(n)).toBe(k);
      }),
      { numRuns: 200 },
    );
  });
});
