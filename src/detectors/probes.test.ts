import { describe, expect, it } from "vitest";
import { generateDataset } from "../../bench/generate.js";
import type { FactValue } from "../core/types.js";
import { loadDataset } from "../dataset/loadDataset.js";
import { ReferenceIndex } from "../reference/referenceIndex.js";
import type { ChannelEvent } from "../schema/dataset.js";
import { DETECTORS } from "./registry.js";
import type { Candidate, DetectorContext } from "./types.js";

type Probe = Readonly<{ check: string } & Record<string, FactValue>>;

/**
 * Runs every detector over a dataset with a prefilter that lets everything through and records the
 * probes the detector binds; after each event, every candidate's facts must hold the values its check's
 * probe held: the prefilter decides on the very facts the rules will see.
 */
async function probesAgreeWithFacts(source: Parameters<typeof loadDataset>[0]): Promise<number> {
  const dataset = await loadDataset(source);
  const index = new ReferenceIndex(dataset.reference, dataset.present);
  const events = [...dataset.events].sort((a: ChannelEvent, b: ChannelEvent) => a.occurredAt - b.occurredAt || (a.type === "allocation" ? 0 : 1) - (b.type === "allocation" ? 0 : 1) || (a.id < b.id ? -1 : 1));
  let compared = 0;
  for (const detector of Object.values(DETECTORS)) {
    const facts = new Set(detector.facts.map((fact) => fact.name));
    const probes = new Map<string, Probe>();
    const context: DetectorContext = {
      index,
      params: Object.fromEntries(detector.params.map((p) => [p.name, p.default])),
      skip: () => undefined,
      prefilter: (probe) => {
        for (const name of Object.keys(probe)) expect(facts.has(name), `${detector.kind}: probe of ${probe.check} reads undeclared fact ${name}`).toBe(true);
        probes.set(probe.check, probe);
        return () => true;
      },
    };
    const run = detector.create(context);
    [...run.start()];
    for (const event of events) {
      const out: Candidate[] = [];
      run.onEvent(event, out);
      for (const candidate of out) {
        const probe = probes.get(candidate.check);
        if (!probe) continue;
        for (const [name, value] of Object.entries(probe)) {
          expect(candidate.facts[name], `${detector.kind} ${candidate.check}: probe fact ${name} on event ${event.id}`).toEqual(value);
          compared++;
        }
      }
    }
  }
  return compared;
}

describe("prefilter probes", () => {
  it("hold the values of the facts the candidates then carry (demo dataset)", async () => {
    expect(await probesAgreeWithFacts("fixtures/demo")).toBeGreaterThan(100);
  });

  it("hold the values of the facts the candidates then carry (generated dataset)", async () => {
    expect(await probesAgreeWithFacts(generateDataset({ events: 20_000, seed: 11 }).collections)).toBeGreaterThan(10_000);
  });
});
