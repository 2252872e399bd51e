import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PriceWindow } from "./PriceWindow.js";

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? (sorted[n >> 1] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
}

describe("PriceWindow", () => {
  it("holds the entries not expired, oldest first, and each side's median, through growth and shrinking", () => {
    const step = fc.oneof(
      { arbitrary: fc.record({ add: fc.constant(true), dt: fc.integer({ min: 0, max: 3 }), price: fc.integer({ min: 0, max: 50 }), side: fc.boolean(), tag: fc.nat(9) }), weight: 4 },
      { arbitrary: fc.record({ add: fc.constant(false), span: fc.integer({ min: 0, max: 400 }) }), weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 1_500 }), (steps) => {
        const window = new PriceWindow();
        let model: Array<{ at: number; price: number; side: boolean; tag: number }> = [];
        let now = 0;
        for (const s of steps) {
          if (s.add) {
            now += s.dt;
            window.add(now, s.price, s.side, s.tag);
            model.push({ at: now, price: s.price, side: s.side, tag: s.tag });
          } else {
            window.expire(now - s.span);
            model = model.filter((e) => e.at > now - s.span);
          }
          const seen: Array<[number, number, boolean]> = [];
          window.forEach((tag, price, side) => seen.push([tag, price, side]));
          expect(seen).toEqual(model.map((e) => [e.tag, e.price, e.side]));
          for (const side of [true, false]) {
            const prices = model.filter((e) => e.side === side).map((e) => e.price);
            const sorted = side ? window.truePrices : window.falsePrices;
            expect(sorted.size).toBe(prices.length);
            expect(sorted.median()).toBe(median(prices));
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
