import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeByTime, type Chunk, type MergeSource } from "./mergeByTime.js";

type Key = readonly [time: number, file: number, position: number];

/** A source of `keys` (each in order), cut into chunks of the given sizes; `files` per event when it stands for a sorted run. */
function sourceOf(keys: readonly Key[], sizes: readonly number[], run: boolean, async: boolean): MergeSource {
  const chunks: Chunk[] = [];
  for (let from = 0, s = 0; from < keys.length; s++) {
    const to = Math.min(keys.length, from + (sizes[s % sizes.length] as number));
    const part = keys.slice(from, to);
    const nums = new Float64Array(part.length * 3);
    part.forEach(([time], i) => (nums[i * 3] = time));
    chunks.push({
      packed: { count: part.length, ints: new Int32Array(part.length * 13), nums, oneOff: [] },
      positions: part.map((key) => key[2]),
      file: run ? -1 : (part[0]?.[1] as number),
      files: run ? part.map((key) => key[1]) : undefined,
    });
    from = to;
  }
  let at = 0;
  const source: MergeSource = {
    chunk: chunks[0],
    index: 0,
    next() {
      at++;
      source.chunk = chunks[at];
      source.index = 0;
      return async ? Promise.resolve(at < chunks.length) : at < chunks.length;
    },
  };
  return source;
}

const compare = (a: Key, b: Key): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

describe("mergeByTime", () => {
  it("gives every event of every source once, in (time, file, position) order, whatever the chunks and interleaving", async () => {
    const layout = fc.record({
      // Few distinct times, so many events share an instant across sources.
      files: fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 60 }), { minLength: 1, maxLength: 20 }),
      runs: fc.integer({ min: 0, max: 3 }),
      sizes: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
      async: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(layout, async ({ files, runs, sizes, async }) => {
        const all: Key[] = [];
        const sources: MergeSource[] = [];
        files.forEach((times, file) => {
          const keys = [...times].sort((a, b) => a - b).map((time, i): Key => [time, file, i + 1]);
          all.push(...keys);
          // The first `runs` files are merged into one sorted run of mixed files, as the sort writes them.
          if (file >= runs) sources.push(sourceOf(keys, sizes, false, async));
        });
        const run = all.filter((key) => key[1] < runs).sort(compare);
        if (run.length > 0) sources.push(sourceOf(run, sizes, true, async));
        const merged: Key[] = [];
        let steps = 0;
        await mergeByTime(sources, {
          take(chunk, from, to) {
            expect(0 <= from && from < to && to <= chunk.packed.count).toBe(true);
            for (let i = from; i < to; i++) merged.push([chunk.packed.nums[i * 3] as number, chunk.files?.[i] ?? chunk.file, chunk.positions[i] as number] as Key);
          },
          step: () => {
            steps++;
            return async ? Promise.resolve() : undefined;
          },
        });
        expect(merged).toEqual([...all].sort(compare));
        expect(steps).toBeLessThanOrEqual(Math.max(all.length, 0));
      }),
      { numRuns: 300 },
    );
  });
});
