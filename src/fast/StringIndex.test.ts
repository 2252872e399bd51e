import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LimitError } from "../core/errors.js";
import { CharArena, StringIndex, StringSet } from "./StringIndex.js";

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

  it("gives back narrow and wide keys, longer than String.fromCharCode takes at once", () => {
    const arena = new CharArena(() => new Error("full"));
    // One byte per unit below 256, two above (a key is wide as soon as one unit is).
    const long = "\u00e9x".repeat(40_000);
    const wide = "x".repeat(9_000) + "\ud83d\ude00\u0100".repeat(5_000);
    const at = arena.append(long);
    const wideAt = arena.append(wide);
    expect(arena.read(arena.append("e"))).toBe("e");
    expect(arena.read(at)).toBe(long);
    expect(arena.read(wideAt)).toBe(wide);
    expect(arena.equals(wideAt, wide)).toBe(true);
    expect(arena.equals(at, long.slice(0, -1) + "\u0178")).toBe(false);
  });
});
