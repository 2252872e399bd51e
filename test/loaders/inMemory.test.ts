import { describe, expect, it } from "vitest";
import { loadDataset, openDataset } from "../../src/dataset/loadDataset.js";
import { OptionsError } from "../../src/core/errors.js";
import { expectConservation, order } from "./helpers.js";
import { asEnglish } from "../helpers.js";

describe("in-memory collections", () => {
  const partners = [
    { id: "P1", channel: "distributor" },
    { id: "P2", channel: "nope" },
  ];

  it("validates arrays of plain objects like files; rejections carry the collection name and index", async () => {
    const dataset = await loadDataset({
      partners,
      regions: [{ code: "CN" }, { code: "CN-GD", parent: "CN" }, { code: "X", parent: "Y" }],
      territories: [{ id: "T-1", partnerId: "P1", region: "CN-GD", exclusive: true }],
      events: [order("o-1"), order("o-2", { partnerId: "P2" }), null, order("o-1", { occurredAt: "2025-03-02" })],
    } as never);
    expectConservation(dataset);
    expect(dataset.events).toEqual([
      {
        id: "o-1",
        type: "order",
        occurredAt: Date.parse("2025-03-01T09:00:00Z"),
        partnerId: "P1",
        sku: "SKU-1",
        quantity: 1,
        unitPrice: 100,
        currency: "CNY",
      },
    ]);
    expect(asEnglish(dataset.rejected)).toEqual([
      { file: "partners", index: 1, reason: expect.stringMatching(/^channel: must be one of .*, got "nope"$/) },
      { file: "regions", index: 2, reason: 'parent: unknown region "Y"; expected a code listed in regions' },
      { file: "events", index: 1, reason: 'partnerId: unknown partner "P2"; expected an id listed in partners' },
      { file: "events", index: 2, reason: "(record): expected object, got null" },
      { file: "events", index: 3, reason: 'id: duplicate event id "o-1"' },
    ]);
    expect(dataset.reference.territories).toEqual([{ id: "T-1", partnerId: "P1", region: "CN-GD", exclusive: true }]);
    expect([...dataset.present].sort()).toEqual(["partners", "regions", "territories"]);
  });

  // A valid Date is a time (test/types/dateTimes.test.ts); one whose time is NaN is not.
  it("rejects values that are no time or amount: an invalid Date, NaN, Infinity", async () => {
    const dataset = await loadDataset({
      partners,
      events: [
        order("o-1", { occurredAt: new Date("not a date") }),
        order("o-2", { unitPrice: Number.NaN }),
        order("o-3", { quantity: Number.POSITIVE_INFINITY }),
      ],
    } as never);
    expectConservation(dataset);
    expect(dataset.rejected.filter((r) => r.file === "events").map((r) => [r.index, r.reason])).toEqual([
      [0, "occurredAt: must be a valid Date, got an invalid Date (its time is NaN)"],
      [1, "unitPrice: must be a finite number, got NaN"],
      [2, "quantity: must be a finite number, got Infinity"],
    ]);
  });

  it("does not change the caller's objects", async () => {
    const event = Object.freeze(order("o-1", { shipTo: Object.freeze({ region: "CN" }) }));
    const input = Object.freeze({ partners: Object.freeze([Object.freeze({ id: "P1", channel: "retail" })]), events: Object.freeze([event]) });
    const before = JSON.stringify(input);
    const dataset = await loadDataset(input as never);
    expect(dataset.events).toHaveLength(1);
    expect(JSON.stringify(input)).toBe(before);
    expect(dataset.events[0]).not.toBe(event);
  });

  it("treats a missing or undefined collection as absent and an empty one as present", async () => {
    const dataset = await loadDataset({ partners, products: [], customers: undefined } as never);
    expect(dataset.events).toEqual([]);
    expect(dataset.counts.events).toEqual({ read: 0, accepted: 0, rejected: 0 });
    expect([...dataset.present].sort()).toEqual(["partners", "products"]);
  });

  it("refuses what is not a folder path or an object of arrays, with an OptionsError", async () => {
    await expect(loadDataset(null as never)).rejects.toThrow(OptionsError);
    await expect(loadDataset([] as never)).rejects.toThrow(
      "dataset: expected a folder path or an object of collections such as { partners, events }",
    );
    await expect(loadDataset({ events: "events.ndjson" } as never)).rejects.toThrow("dataset.events: expected an array of records, got string");
    await expect(loadDataset({ partners: { P1: {} } } as never)).rejects.toThrow("dataset.partners: expected an array of records, got object");
  });

  it("opens a dataset whose events can be read again and again", async () => {
    const opened = await openDataset({ partners, events: [order("o-1"), order("o-2")] } as never);
    const ids = async () => {
      const out: unknown[] = [];
      for await (const raw of opened.rawEvents()) out.push("value" in raw ? (raw.value as { id: string }).id : raw.error);
      return out;
    };
    expect(await ids()).toEqual(["o-1", "o-2"]);
    expect(await ids()).toEqual(["o-1", "o-2"]);
  });
});
