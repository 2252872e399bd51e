import { describe, expect, it } from "vitest";
import { scan } from "../../src/scan/scan.js";
import { formatTable } from "../../src/report/formatTable.js";
import { applySuppressions } from "../../src/findings/applySuppressions.js";
import { applyBaseline } from "../../src/findings/applyBaseline.js";

describe("the partner scorecard", () => {
  it("adds up to the findings: each finding once, for its offender", async () => {
    const report = await scan("fixtures/demo");
    const partners = report.partners ?? [];
    expect(partners.length).toBeGreaterThan(0);
    expect(partners.reduce((n, p) => n + p.findings, 0)).toBe(report.findings.length);
    for (const partner of partners) {
      const own = report.findings.filter((f) => f.partners[0] === partner.id);
      expect(partner.findings).toBe(own.length);
      expect(Object.values(partner.bySeverity).reduce((a, b) => a + b, 0)).toBe(own.length);
      expect(Object.values(partner.byKind).reduce((a, b) => a + b, 0)).toBe(own.length);
      expect(partner.repeatOffences).toBe(own.reduce((n, f) => n + f.count - 1, 0));
    }
    const scores = partners.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("tiers by the thresholds the options set", async () => {
    const strict = await scan("fixtures/demo", { scorecard: { tiers: { review: 0, audit: 0, hold: 0 } } });
    expect(new Set(strict.partners?.map((p) => p.tier))).toEqual(new Set(["hold"]));
    const lenient = await scan("fixtures/demo", { scorecard: { tiers: { review: 1e6, audit: 1e6, hold: 1e6 } } });
    expect(new Set(lenient.partners?.map((p) => p.tier))).toEqual(new Set(["monitor"]));
  });

  it("follows suppressions and is shown in the table", async () => {
    const report = await scan("fixtures/demo");
    const first = report.findings[0]!;
    const hidden = applySuppressions(report, [{ fingerprint: first.fingerprint, reason: "agreed" }]);
    expect(hidden.partners?.reduce((n, p) => n + p.findings, 0)).toBe(report.findings.length - 1);
    const table = formatTable(report);
    expect(table).toContain("Partner scorecard:");
    for (const partner of report.partners ?? []) expect(table).toContain(`(${partner.id}):`);
  });

  it("keeps scoring by the scan's policy after suppressions and a baseline", async () => {
    const policy = { points: { low: 100, medium: 100, high: 100, critical: 100 }, tiers: { review: 1, audit: 2, hold: 3 } };
    const report = await scan("fixtures/demo", { scorecard: policy });
    const first = report.findings[0]!;
    const hidden = applySuppressions(report, [{ fingerprint: first.fingerprint, reason: "agreed" }]);
    const rebased = applyBaseline(hidden, { findings: [] });
    for (const after of [hidden, rebased]) {
      expect(after.partners?.length).toBeGreaterThan(0);
      for (const partner of after.partners ?? []) {
        expect(partner.tier).toBe("hold");
        expect(partner.score).toBe(partner.findings * 100 + partner.repeatOffences);
      }
    }
    // The default policy stays the default.
    const plain = applyBaseline(await scan("fixtures/demo"), { findings: [] });
    expect(plain.partners).toEqual((await scan("fixtures/demo")).partners);
  });
});
