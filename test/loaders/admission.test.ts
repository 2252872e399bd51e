import { afterAll, describe, expect, it } from "vitest";
import type { EventAdmission } from "../../src/dataset/admission.js";
import { collectEvents, loadDataset, openDataset } from "../../src/dataset/loadDataset.js";
import { DEFAULT_READ_LIMITS } from "../../src/io/readRecords.js";
import { ndjson, reasonsOf, removeDatasets, writeDataset } from "./helpers.js";

afterAll(removeDatasets);

const listing = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  type: "listing",
  occurredAt: "2025-03-01T10:00:00Z",
  partnerId: "P1",
  sku: "SKU-1",
  price: 90,
  currency: "CNY",
  ...fields,
});
const sale = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  type: "sale",
  occurredAt: "2025-03-01T11:00:00Z",
  partnerId: "P1",
  sku: "SKU-1",
  quantity: 1,
  unitPrice: 100,
  currency: "CNY",
  ...fields,
});
const partners = [{ id: "P1", channel: "reseller" }];
const products = [{ sku: "SKU-1" }];
// An unknown partner's listing, its repeat, an unknown partner's sale, a listing of an unknown sku, a fine listing.
const events = [
  listing("L1", { partnerId: "P-404" }),
  sale("S1", { partnerId: "P-404" }),
  listing("L2", { sku: "SKU-404" }),
  listing("L1", { partnerId: "P-404" }),
  listing("L3"),
];
const unknownPartner = 'partnerId: unknown partner "P-404"; expected an id listed in partners';
const unknownSku = 'sku: unknown product "SKU-404"; expected a sku listed in products';

/** The events kept and the rejections, read by each of the three readers with `admission`. */
async function readEach(admission?: EventAdmission) {
  const folder = await writeDataset({
    "partners.json": JSON.stringify(partners),
    "products.json": JSON.stringify(products),
    "events.ndjson": ndjson(...events),
  });
  const options = admission ? { admission } : undefined;
  const inWorker = await loadDataset(folder, DEFAULT_READ_LIMITS, options);
  const opened = await openDataset(folder, DEFAULT_READ_LIMITS, options);
  const inThreadEvents = await collectEvents({ ...opened, eventBatches: () => opened.eventBatches({ worker: false }) });
  const inMemory = await loadDataset({ partners, products, events } as never, DEFAULT_READ_LIMITS, options);
  return [
    { reader: "worker", ids: inWorker.events.map((e) => e.id), reasons: reasonsOf(inWorker.rejected, "events.ndjson") },
    { reader: "this thread", ids: inThreadEvents.map((e) => e.id), reasons: reasonsOf(opened.rejected, "events.ndjson") },
    { reader: "in memory", ids: inMemory.events.map((e) => e.id), reasons: reasonsOf(inMemory.rejected, "events").map(([index, reason]) => [index + 1, reason]) },
  ];
}

describe("the admission of events with unknown references", () => {
  it("by default, rejects every event of an unknown partner or sku, in every reader", async () => {
    for (const { reader, ids, reasons } of await readEach()) {
      expect({ reader, ids, reasons }).toEqual({
        reader,
        ids: ["L3"],
        reasons: [
          [1, unknownPartner],
          [2, unknownPartner],
          [3, unknownSku],
          [4, unknownPartner],
        ],
      });
    }
  });

  it("with { unknownPartners: ['listing'] }, accepts an unknown partner's listing, still rejects its sale and an unknown sku", async () => {
    for (const { reader, ids, reasons } of await readEach({ unknownPartners: ["listing"] })) {
      expect({ reader, ids, reasons }).toEqual({
        reader,
        ids: ["L1", "L3"],
        reasons: [
          [2, unknownPartner],
          [3, unknownSku],
          // Admitted, the first L1 was accepted: its repeat is a duplicate.
          [4, 'id: duplicate event id "L1"'],
        ],
      });
    }
  });

  it("with { unknownSkus: ['listing'] }, accepts a listing of an unknown sku, and nothing of an unknown partner", async () => {
    for (const { reader, ids, reasons } of await readEach({ unknownSkus: ["listing"] })) {
      expect({ reader, ids, reasons }).toEqual({
        reader,
        ids: ["L2", "L3"],
        reasons: [
          [1, unknownPartner],
          [2, unknownPartner],
          [4, unknownPartner],
        ],
      });
    }
  });
});
