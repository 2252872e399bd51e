import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadDataset } from "../../src/dataset/loadDataset.js";
import { expectConservation, ndjson, order, removeDatasets, writeDataset } from "./helpers.js";

afterAll(removeDatasets);

function expectPrototypesClean(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
  expect(Object.prototype.hasOwnProperty.call(Array.prototype, "polluted")).toBe(false);
}

afterEach(() => {
  // Never leak a polluted prototype into other tests, even when one fails.
  delete (Object.prototype as Record<string, unknown>).polluted;
  delete (Array.prototype as unknown as Record<string, unknown>).polluted;
});

const POISON = '"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}';

describe("input is data: keys cannot reach prototypes", () => {
  it("JSON and NDJSON records with __proto__ and constructor keys are read without polluting, and the keys are dropped", async () => {
    const root = await writeDataset({
      "partners.json": `[{"id": "P1", "channel": "retail", ${POISON}}]`,
      "events.ndjson": `{"id":"o-1","type":"order","occurredAt":"2025-03-01","partnerId":"P1","sku":"S","quantity":1,"unitPrice":1,"currency":"CNY","shipTo":{"region":"CN",${POISON}},${POISON}}\n`,
    });
    const dataset = await loadDataset(root);
    expectConservation(dataset);
    expectPrototypesClean();
    expect(dataset.rejected).toEqual([]);
    expect(Object.keys(dataset.reference.partners[0] ?? {})).toEqual(["id", "channel"]);
    const event = dataset.events[0] as Record<string, unknown>;
    expect(Object.hasOwn(event, "__proto__")).toBe(false);
    expect(Object.hasOwn(event, "constructor")).toBe(false);
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(Object.keys(event.shipTo as object)).toEqual(["region"]);
  });

  it("CSV headers such as __proto__.polluted and constructor.prototype.polluted are read without polluting", async () => {
    const root = await writeDataset({
      "partners.csv": "id,channel,__proto__.polluted,constructor.prototype.polluted,__proto__\nP1,retail,yes,yes,yes\n",
      "events.csv":
        "id,type,occurredAt,partnerId,sku,quantity,unitPrice,currency,shipTo.region,shipTo.__proto__.polluted,__proto__.polluted\n" +
        "o-1,order,2025-03-01,P1,S,1,1,CNY,CN,yes,yes\n",
    });
    const dataset = await loadDataset(root);
    expectConservation(dataset);
    expectPrototypesClean();
    expect(dataset.reference.partners).toEqual([{ id: "P1", channel: "retail" }]);
    expect(dataset.events.map((e) => e.id)).toEqual(["o-1"]);
    expect((dataset.events[0] as { shipTo?: unknown }).shipTo).toEqual({ region: "CN" });
  });

  it("in-memory records built by JSON.parse with __proto__ keys do not pollute", async () => {
    const events = JSON.parse(`[{"id":"o-1","type":"order","occurredAt":"2025-03-01","partnerId":"P1","sku":"S","quantity":1,"unitPrice":1,"currency":"CNY",${POISON}}]`) as unknown[];
    const dataset = await loadDataset({ partners: [{ id: "P1", channel: "retail" }], events: events as never });
    expectPrototypesClean();
    expect(dataset.events.map((e) => e.id)).toEqual(["o-1"]);
  });

  it("ids that name Object.prototype members are plain ids: known when listed, unknown when not, duplicates caught", async () => {
    const root = await writeDataset({
      "partners.json": JSON.stringify([{ id: "__proto__", channel: "retail" }, { id: "constructor", channel: "retail" }]),
      "products.json": JSON.stringify([{ sku: "hasOwnProperty" }]),
      "events.ndjson": ndjson(
        order("__proto__", { partnerId: "__proto__", sku: "hasOwnProperty" }),
        order("constructor", { partnerId: "constructor", sku: "hasOwnProperty" }),
        order("__proto__", { partnerId: "constructor", sku: "hasOwnProperty" }),
        order("o-4", { partnerId: "toString", sku: "hasOwnProperty" }),
        order("o-5", { partnerId: "__proto__", sku: "valueOf" }),
      ),
    });
    const dataset = await loadDataset(root);
    expectConservation(dataset);
    expectPrototypesClean();
    expect(dataset.events.map((e) => e.id)).toEqual(["__proto__", "constructor"]);
    expect(dataset.rejected.map((r) => [r.line, r.reason])).toEqual([
      [3, 'id: duplicate event id "__proto__"'],
      [4, 'partnerId: unknown partner "toString"; expected an id listed in partners'],
      [5, 'sku: unknown product "valueOf"; expected a sku listed in products'],
    ]);
  });
});
