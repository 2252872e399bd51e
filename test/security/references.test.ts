// Unknown references and mixed currencies (CONTRACT §2, §8; README "References", "Checks that cannot
// be made"): what cannot be resolved is either rejected with a reason or skipped and counted in
// `summary.skipped` — never turned into a finding by guesswork.
import { describe, expect, it } from "vitest";
import { loadDataset, type ScanReport } from "../../src/index.js";
import { DETECTORS } from "../../src/detectors/registry.js";
import { scanWith } from "../../src/scan/scan.js";
import type { JsonRecord } from "./support.js";
import { asEnglish } from "../helpers.js";

const SKIP = {
  saleCurrency: "price-deviation: sale currency differs from its price policy",
  listingCurrency: "price-deviation: listing currency differs from its price policy",
  promotionList: "price-deviation: promotion without a list price in the sale's currency",
  noDestination: "cross-region-shipping: order/sale with neither ship-to nor a customer region",
  unknownDestination: "cross-region-shipping: destination region not in regions",
  lotBeforeAllocation: "cross-region-shipping: lot sold before any allocation of it",
};

/** A small, clean reference: two exclusive distributors, a reseller, an online store, the direct team. */
const REFERENCE = {
  partners: [
    { id: "D1", channel: "distributor" },
    { id: "D2", channel: "distributor" },
    { id: "R1", channel: "reseller", parentId: "D1" },
    { id: "W1", channel: "ecommerce" },
    { id: "DIR", channel: "direct" },
  ],
  regions: [{ code: "CN" }, { code: "CN-GD", parent: "CN" }, { code: "CN-ZJ", parent: "CN" }],
  territories: [
    { id: "T1", partnerId: "D1", region: "CN-GD", exclusive: true },
    { id: "T2", partnerId: "D2", region: "CN-ZJ", exclusive: true },
  ],
  products: [
    { sku: "S1", category: "c1", listPrice: 100, currency: "CNY" },
    { sku: "S2", category: "c1" },
  ],
  pricePolicies: [
    { id: "PP1", sku: "S1", listPrice: 100, floorPrice: 80, map: 90, currency: "CNY" },
    { id: "PP2", sku: "S2", floorPrice: 50, map: 55, currency: "CNY" },
    { id: "PP3", sku: "S2", floorPrice: 10, currency: "USD" },
  ],
  promotions: [{ id: "PR1", skus: ["S2"], maxDiscount: 0.5, validFrom: "2025-01-01", validTo: "2026-01-01" }],
  customers: [
    { id: "C1", region: "CN-GD" },
    { id: "C2", region: "XX-NOWHERE" },
    { id: "C3" },
  ],
  registrations: [{ id: "G1", customerId: "C1", partnerId: "D1", status: "approved", registeredAt: "2025-01-01" }],
};

let n = 0;
const at = (day: number, hour = 9) => `2025-03-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00Z`;
type Fields = Record<string, unknown>;
/** Drops fields set to undefined: a record without them. */
const defined = (record: Fields): JsonRecord => JSON.parse(JSON.stringify(record)) as JsonRecord;
const sale = (fields: Fields): JsonRecord =>
  defined({ id: `e${++n}`, type: "sale", occurredAt: at(1), partnerId: "D1", sku: "S1", quantity: 1, unitPrice: 100, currency: "CNY", shipTo: { region: "CN-GD" }, ...fields });
const listingOf = (fields: Fields): JsonRecord => defined({ id: `e${++n}`, type: "listing", occurredAt: at(1), partnerId: "W1", sku: "S1", price: 100, currency: "CNY", ...fields });

async function run(events: JsonRecord[], reference: Record<string, unknown[]> = REFERENCE): Promise<ScanReport> {
  // Without events a dataset cannot be scanned (CONTRACT §8); the tests without events look at its reference data.
  const report = await scanWith(DETECTORS, { ...reference, events } as never, undefined, { requireEvents: events.length > 0 });
  expect(report.summary.events + report.summary.rejected).toBe(events.length);
  return report;
}

/** No finding cites any of these events. */
function expectNotCited(report: ScanReport, ids: readonly string[]): void {
  for (const finding of report.findings) for (const id of ids) expect(finding.eventIds, `${finding.ruleId} cites ${id}`).not.toContain(id);
}

describe("unknown references are rejected, naming the reference", () => {
  it("an event of an unknown partner, and of an unknown sku when there are products", async () => {
    const bad = [
      sale({ partnerId: "NOPE", unitPrice: 1 }),
      sale({ sku: "S9", unitPrice: 1 }),
      listingOf({ partnerId: "W9", price: 1 }),
      sale({ id: "alloc?", type: "allocation", lot: "L1", quantity: 5, partnerId: "D9" }),
    ];
    const report = await run([sale({ unitPrice: 100 }), ...bad]);
    expect(asEnglish(report.rejected)).toEqual([
      { file: "events", index: 1, reason: 'partnerId: unknown partner "NOPE"; expected an id listed in partners' },
      { file: "events", index: 2, reason: 'sku: unknown product "S9"; expected a sku listed in products' },
      { file: "events", index: 3, reason: 'partnerId: unknown partner "W9"; expected an id listed in partners' },
      { file: "events", index: 4, reason: 'partnerId: unknown partner "D9"; expected an id listed in partners' },
    ]);
    expect(report.summary).toMatchObject({ events: 1, rejected: 4, findings: 0, skipped: {} });
    expectNotCited(report, bad.map((e) => e.id as string));
  });

  it("without a products collection a sku needs no product: the same event is used", async () => {
    const { products: _products, ...withoutProducts } = REFERENCE;
    const report = await run([sale({ sku: "S9", unitPrice: 1 })], withoutProducts);
    expect(report.rejected).toEqual([]);
    expect(report.summary.events).toBe(1);
    // S9 has no policy: nothing to compare with, no finding.
    expect(report.findings).toEqual([]);
  });

  it("territories and registrations of unknown partners, territories in unknown regions, regions with unknown or cyclic parents", async () => {
    const reference = {
      ...REFERENCE,
      regions: [...REFERENCE.regions, { code: "CN-XX-1", parent: "CN-XX" }, { code: "LOOP-A", parent: "LOOP-B" }, { code: "LOOP-B", parent: "LOOP-A" }, { code: "CN-GD-SZ", parent: "CN-XX-1" }],
      territories: [
        ...REFERENCE.territories,
        { id: "T3", partnerId: "NOPE", region: "CN-GD" },
        { id: "T4", partnerId: "R1", region: "CN-NOWHERE" },
        { id: "T5", partnerId: "R1", region: "CN-GD-SZ", exclusive: true },
        { id: "T6", partnerId: "R1", region: "CN-GD", validFrom: "2025-03-01", validTo: "2025-02-01" },
      ],
      registrations: [...REFERENCE.registrations, { id: "G2", customerId: "C3", partnerId: "NOPE", status: "approved", registeredAt: "2025-01-01" }],
    };
    const report = await run([], reference);
    expect(report.rejected.map((r) => [r.file, r.index, r.reason])).toEqual([
      ["regions", 3, 'parent: unknown region "CN-XX"; expected a code listed in regions'],
      ["regions", 4, expect.stringMatching(/^parent: region "LOOP-A" is its own ancestor/)],
      ["regions", 5, expect.stringMatching(/^parent: region "LOOP-B" is its own ancestor/)],
      ["regions", 6, 'parent: ancestor "CN-XX-1" has an unknown parent "CN-XX"; expected every ancestor listed in regions'],
      ["registrations", 1, 'partnerId: unknown partner "NOPE"; expected an id listed in partners'],
      ["territories", 2, 'partnerId: unknown partner "NOPE"; expected an id listed in partners'],
      ["territories", 3, 'region: unknown region "CN-NOWHERE"; expected a code listed in regions'],
      ["territories", 4, 'region: unknown region "CN-GD-SZ"; expected a code listed in regions'],
      ["territories", 5, "validTo: is before validFrom; expected an end at or after the start"],
    ]);
    expect(report.summary.records).toMatchObject({
      regions: { read: 7, accepted: 3, rejected: 4 },
      territories: { read: 6, accepted: 2, rejected: 4 },
      registrations: { read: 2, accepted: 1, rejected: 1 },
    });
    // Nothing the rejected territories would have caused: no overlap with T1 (CN-GD-SZ under CN-GD).
    expect(report.findings).toEqual([]);
  });

  // BUG: a partner whose parent partner is itself rejected is kept — the parent check uses every
  // partner that passed the schema, not the partners that were finally accepted — so a rejected
  // partner is not equivalent to an absent one (regions, territories and registrations do resolve
  // against accepted records). Repro:
  //   scan({ partners: [{ id: "D1", channel: "distributor", parentId: "NOPE" }, { id: "R2", channel: "reseller", parentId: "D1" }],
  //          events: [{ id: "e1", type: "sale", occurredAt: "2025-01-01", partnerId: "R2", sku: "S", quantity: 1, unitPrice: 1, currency: "USD" }] })
  // rejects D1 only and uses e1; without D1 in the file, R2 and e1 are both rejected.
  it("a partner whose parent is rejected is rejected too, as if the parent were absent", async () => {
    const partners = [
      { id: "D1", channel: "distributor", parentId: "NOPE" },
      { id: "R2", channel: "reseller", parentId: "D1" },
    ];
    const event = { id: "e1", type: "sale", occurredAt: "2025-01-01", partnerId: "R2", sku: "S", quantity: 1, unitPrice: 1, currency: "USD" };
    // Every partner rejected: such a dataset cannot be scanned (CONTRACT §8), so its records are read.
    const withRejectedParent = await loadDataset({ partners, events: [event] } as never);
    const withoutParent = await loadDataset({ partners: [{ id: "P0", channel: "direct" }, partners[1] as object], events: [event] } as never);
    expect(withRejectedParent.counts.partners).toEqual({ read: 2, accepted: 0, rejected: 2 });
    expect(withRejectedParent.events.length).toBe(withoutParent.events.length);
  });
});

describe("checks that cannot be made are skipped and counted, never guessed", () => {
  it("a destination region missing from regions, and a sale with no destination at all", async () => {
    const unknownShipTo = sale({ partnerId: "D1", shipTo: { region: "CN-NOWHERE" } });
    const unknownCustomerRegion = sale({ partnerId: "D2", shipTo: undefined, customerId: "C2" });
    const noDestination = sale({ partnerId: "D1", shipTo: undefined, customerId: "C3" });
    const noCustomer = sale({ partnerId: "D2", shipTo: undefined });
    const outside = sale({ partnerId: "D1", shipTo: { region: "CN-ZJ" } });
    const report = await run([unknownShipTo, unknownCustomerRegion, noDestination, noCustomer, outside]);
    expect(report.rejected).toEqual([]);
    expect(report.summary.skipped).toEqual({ [SKIP.unknownDestination]: 2, [SKIP.noDestination]: 2 });
    // Only the sale with a known destination outside D1's territory (into D2's) is a finding.
    expect(report.findings.map((f) => [f.ruleId, f.partners, f.eventIds])).toEqual([["territory.out-of-territory", ["D1", "D2"], [outside.id]]]);
    expectNotCited(report, [unknownShipTo, unknownCustomerRegion, noDestination, noCustomer].map((e) => e.id as string));
  });

  it("a lot sold before any allocation of it (or never allocated) is not traced to anyone", async () => {
    const early = sale({ partnerId: "W1", lot: "L1", occurredAt: at(1), shipTo: { region: "CN-ZJ" } });
    const allocation = { id: "a1", type: "allocation", occurredAt: at(2), partnerId: "D1", sku: "S1", lot: "L1", quantity: 10 };
    const late = sale({ partnerId: "W1", lot: "L1", occurredAt: at(3), shipTo: { region: "CN-ZJ" } });
    const never = sale({ partnerId: "W1", lot: "L-NEVER", occurredAt: at(4), shipTo: { region: "CN-ZJ" } });
    const ownEarly = sale({ partnerId: "D1", lot: "L2", occurredAt: at(5), shipTo: { region: "CN-GD" } });
    const report = await run([early, allocation, late, never, ownEarly]);
    expect(report.rejected).toEqual([]);
    expect(report.summary.skipped).toEqual({ [SKIP.lotBeforeAllocation]: 3 });
    // The sale after the allocation is the only diversion: D1's lot, sold by W1 into D2's territory.
    expect(report.findings.map((f) => [f.ruleId, f.partners, f.eventIds])).toEqual([["diversion.lot-outside-allocation", ["D1", "D2", "W1"], ["a1", late.id]]]);
    expectNotCited(report, [early, never, ownEarly].map((e) => e.id as string));
  });

  it("prices in another currency than every applicable policy are not compared (sales, listings, online/offline)", async () => {
    const usdSale = sale({ partnerId: "R1", currency: "USD", unitPrice: 1 });
    const usdListing = listingOf({ currency: "USD", price: 1 });
    const eurSale = sale({ partnerId: "R1", sku: "S2", currency: "EUR", unitPrice: 1 });
    // Online in USD, offline in CNY, three each, 99% apart in raw numbers: never compared.
    const online = [1, 2, 3].map((d) => sale({ partnerId: "W1", currency: "USD", unitPrice: 1, occurredAt: at(10 + d), shipTo: { region: "CN-ZJ" } }));
    const offline = [1, 2, 3].map((d) => sale({ partnerId: "D1", currency: "CNY", unitPrice: 100, occurredAt: at(10 + d, 10) }));
    const report = await run([usdSale, usdListing, eurSale, ...online, ...offline]);
    expect(report.rejected).toEqual([]);
    expect(report.summary.skipped).toEqual({ [SKIP.saleCurrency]: 5, [SKIP.listingCurrency]: 1 });
    expect(report.findings).toEqual([]);
  });

  it("a promotion with no list price in the sale's currency leaves the sale unjudged", async () => {
    // S2 in USD: floor 10 (PP3), no USD list price anywhere, PR1 is active — the allowance cannot be computed.
    const below = sale({ partnerId: "R1", sku: "S2", currency: "USD", unitPrice: 5 });
    const report = await run([below]);
    expect(report.summary.skipped).toEqual({ [SKIP.promotionList]: 1 });
    expect(report.findings).toEqual([]);
    // Given a USD list price (12), the allowance is computed: 12 × (1 − 0.5) = 6 allows 6, not 5.99.
    const withList = { ...REFERENCE, pricePolicies: [...REFERENCE.pricePolicies, { id: "PP4", sku: "S2", listPrice: 12, currency: "USD" }] };
    const judged = await run([{ ...below, id: "b1", unitPrice: 6 }, { ...below, id: "b2", unitPrice: 5.99, occurredAt: at(2) }], withList);
    expect(judged.summary.skipped).toEqual({});
    expect(judged.findings.map((f) => [f.ruleId, f.eventIds])).toEqual([["price.below-floor", ["b2"]]]);
  });

  it("an event's own promotionId is informational: unknown, foreign or absent, the findings are the same", async () => {
    const events = [
      sale({ partnerId: "R1", sku: "S1", unitPrice: 70, occurredAt: at(1) }),
      sale({ partnerId: "D1", sku: "S1", unitPrice: 60, occurredAt: at(2) }),
      sale({ partnerId: "W1", sku: "S2", unitPrice: 30, occurredAt: at(3), shipTo: { region: "CN-ZJ" } }),
    ];
    const plain = await run(events);
    expect(plain.findings.map((f) => [f.ruleId, f.partners])).toEqual(
      expect.arrayContaining([
        ["price.below-floor", ["R1"]],
        ["price.below-floor", ["D1"]],
      ]),
    );
    for (const promotionId of ["PR-NOPE", "PR1", "__proto__"]) {
      const cited = await run(events.map((e) => ({ ...e, promotionId })));
      expect(cited.rejected, promotionId).toEqual([]);
      expect(JSON.stringify(cited.findings), promotionId).toBe(JSON.stringify(plain.findings));
      expect(cited.summary.skipped, promotionId).toEqual(plain.summary.skipped);
    }
  });
});
