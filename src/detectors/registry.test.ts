import { describe, expect, it } from "vitest";
import { generateDataset } from "../../bench/generate.js";
import type { FactValue } from "../core/types.js";
import { scan } from "../scan/scan.js";
import { CONFLICT_KINDS, DETECTORS } from "./registry.js";

describe("the registry", () => {
  it("is the one list of kinds: each key is its detector's kind, CONFLICT_KINDS its keys in order", () => {
    for (const [kind, detector] of Object.entries(DETECTORS)) expect(detector.kind).toBe(kind);
    expect(CONFLICT_KINDS).toEqual(Object.keys(DETECTORS));
  });

  it.each(Object.values(DETECTORS).map((d) => [d.kind, d] as const))("%s declares its facts completely", (_kind, detector) => {
    const names = detector.facts.map((f) => f.name);
    expect(new Set(names).size, "fact names are unique").toBe(names.length);
    expect(detector.facts.find((f) => f.name === "check")?.values, "the check fact's values are the checks").toEqual(detector.checks);
    for (const fact of detector.facts) for (const check of fact.checks ?? []) expect(detector.checks).toContain(check);
    for (const code of Object.keys(detector.messages.en)) expect(code.startsWith(`${detector.kind}.`), code).toBe(true);
  });
});

describe("findings keep to what their kinds declare", () => {
  it("facts of the declared type, in the declared set, null only where declared; refs of the declared types", async () => {
    const reports = [await scan("fixtures/demo"), await scan(generateDataset({ events: 20_000, seed: 3 }).collections)];
    let checked = 0;
    for (const finding of reports.flatMap((r) => r.findings)) {
      const detector = DETECTORS[finding.kind];
      for (const ref of finding.refs) expect(detector.refTypes, `${finding.ruleId} ref`).toContain(ref.type);
      const check = String(finding.facts.check);
      for (const fact of detector.facts) {
        if (fact.checks && !fact.checks.includes(check)) continue;
        const value: FactValue | undefined = finding.facts[fact.name];
        const where = `${finding.ruleId}.${fact.name}`;
        expect(value, where).not.toBeUndefined();
        if (value === null) {
          expect(fact.nullable, `${where} is null`).toBe(true);
          continue;
        }
        if (fact.type === "string[]") expect(Array.isArray(value) && value.every((v) => typeof v === "string"), where).toBe(true);
        else expect(typeof value, where).toBe(fact.type);
        if (fact.values) expect(fact.values, where).toContain(value);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});
