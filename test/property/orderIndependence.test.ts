import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scan } from "../../src/index.js";
import { formatJson } from "../../src/report/formatJson.js";
import { readRawCollections } from "../helpers.js";

function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % keys.length] ?? 0, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map((x) => x.item);
}

describe("batch results do not depend on record order", () => {
  it("shuffling every collection of fixtures/demo gives byte-identical findings", async () => {
    const collections = await readRawCollections("fixtures/demo");
    const baseline = formatJson(await scan(collections));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer(), { minLength: 1, maxLength: 200 }), async (keys) => {
        const mixed = Object.fromEntries(Object.entries(collections).map(([name, items]) => [name, shuffled(items, keys)]));
        expect(formatJson(await scan(mixed))).toBe(baseline);
      }),
      { numRuns: 25 },
    );
  });

  it("the folder and the same records in memory give the same findings", async () => {
    const fromFolder = await scan("fixtures/demo");
    const fromMemory = await scan(await readRawCollections("fixtures/demo"));
    expect(fromMemory.findings).toEqual(fromFolder.findings);
  });
});
