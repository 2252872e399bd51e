import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { generateDataset } from "../../bench/generate.js";
import { applyBaseline } from "../../src/findings/applyBaseline.js";
import { mergeReports } from "../../src/findings/mergeReports.js";
import type { ScanReport } from "../../src/findings/report.js";
import { formatJson } from "../../src/report/formatJson.js";
import { scan } from "../../src/scan/scan.js";
import type { CollectionsInput } from "../../src/schema/dataset.js";
import { readRawCollections } from "../helpers.js";

/** Merges `reports` in the order `order` gives, grouped as the binary tree `splits` describes (any grouping). */
function mergeAsTree(reports: readonly ScanReport[], order: readonly number[], splits: readonly number[]): ScanReport {
  const items = order.map((i) => reports[i] as ScanReport);
  let next = 0;
  const build = (list: readonly ScanReport[]): ScanReport => {
    if (list.length === 1) return list[0] as ScanReport;
    const cut = 1 + ((splits[next++ % Math.max(1, splits.length)] ?? 0) % (list.length - 1));
    return mergeReports(build(list.slice(0, cut)), build(list.slice(cut)));
  };
  return build(items);
}

async function shardsOf(collections: CollectionsInput, count: number): Promise<ScanReport[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => scan(collections, { shard: { index, count } })));
}

describe("mergeReports of every shard equals one scan, byte for byte", () => {
  let demo: CollectionsInput;
  beforeAll(async () => {
    demo = (await readRawCollections("fixtures/demo")) as CollectionsInput;
  });

  it("the demo in 1 to 8 shards, merged flat", async () => {
    const whole = formatJson(await scan(demo));
    for (let count = 1; count <= 8; count++) {
      const shards = await shardsOf(demo, count);
      // A shard that is not all shards says which it holds; it holds only part of the findings.
      if (count > 1) expect(shards[0]?.shards).toMatchObject({ count, indexes: [0] });
      expect(formatJson(mergeReports(...shards)), `${count} shards`).toBe(whole);
    }
  });

  it("random generated datasets, random shard counts, merged in random orders and groupings (associative, commutative)", async () => {
    let merges = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 2, max: 7 }),
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        async (seed, count, splits) => {
          const { collections } = generateDataset({ events: 1_500, seed, randomConflicts: 2 });
          const input = collections as unknown as CollectionsInput;
          const whole = formatJson(await scan(input));
          const shards = await shardsOf(input, count);
          // Findings are split between the shards: no shard has them all (unless there are few).
          const order = fc.sample(fc.shuffledSubarray([...Array(count).keys()], { minLength: count, maxLength: count }), { seed, numRuns: 1 })[0] as number[];
          expect(formatJson(mergeAsTree(shards, order, splits))).toBe(whole);
          merges++;
        },
      ),
      { numRuns: 12 },
    );
    expect(merges).toBe(12);
  });

  it("shards split the work: each judges part of the events, and partial merges say which shards they hold", async () => {
    const { collections } = generateDataset({ events: 3_000, seed: 42, randomConflicts: 3 });
    const input = collections as unknown as CollectionsInput;
    const whole = await scan(input);
    const shards = await shardsOf(input, 4);
    const counts = shards.map((report) => report.findings.length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(whole.findings.length);
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(1);
    const half = mergeReports(shards[3] as ScanReport, shards[1] as ScanReport);
    expect(half.shards).toMatchObject({ count: 4, indexes: [1, 3] });
    expect(formatJson(mergeReports(shards[0] as ScanReport, half, shards[2] as ScanReport))).toBe(formatJson(whole));
  });

  it("refuses reports that are not disjoint shards of one scan", async () => {
    const shards = await shardsOf(demo, 3);
    const [a, b] = shards as [ScanReport, ScanReport];
    expect(() => mergeReports()).toThrow(/at least one report/);
    expect(() => mergeReports(a, a)).toThrow(/holds shard 0 again/);
    expect(() => mergeReports(a, mergeReports(...shards))).toThrow(/holds every shard already/);
    const other = (await shardsOf(demo, 2))[1] as ScanReport;
    expect(() => mergeReports(a, other)).toThrow(/one of 2 shards, report 1 of 3/);
    expect(() => mergeReports(a, applyBaseline(b, { findings: [] }))).toThrow(/baseline or suppressions/);
    const { collections } = generateDataset({ events: 500, seed: 1 });
    const foreign = await scan(collections as unknown as CollectionsInput, { shard: { index: 1, count: 3 } });
    const otherPolicy = await scan(demo, { shard: { index: 1, count: 3 }, scorecard: { tiers: { review: 1, audit: 2, hold: 3 } } });
    expect(() => mergeReports(a, otherPolicy)).toThrow(/other scorecard policies/);
    expect(() => mergeReports(a, foreign)).toThrow(/not shards of one scan of one dataset/);
    await expect(scan(demo, { shard: { index: 3, count: 3 } })).rejects.toThrow(/index must be less than count/);
  });
});
