import { describe, expect, it } from "vitest";
import { scan, type Finding } from "../src/index.js";
import { findingKey, generateDataset, type ExpectedFinding, type GeneratedDataset } from "../bench/generate.js";

const RULES = [
  "price.below-floor",
  "price.below-map",
  "price.online-offline-gap",
  "territory.exclusive-overlap",
  "territory.out-of-territory",
  "diversion.lot-outside-allocation",
  "customer.protected-sale",
  "customer.duplicate-registration",
];

const sortedKeys = (items: ReadonlyArray<{ ruleId: string; partners: readonly string[]; count: number }>) => items.map(findingKey).sort();

/** The finding matching an expected one on rule, partners, count and (when given) evidence. */
function evidenceOf(findings: readonly Finding[], expected: ExpectedFinding): string[] | undefined {
  const candidates = findings.filter((f) => findingKey(f) === findingKey(expected)).map((f) => [...f.eventIds].sort());
  return candidates.find((ids) => JSON.stringify(ids) === JSON.stringify(expected.eventIds)) ?? candidates[0];
}

async function checkAgainstTruth(generated: GeneratedDataset): Promise<void> {
  const report = await scan(generated.collections);
  expect(report.rejected).toEqual([]);
  expect(report.summary.events).toBe(generated.collections.events.length);
  // Every injected conflict is found, and nothing else.
  expect(sortedKeys(report.findings)).toEqual(sortedKeys(generated.truth));
  // The evidence of each finding is the injected events.
  for (const expected of generated.truth) {
    if (expected.eventIds !== undefined) expect(evidenceOf(report.findings, expected), findingKey(expected)).toEqual(expected.eventIds);
  }
}

describe("generated datasets: the scan finds exactly the injected conflicts", () => {
  it("seed 7, 20k events, the fixed scenarios", async () => {
    const generated = generateDataset({ events: 20_000, seed: 7 });
    expect(generated.collections.events).toHaveLength(20_000);
    // Every rule has conflicts and look-alikes in the truth and the manifest.
    expect([...new Set(generated.truth.map((f) => f.ruleId))].sort()).toEqual([...RULES].sort());
    for (const rule of RULES) {
      expect(generated.manifest.injected.conflicts[rule], rule).toBeGreaterThan(0);
      expect(generated.manifest.injected.lookAlikes[rule], rule).toBeGreaterThan(0);
    }
    await checkAgainstTruth(generated);
  });

  it("seed 11, 20k events, with random conflicts on top", async () => {
    const generated = generateDataset({ events: 20_000, seed: 11, randomConflicts: 4 });
    expect(generated.truth.length).toBeGreaterThan(generateDataset({ events: 2_000, seed: 11 }).truth.length);
    await checkAgainstTruth(generated);
  });

  it("without conflicts, the background alone produces no finding", async () => {
    const generated = generateDataset({ events: 15_000, seed: 3, conflicts: false });
    expect(generated.truth).toEqual([]);
    const report = await scan(generated.collections);
    expect(report.rejected).toEqual([]);
    expect(report.findings.map((f) => `${findingKey(f)} ${f.eventIds.join(",")}`)).toEqual([]);
  });

  it("is deterministic for a seed, and differs between seeds", () => {
    const a = generateDataset({ events: 3_000, seed: 5 });
    const b = generateDataset({ events: 3_000, seed: 5 });
    const c = generateDataset({ events: 3_000, seed: 6 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c.collections.events)).not.toBe(JSON.stringify(a.collections.events));
    const times = a.collections.events.map((e) => e.occurredAt);
    expect(times).toEqual([...times].sort());
    expect(new Set(a.collections.events.map((e) => e.id)).size).toBe(a.collections.events.length);
  });
});
