import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SortedPrices } from "./SortedPrices.js";

/** The obvious model: a sorted array. */
function modelMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >>> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

describe("SortedPrices", () => {
  it("gives the model's size and median after every add and remove", () => {
    // Small value ranges make many equal values, the hard case for lazy removal across two heaps.
    const step = fc.oneof(
      { arbitrary: fc.record({ op: fc.constant("add" as const), value: fc.integer({ min: -5, max: 5 }) }), weight: 3 },
      { arbitrary: fc.record({ op: fc.constant("add" as const), value: fc.integer({ min: -1e9, max: 1e9 }) }), weight: 1 },
      { arbitrary: fc.record({ op: fc.constant("remove" as const), pick: fc.nat() }), weight: 3 },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), fc.integer({ min: 1, max: 8 }), (steps, load) => {
        // Tiny blocks make splits and merges happen within a few hundred steps.
        const set = new SortedPrices(load);
        const model: number[] = [];
        for (const s of steps) {
          if (s.op === "add") {
            set.add(s.value);
            model.push(s.value);
          } else {
            if (model.length === 0) continue;
            const [value] = model.splice(s.pick % model.length, 1) as [number];
            set.remove(value);
          }
          expect(set.size).toBe(model.length);
          if (model.length > 0) expect(set.median()).toBe(modelMedian(model));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a rolling window's median with the default block size", () => {
    const set = new SortedPrices();
    const window: number[] = [];
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const value = seed % 1000;
      set.add(value);
      window.push(value);
      if (window.length > 3001) set.remove(window.shift() as number);
      if (i % 97 === 0) expect(set.median()).toBe(modelMedian(window));
    }
    expect(set.size).toBe(3001);
  });
});
