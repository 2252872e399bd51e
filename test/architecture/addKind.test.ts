import { describe, expect, it } from "vitest";
import { RuleSetError } from "../../src/core/errors.js";
import { DETECTORS } from "../../src/detectors/registry.js";
import { loadRules, loadRulesWith, shippedRulesPath } from "../../src/rules/loadRules.js";
import { scan, scanWith } from "../../src/scan/scan.js";
import { unauthorizedSeller } from "./unauthorized-seller/unauthorizedSeller.js";

// Adding a kind is its folder (test/architecture/unauthorized-seller/: the detector and its messages), one
// line in the registry (below) and its rules file — nothing else of src/ changes.
const registry = { ...DETECTORS, "unauthorized-seller": unauthorizedSeller };
const RULES = "test/architecture/unauthorized-seller/unauthorized-seller.yaml";

const listing = (id: string, partnerId: string, price: number) => ({
  id,
  type: "listing",
  occurredAt: "2025-03-01T10:00:00Z",
  partnerId,
  sku: "SKU-1",
  price,
  currency: "CNY",
});
const dataset = {
  partners: [{ id: "P1", name: "Authorised Store", channel: "ecommerce" }],
  products: [{ sku: "SKU-1" }],
  events: [
    listing("L1", "P1", 100),
    listing("L2", "GREY-SELLER", 80),
    { ...listing("L3", "GREY-SELLER", 70), occurredAt: "2025-03-02T10:00:00Z" },
    // A sale of an unknown partner: no kind admits it, so it is still rejected.
    { id: "S1", type: "sale", occurredAt: "2025-03-02T11:00:00Z", partnerId: "GREY-SELLER", sku: "SKU-1", quantity: 1, unitPrice: 70, currency: "CNY" },
  ],
};

describe("a kind added by declaration (test-only: unauthorized-seller)", () => {
  it("loads its rules against the registry that has it, and the shipped registry refuses them", async () => {
    const rules = await loadRulesWith(registry, [shippedRulesPath(), RULES]);
    expect(rules.rules.map((r) => r.id)).toContain("seller.unauthorized");
    await expect(loadRules(RULES)).rejects.toThrow(RuleSetError);
    await expect(loadRulesWith(registry, { rules: [{ id: "x", kind: "unauthorized-seller", severity: "low", title: "x", conditions: { all: [{ fact: "nope", operator: "equal", value: 1 }] } }] })).rejects.toThrow(
      /unknown fact "nope" for kind unauthorized-seller; expected one of check, currency, price, sellerId, sku/,
    );
  });

  it("finds what it declares, sees the events it admits, and says it in its own words", async () => {
    const rules = await loadRulesWith(registry, [shippedRulesPath(), RULES]);
    const report = await scanWith(registry, dataset as never, { rules });
    const findings = report.findings.filter((f) => (f.kind as string) === "unauthorized-seller");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: "seller.unauthorized",
      severity: "high",
      partners: ["GREY-SELLER"],
      eventIds: ["L2", "L3"],
      count: 2,
      message: "GREY-SELLER, who is not an authorised partner, listed SKU-1 2 times between 2025-03-01 and 2025-03-02 (first at CN¥80.00).",
      remediation: "Ask the marketplace to take the listing down, or sign the seller up as a partner.",
    });
    expect(report.summary.byKind["unauthorized-seller"]).toBe(1);
    // The listings of the unknown seller were admitted (three events read, one rejected: the sale).
    expect(report.rejected.map((r) => [r.index, r.reason])).toEqual([[3, 'partnerId: unknown partner "GREY-SELLER"; expected an id listed in partners']]);
    expect(report.summary.events).toBe(3);
  });

  it("changes nothing for a scan with the shipped kinds: the unknown seller's listings are rejected", async () => {
    const report = await scan(dataset as never);
    expect(report.findings).toEqual([]);
    expect(report.rejected.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(report.summary.events).toBe(1);
  });
});
