import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unrollRing } from "./unrollRing.js";

describe("unrollRing", () => {
  it("puts the entries of any ring oldest first, whatever the wrap and the array type", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.nat(), fc.nat(), fc.nat(3), (log, headSeed, countSeed, extra) => {
        const size = 1 << log;
        const head = headSeed % size;
        const count = countSeed % (size + 1);
        const values = Array.from({ length: size }, (_, i) => i + 1);
        for (const make of [(n: number) => new Float64Array(n), (n: number) => new Int32Array(n), (n: number) => new Uint8Array(n)]) {
          const ring = make(size);
          ring.set(values);
          const unrolled = unrollRing(ring, head, count, count + extra);
          expect(unrolled.constructor).toBe(ring.constructor);
          expect(unrolled.length).toBe(count + extra);
          const expected = Array.from({ length: count }, (_, k) => values[(head + k) % size]);
          expect([...unrolled.subarray(0, count)]).toEqual(expected);
          expect([...unrolled.subarray(count)].every((v) => v === 0)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
