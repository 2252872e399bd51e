import fc from "fast-check";
import { describe, expect, it } from "vitest";
// The window is kept by RecentIds (RecentIds.ts); these tests drive it through DuplicateIds, as the acceptor does.
import { DuplicateIds } from "./DuplicateIds.js";
import { hashOf } from "./hashOf.js";

describe("DuplicateIds", () => {
  it("forgets ids older than its window, and only those", () => {
    const ids = new DuplicateIds(10);
    expect(ids.add("a", 0)).toBe(true);
    expect(ids.add("a", 10)).toBe(false);
    expect(ids.add("b", 11)).toBe(true);
    expect(ids.add("a", 11)).toBe(true);
  });
});

describe("DuplicateIds with a window", () => {
  /** The plain model: a map of id → time, forgetting ids older than the newest time minus the window. */
  function model(windowMs: number) {
    const seen = new Map<string, number>();
    return (id: string, at: number): boolean => {
      for (const [key, time] of seen) if (time < at - windowMs) seen.delete(key);
      if (seen.has(id)) return false;
      seen.set(id, at);
      return true;
    };
  }

  it("answers as the model does, through ring growth, table growth, deletions and arena compaction", () => {
    // Ids from a pool small enough to repeat inside and outside the window; long enough ids fill the
    // arena past the point where its expired front is dropped.
    const step = fc.record({
      id: fc.oneof(fc.integer({ min: 0, max: 3_000 }).map((n) => `ORDER-${"x".repeat(n % 40)}-${n}`), fc.constantFrom("é", "\ud83d\ude00", "")),
      dt: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 6 }, { arbitrary: fc.integer({ min: 50, max: 5_000 }), weight: 1 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 8_000, maxLength: 12_000 }), fc.integer({ min: 100, max: 4_000 }), (steps, windowMs) => {
        const ids = new DuplicateIds(windowMs);
        const expected = model(windowMs);
        let at = 0;
        for (const { id, dt } of steps) {
          at += dt;
          expect(ids.add(id, at)).toBe(expected(id, at));
        }
      }),
      // Shrinking thousands of steps against the quadratic model would take minutes: report the first failure.
      { numRuns: 12, endOnFailure: true },
    );
  });

  it("finds every id of a cluster that wraps around the end of the table after one is removed", () => {
    const ids = new DuplicateIds(10);
    const slots = (ids as unknown as { recent: { slots: Int32Array } }).recent.slots.length;
    // Ids whose hashes put them at the table's last two slots: `c` wraps to slot 0, and removing `a` must
    // not move it in front of its home.
    const homed = (prefix: string, home: number) => {
      for (let n = 0; ; n++) if ((hashOf(`${prefix}-${n}`) & (slots - 1)) === home) return `${prefix}-${n}`;
    };
    const [a, b, c] = [homed("A", slots - 2), homed("B", slots - 1), homed("C", slots - 1)];
    expect(ids.add(a, 0)).toBe(true);
    expect(ids.add(b, 1)).toBe(true);
    expect(ids.add(c, 2)).toBe(true);
    // At 10.5, `a` (added at 0) leaves the window; `b` and `c` stay and are still found.
    expect(ids.add(b, 10.5)).toBe(false);
    expect(ids.add(c, 10.5)).toBe(false);
    expect(ids.add(a, 10.5)).toBe(true);
  });

  it("gives the memory of a burst back once it has expired", () => {
    const ids = new DuplicateIds(5);
    for (let n = 0; n < 50_000; n++) expect(ids.add(`BURST-${n}`, 0)).toBe(true);
    for (let n = 0; n < 200; n++) expect(ids.add(`LATER-${n}`, 10 + n)).toBe(true);
    const recent = (ids as unknown as { recent: { times: Float64Array; slots: Int32Array; arena: { bytes: Uint8Array } } }).recent;
    expect(recent.times.length).toBeLessThanOrEqual(1 << 10);
    expect(recent.slots.length).toBeLessThanOrEqual(1 << 11);
    expect(recent.arena.bytes.length).toBeLessThanOrEqual(1 << 16);
    // The window still works: the last ids are found, the burst's are new again.
    expect(ids.add("LATER-199", 209)).toBe(false);
    expect(ids.add("LATER-196", 209)).toBe(false);
    expect(ids.add("BURST-7", 209)).toBe(true);
  });

  it("still finds the ids of the window after the arena dropped the expired ones", () => {
    const ids = new DuplicateIds(500);
    const id = (n: number) => `${"x".repeat(100)}-${n}`;
    // 2,000 ids of ~105 bytes, one per ms: by the end ~1,500 have expired, over 64 KiB, and are dropped.
    for (let n = 0; n < 2_000; n++) expect(ids.add(id(n), n)).toBe(true);
    for (let n = 1_999; n >= 1_500; n -= 7) expect(ids.add(id(n), 1_999)).toBe(false);
    expect(ids.add(id(1_000), 1_999)).toBe(true);
  });
});
