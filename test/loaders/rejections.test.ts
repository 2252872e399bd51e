import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataset } from "../../src/dataset/loadDataset.js";
import type { Dataset } from "../../src/dataset/types.js";
import { expectConservation, loaderFixture, ndjson, order, reasonsOf, removeDatasets, writeDataset } from "./helpers.js";
import { asEnglish } from "../helpers.js";

afterAll(removeDatasets);

const UNKNOWN_PARTNER = (id: string) => `partnerId: unknown partner "${id}"; expected an id listed in partners`;
const SPAN = "validTo: is before validFrom; expected an end at or after the start";

describe("every rejection reason (fixtures/loader/rejections)", () => {
  let dataset: Dataset;
  beforeAll(async () => {
    dataset = await loadDataset(loaderFixture("rejections"));
  });

  it("keeps the conservation rule for every collection", () => {
    expectConservation(dataset);
    expect(dataset.counts).toEqual({
      partners: { read: 7, accepted: 3, rejected: 4 },
      regions: { read: 9, accepted: 3, rejected: 6 },
      territories: { read: 8, accepted: 1, rejected: 7 },
      products: { read: 3, accepted: 1, rejected: 2 },
      pricePolicies: { read: 3, accepted: 1, rejected: 2 },
      promotions: { read: 3, accepted: 1, rejected: 2 },
      registrations: { read: 4, accepted: 1, rejected: 3 },
      customers: { read: 2, accepted: 1, rejected: 1 },
      events: { read: 20, accepted: 3, rejected: 17 },
    });
  });

  it("rejects partners: bad channel, duplicate id, missing id, unknown parent", () => {
    expect(reasonsOf(dataset.rejected, "partners.json")).toEqual([
      [2, 'channel: must be one of "direct", "distributor", "reseller", "retail", "ecommerce", "marketplace", got "shop"'],
      [3, 'id: duplicate "P1", first defined at partners.json[0]'],
      [4, 'parentId: unknown partner "P-404"; expected an id listed in partners'],
      [5, "id: expected string, got nothing (the field is missing)"],
    ]);
    expect(dataset.reference.partners.map((p) => p.id)).toEqual(["P1", "P2", "D"]);
  });

  it("rejects regions: unknown parent, an ancestor with an unknown parent, cycles and what hangs under them, duplicates", () => {
    expect(reasonsOf(dataset.rejected, "regions.json")).toEqual([
      [3, 'parent: unknown region "NOWHERE"; expected a code listed in regions'],
      [4, 'parent: ancestor "XX-1" has an unknown parent "NOWHERE"; expected every ancestor listed in regions'],
      [5, 'parent: region "LOOP-A" is its own ancestor (cycle through "LOOP-B")'],
      [6, 'parent: region "LOOP-B" is its own ancestor (cycle through "LOOP-A")'],
      [7, 'parent: ancestors form a cycle through "LOOP-A"; expected a chain that ends at a root region'],
      [8, 'code: duplicate "CN", first defined at regions.json[0]'],
    ]);
    expect(dataset.reference.regions.map((r) => r.code)).toEqual(["CN", "CN-GD", "CN-GD-SZ"]);
  });

  it("rejects territories: unknown or rejected partner, unknown or rejected region, validTo before validFrom, wrong type, duplicate", () => {
    expect(reasonsOf(dataset.rejected, "territories.json")).toEqual([
      [1, UNKNOWN_PARTNER("P-404")],
      [2, 'region: unknown region "MARS"; expected a code listed in regions'],
      [3, SPAN],
      [4, 'exclusive: expected boolean, got "yes"'],
      [5, 'id: duplicate "T-1", first defined at territories.json[0]'],
      [6, UNKNOWN_PARTNER("P4")],
      [7, 'region: unknown region "XX-2"; expected a code listed in regions'],
    ]);
    expect(dataset.reference.territories.map((t) => t.id)).toEqual(["T-1"]);
  });

  it("rejects products, price policies and promotions: bad currency, negative price, 1e400, out-of-range discount, missing date, reversed span", () => {
    expect(reasonsOf(dataset.rejected, "products.json")).toEqual([
      [1, "currency: must be a three-letter ISO 4217 code such as CNY or USD"],
      [2, "listPrice: must be at least 0"],
    ]);
    expect(reasonsOf(dataset.rejected, "pricePolicies.json")).toEqual([
      [1, SPAN],
      [2, "floorPrice: must be a finite number, got Infinity"],
    ]);
    expect(reasonsOf(dataset.rejected, "promotions.json")).toEqual([
      [1, "maxDiscount: must be at most 1"],
      [2, "validFrom: expected string, got nothing (the field is missing)"],
    ]);
  });

  it("rejects registrations and customers: unknown partner, bad status, expiresAt before registeredAt, duplicate", () => {
    expect(reasonsOf(dataset.rejected, "registrations.json")).toEqual([
      [1, UNKNOWN_PARTNER("P-404")],
      [2, 'status: must be one of "approved", "pending", "rejected", "expired", got "won"'],
      [3, "expiresAt: is before registeredAt; expected an end at or after the start"],
    ]);
    expect(reasonsOf(dataset.rejected, "customers.json")).toEqual([[1, 'id: duplicate "C-1", first defined at customers.json[0]']]);
  });

  it("rejects events for every reason, by line", () => {
    expect(reasonsOf(dataset.rejected, "events.ndjson")).toEqual([
      [5, "quantity: must be greater than 0"],
      [6, "unitPrice: must be at least 0"],
      [7, "currency: must be a three-letter ISO 4217 code such as CNY or USD"],
      [8, 'type: must be one of "order", "sale", "listing", "allocation", got "refund"'],
      [9, 'occurredAt: must be an ISO 8601 date or date-time such as 2025-03-01 or 2025-03-01T09:30:00Z, got "2025-02-30"'],
      [10, "price: must be a finite number, got Infinity"],
      [11, 'quantity: expected number, got "2"'],
      [12, "partnerId: expected string, got nothing (the field is missing)"],
      [13, 'id: duplicate event id "e-1"'],
      [14, UNKNOWN_PARTNER("P-404")],
      [15, 'sku: unknown product "SKU-404"; expected a sku listed in products'],
      [16, UNKNOWN_PARTNER("P4")],
      [17, expect.stringMatching(/^not valid JSON \(.+\)$/)],
      [18, "(record): expected object, got number 42"],
      [19, "shipTo.region: expected string, got nothing (the field is missing)"],
      [20, 'sku: unknown product "SKU-2"; expected a sku listed in products'],
      [21, "lot: expected string, got nothing (the field is missing)"],
    ]);
    expect(dataset.events.map((e) => e.id)).toEqual(["e-1", "e-2", "e-3"]);
  });
});

describe("rejection rules in detail", () => {
  const partners = JSON.stringify([{ id: "P1", channel: "retail" }]);

  it("lists every problem of a record in one reason", async () => {
    const root = await writeDataset({
      "partners.json": partners,
      "events.ndjson": ndjson(order("o-1", { quantity: -2, unitPrice: "ten", currency: "RMB1", occurredAt: "yesterday" })),
    });
    const { rejected } = await loadDataset(root);
    expect(asEnglish(rejected)).toEqual([
      {
        file: "events.ndjson",
        line: 1,
        reason:
          'occurredAt: must be an ISO 8601 date or date-time such as 2025-03-01 or 2025-03-01T09:30:00Z, got "yesterday"; ' +
          'quantity: must be greater than 0; unitPrice: expected number, got "ten"; ' +
          "currency: must be a three-letter ISO 4217 code such as CNY or USD",
      },
    ]);
  });

  it("names a missing event type as missing", async () => {
    const { type: _type, ...untyped } = order("o-1");
    const root = await writeDataset({ "partners.json": partners, "events.ndjson": ndjson(untyped) });
    const { rejected } = await loadDataset(root);
    expect(rejected.map((r) => r.reason)).toEqual([
      'type: must be one of "order", "sale", "listing", "allocation", got nothing (the field is missing)',
    ]);
  });

  it("checks skus only when a products collection exists, even an empty one", async () => {
    const events = ndjson(order("o-1", { sku: "ANY" }));
    const without = await loadDataset(await writeDataset({ "partners.json": partners, "events.ndjson": events }));
    expect(without.events.map((e) => e.id)).toEqual(["o-1"]);
    const empty = await loadDataset(await writeDataset({ "partners.json": partners, "products.json": "[]", "events.ndjson": events }));
    expect(empty.events).toEqual([]);
    expect(empty.rejected.map((r) => r.reason)).toEqual(['sku: unknown product "ANY"; expected a sku listed in products']);
  });

  it("checks territory regions only when a regions collection exists", async () => {
    const territories = JSON.stringify([{ id: "T-1", partnerId: "P1", region: "ANYWHERE" }]);
    const without = await loadDataset(await writeDataset({ "partners.json": partners, "territories.json": territories }));
    expect(without.reference.territories.map((t) => t.id)).toEqual(["T-1"]);
    const withRegions = await loadDataset(
      await writeDataset({ "partners.json": partners, "territories.json": territories, "regions.json": JSON.stringify([{ code: "CN" }]) }),
    );
    expect(withRegions.reference.territories).toEqual([]);
    expect(withRegions.rejected.map((r) => r.reason)).toEqual(['region: unknown region "ANYWHERE"; expected a code listed in regions']);
  });

  it("accepts an empty span (validTo equal to validFrom) and rejects a reversed one by the exact instant", async () => {
    const territories = JSON.stringify([
      { id: "T-1", partnerId: "P1", region: "CN", validFrom: "2025-03-01", validTo: "2025-03-01T00:00:00Z" },
      { id: "T-2", partnerId: "P1", region: "CN", validFrom: "2025-03-01T08:00:00+08:00", validTo: "2025-03-01T00:00:00.001Z" },
      { id: "T-3", partnerId: "P1", region: "CN", validFrom: "2025-03-01T08:00:00.002+08:00", validTo: "2025-03-01T00:00:00.001Z" },
    ]);
    const dataset = await loadDataset(await writeDataset({ "partners.json": partners, "territories.json": territories }));
    expectConservation(dataset);
    expect(dataset.reference.territories.map((t) => t.id)).toEqual(["T-1", "T-2"]);
    expect(reasonsOf(dataset.rejected, "territories.json")).toEqual([[2, SPAN]]);
  });

  it("counts a duplicate only against an accepted record: a rejected first copy does not make the second a duplicate", async () => {
    const dataset = await loadDataset(
      await writeDataset({
        "partners.json": partners,
        "events.ndjson": ndjson(order("o-1", { quantity: 0 }), order("o-1"), order("o-1")),
      }),
    );
    expectConservation(dataset);
    expect(dataset.events.map((e) => e.id)).toEqual(["o-1"]);
    expect(reasonsOf(dataset.rejected, "events.ndjson")).toEqual([
      [1, "quantity: must be greater than 0"],
      [3, 'id: duplicate event id "o-1"'],
    ]);
  });

  it("treats ids as trimmed strings: ' P1 ' is P1", async () => {
    const dataset = await loadDataset(
      await writeDataset({ "partners.json": partners, "events.ndjson": ndjson(order(" o-1 ", { partnerId: " P1 " }), order("o-1")) }),
    );
    expect(dataset.events.map((e) => [e.id, e.partnerId])).toEqual([["o-1", "P1"]]);
    expect(dataset.rejected.map((r) => r.reason)).toEqual(['id: duplicate event id "o-1"']);
  });
});
