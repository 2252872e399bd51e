import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LimitError } from "../core/errors.js";
import { StringSet } from "./StringSet.js";

describe("StringSet", () => {
  it("answers as a Set does, through growth and probing", () => {
    // Few distinct characters make many repeats; thousands of keys make the table grow many times.
    const key = fc.oneof(fc.string({ unit: fc.constantFrom("a", "b", "\u00e9", "\ud83d\ude00"), maxLength: 6 }), fc.string());
    fc.assert(
      fc.property(fc.array(key, { maxLength: 3_000 }), (keys) => {
        const set = new StringSet();
        const model = new Set<string>();
        for (const k of keys) {
          expect(set.add(k)).toBe(!model.has(k));
          model.add(k);
        }
        expect(set.size).toBe(model.size);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps 200,000 distinct ids apart and catches each repeat", () => {
    const set = new StringSet();
    for (let i = 0; i < 200_000; i++) expect(set.add(`O-${i}`)).toBe(true);
    for (let i = 0; i < 200_000; i += 997) expect(set.add(`O-${i}`)).toBe(false);
    expect(set.size).toBe(200_000);
  });
});

describe("StringSet with long keys", () => {
  it("tells apart keys longer than 65,535 code units that differ in length or in one unit", () => {
    const set = new StringSet();
    const long = "x".repeat(70_000);
    expect(set.add(long)).toBe(true);
    expect(set.add(long + "x")).toBe(true);
    expect(set.add(`${long.slice(0, 69_999)}y`)).toBe(true);
    expect(set.add("x".repeat(70_000 - 65_536))).toBe(true);
    expect(set.add(long)).toBe(false);
    expect(set.size).toBe(4);
  });
});

describe("StringSet at its size limit", () => {
  it("stops with a LimitError rather than wrap its 32-bit offsets and miss duplicates", () => {
    const set = new StringSet();
    expect(set.add("E-1")).toBe(true);
    // As if some hundred million ids were stored already (allocating them would take gigabytes).
    (set as unknown as { index: { arena: { used: number } } }).index.arena.used = 2 ** 31 - 8;
    expect(() => set.add("E-2-long-enough")).toThrow(LimitError);
    expect(set.add("E-1")).toBe(false);
  });
});
