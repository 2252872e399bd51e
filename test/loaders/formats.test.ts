import { afterAll, describe, expect, it } from "vitest";
import { loadDataset } from "../../src/dataset/loadDataset.js";
import { ChannelConflictError, DatasetError, LimitError } from "../../src/core/errors.js";
import { DEFAULT_READ_LIMITS } from "../../src/io/readRecords.js";
import { expectConservation, loaderFixture, ndjson, order, removeDatasets, writeDataset } from "./helpers.js";
import { asEnglish } from "../helpers.js";

afterAll(removeDatasets);

const at = (iso: string) => Date.parse(iso);
const PARTNERS_JSON = JSON.stringify([{ id: "P1", channel: "distributor" }]);

describe("JSON array files", () => {
  it("reads every collection written as a JSON array; a bad element is rejected by its index", async () => {
    const dataset = await loadDataset(loaderFixture("formats-json"));
    expectConservation(dataset);
    expect(dataset.reference.partners).toEqual([
      { id: "P1", name: "Acme Distribution", channel: "distributor", homeRegion: "CN" },
      { id: "P2", channel: "reseller", parentId: "P1" },
    ]);
    expect(dataset.reference.products).toEqual([
      { sku: "SKU-1", name: "Phone", category: "phones", listPrice: 120, currency: "CNY" },
    ]);
    expect(dataset.events).toEqual([
      {
        id: "o-1",
        type: "order",
        occurredAt: at("2025-03-01T09:00:00Z"),
        partnerId: "P1",
        sku: "SKU-1",
        quantity: 2,
        unitPrice: 99.5,
        currency: "CNY",
        shipTo: { region: "CN-GD", country: "CN" },
      },
      { id: "l-1", type: "listing", occurredAt: at("2025-03-02T00:00:00Z"), partnerId: "P2", sku: "SKU-1", price: 89.9, currency: "CNY" },
      { id: "a-1", type: "allocation", occurredAt: at("2025-02-01T00:00:00Z"), partnerId: "P1", sku: "SKU-1", lot: "L-7", quantity: 100 },
    ]);
    expect(asEnglish(dataset.rejected)).toEqual([{ file: "events.json", index: 2, reason: "quantity: must be greater than 0" }]);
    expect(dataset.counts.events).toEqual({ read: 4, accepted: 3, rejected: 1 });
    expect([...dataset.present].sort()).toEqual(["partners", "products"]);
  });

  it("reads a JSON file that starts with a BOM", async () => {
    const root = await writeDataset({ "partners.json": `\ufeff${PARTNERS_JSON}`, "events.json": `\ufeff${JSON.stringify([order("o-1")])}` });
    const dataset = await loadDataset(root);
    expect(dataset.events.map((e) => e.id)).toEqual(["o-1"]);
    expect(dataset.rejected).toEqual([]);
  });

  it("refuses a JSON file that does not parse, naming the file", async () => {
    const root = await writeDataset({ "partners.json": '[{"id": "P1",', "events.ndjson": "" });
    const error = await loadDataset(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).code).toBe("DATASET_UNREADABLE");
    expect((error as DatasetError).file).toBe("partners.json");
    expect((error as Error).message).toMatch(/^partners\.json: not valid JSON \(.+\); expected an array of records$/);
  });

  it("refuses a JSON file that holds something other than an array", async () => {
    const root = await writeDataset({ "partners.json": '{"id": "P1"}' });
    await expect(loadDataset(root)).rejects.toThrow("partners.json: expected a JSON array of records, got object");
    const nullRoot = await writeDataset({ "partners.json": "null" });
    await expect(loadDataset(nullRoot)).rejects.toThrow("partners.json: expected a JSON array of records, got null");
  });

  it("refuses a JSON file over maxJsonFileBytes with a LimitError that names the limit", async () => {
    const root = await writeDataset({ "partners.json": PARTNERS_JSON });
    const error = await loadDataset(root, { ...DEFAULT_READ_LIMITS, maxJsonFileBytes: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitError);
    expect(error).toBeInstanceOf(ChannelConflictError);
    expect((error as LimitError).limit).toBe("maxJsonFileBytes");
    expect((error as Error).message).toMatch(/^partners\.json: the JSON file is \d+ bytes, over maxJsonFileBytes \(10\)/);
  });
});

describe("NDJSON and JSONL files", () => {
  it("skips blank and whitespace-only lines but counts them in line numbers; a line that is not JSON is rejected by line", async () => {
    const dataset = await loadDataset(loaderFixture("formats-ndjson"));
    expectConservation(dataset);
    expect(dataset.events.map((e) => [e.id, e.occurredAt])).toEqual([
      ["o-1", at("2025-03-01T09:00:00Z")],
      ["l-1", at("2025-03-02T02:00:00Z")],
      ["a-1", at("2025-02-01T00:00:00Z")],
    ]);
    expect(asEnglish(dataset.rejected)).toEqual([
      { file: "events.ndjson", line: 5, reason: expect.stringMatching(/^not valid JSON \(.+\)$/) },
    ]);
    expect(dataset.counts.events).toEqual({ read: 4, accepted: 3, rejected: 1 });
  });

  it("reads .jsonl like .ndjson", async () => {
    const dataset = await loadDataset(loaderFixture("formats-jsonl"));
    expectConservation(dataset);
    expect(dataset.events.map((e) => e.id)).toEqual(["s-1", "s-2"]);
    expect(dataset.reference.partners).toEqual([{ id: "P1", channel: "retail" }]);
  });

  it("reads CRLF line ends and a leading BOM, with line numbers unchanged", async () => {
    const lines = ["\ufeff" + JSON.stringify(order("o-1")), "", JSON.stringify(order("o-2", { quantity: -1 })), JSON.stringify(order("o-3"))];
    const root = await writeDataset({ "partners.json": PARTNERS_JSON, "events.ndjson": lines.join("\r\n") + "\r\n" });
    const dataset = await loadDataset(root);
    expectConservation(dataset);
    expect(dataset.events.map((e) => e.id)).toEqual(["o-1", "o-3"]);
    expect(asEnglish(dataset.rejected)).toEqual([{ file: "events.ndjson", line: 3, reason: "quantity: must be greater than 0" }]);
  });

  it("rejects a line over maxRecordBytes with its line number and reads the rest of the file", async () => {
    const long = JSON.stringify(order("o-2", { url: "x".repeat(1000) }));
    const root = await writeDataset({
      "partners.json": PARTNERS_JSON,
      "events.ndjson": [JSON.stringify(order("o-1")), long, JSON.stringify(order("o-3"))].join("\n"),
    });
    const dataset = await loadDataset(root, { ...DEFAULT_READ_LIMITS, maxRecordBytes: 500 });
    expectConservation(dataset);
    expect(dataset.events.map((e) => e.id)).toEqual(["o-1", "o-3"]);
    expect(asEnglish(dataset.rejected)).toEqual([
      { file: "events.ndjson", line: 2, reason: "line is longer than maxRecordBytes (500 bytes)" },
    ]);
  });

  it("rejects over-long lines that span many read chunks and keeps every line after them", async () => {
    // 64 KiB read chunks: a 300 KB line spans several.
    const records = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify(order(`o-${i}`, i % 50 === 7 ? { url: "y".repeat(300_000) } : {})),
    );
    const root = await writeDataset({ "partners.json": PARTNERS_JSON, "events.ndjson": records.join("\n") });
    const dataset = await loadDataset(root, { ...DEFAULT_READ_LIMITS, maxRecordBytes: 100_000 });
    expectConservation(dataset);
    expect(dataset.counts.events).toEqual({ read: 200, accepted: 196, rejected: 4 });
    expect(dataset.rejected.map((r) => r.line)).toEqual([8, 58, 108, 158]);
    expect(dataset.events.at(-1)?.id).toBe("o-199");
  });
});

describe("CSV files", () => {
  it("reads quoted cells, dotted headers, | lists, booleans and empty cells; ignores extra columns; rejects a row with the wrong cell count", async () => {
    const dataset = await loadDataset(loaderFixture("formats-csv"));
    expectConservation(dataset);
    expect(dataset.reference.partners).toEqual([
      { id: "P1", name: "Acme Distribution, Ltd.", channel: "distributor", homeRegion: "CN" },
      { id: "P2", name: 'Shenzhen "Best" Reseller', channel: "reseller", parentId: "P1", homeRegion: "CN-GD-SZ" },
      { id: "P3", name: "Acme\nOnline", channel: "ecommerce" },
    ]);
    expect(dataset.reference.regions).toEqual([
      { code: "CN", name: "China" },
      { code: "CN-GD", name: "Guangdong", parent: "CN" },
      { code: "CN-GD-SZ", name: "Shenzhen", parent: "CN-GD" },
    ]);
    expect(dataset.reference.products).toEqual([
      { sku: "SKU-1", name: "Phone", category: "phones", listPrice: 120.5, currency: "CNY" },
      { sku: "SKU-2", name: "Tablet", category: "tablets", listPrice: 300, currency: "CNY" },
    ]);
    expect(dataset.reference.territories).toEqual([
      {
        id: "T-1",
        partnerId: "P1",
        region: "CN-GD",
        exclusive: true,
        skus: ["SKU-1", "SKU-2"],
        validFrom: at("2025-01-01T00:00:00Z"),
        validTo: at("2026-01-01T00:00:00Z"),
      },
      { id: "T-2", partnerId: "P2", region: "CN-GD-SZ", exclusive: false, categories: ["phones", "tablets"] },
      // An empty `exclusive` cell is absent, so the default applies.
      { id: "T-3", partnerId: "P3", region: "CN", exclusive: false },
    ]);
    expect(dataset.events).toEqual([
      {
        id: "o-1",
        type: "order",
        occurredAt: at("2025-03-01T09:00:00Z"),
        partnerId: "P1",
        sku: "SKU-1",
        customerId: "C-1",
        quantity: 3,
        unitPrice: 99.5,
        currency: "CNY",
        // A string field keeps its text: the postal code is not turned into a number.
        shipTo: { region: "CN-GD", country: "CN", postalCode: "518000" },
      },
      // Every shipTo.* cell is empty: shipTo is absent, not an empty object.
      { id: "o-2", type: "sale", occurredAt: at("2025-03-01T00:00:00Z"), partnerId: "P2", sku: "SKU-1", quantity: 1, unitPrice: 100, currency: "CNY" },
      {
        id: "l-1",
        type: "listing",
        occurredAt: at("2025-03-02T02:00:00Z"),
        partnerId: "P3",
        sku: "SKU-2",
        price: 89.9,
        currency: "CNY",
        url: "https://shop.example/a,b",
      },
      { id: "a-1", type: "allocation", occurredAt: at("2025-03-01T00:00:00Z"), partnerId: "P1", sku: "SKU-1", lot: "L-7", quantity: 50 },
    ]);
    // The `note` column is not a field: it is dropped, and its embedded newline does not shift the line numbers.
    expect(asEnglish(dataset.rejected)).toEqual([
      { file: "events.csv", line: 7, reason: "CSV row has 10 cells; expected 16, one per header column" },
    ]);
  });

  it("reads a BOM, CRLF line ends and blank lines, numbering rows by the line they start on", async () => {
    const csv = [
      "\ufeffid,type,occurredAt,partnerId,sku,quantity,unitPrice,currency,url",
      "o-1,order,2025-03-01,P1,SKU-1,1,10,CNY,",
      "",
      'l-1,listing,2025-03-01,P1,SKU-1,,,CNY,"a\r\nb"',
      "o-2,order,2025-03-01,P1,SKU-1,0,10,CNY,",
      "",
    ].join("\r\n");
    const root = await writeDataset({ "partners.json": PARTNERS_JSON, "events.csv": csv });
    const dataset = await loadDataset(root);
    expectConservation(dataset);
    expect(dataset.events.map((e) => e.id)).toEqual(["o-1"]);
    expect(asEnglish(dataset.rejected)).toEqual([
      { file: "events.csv", line: 4, reason: "price: expected number, got nothing (the field is missing)" },
      { file: "events.csv", line: 6, reason: "quantity: must be greater than 0" },
    ]);
  });

  it("converts cells by the field's type and lets validation name what does not fit", async () => {
    const csv = [
      "id,type,occurredAt,partnerId,sku,quantity,unitPrice,currency,shipTo.country",
      "o-1,order,2025-03-01,P1,SKU-1,abc,10,CNY,",
      "o-2,order,2025-03-01,P1,SKU-1,1,1e400,CNY,",
      "o-3,order,2025-03-01,P1,SKU-1,1,10,CNY,CN",
      "o-4,order,2025-03-01,P1,SKU-1, 2 ,+1.5e1,CNY,",
    ].join("\n");
    const root = await writeDataset({ "partners.json": PARTNERS_JSON, "events.csv": csv });
    const dataset = await loadDataset(root);
    expectConservation(dataset);
    expect(asEnglish(dataset.rejected)).toEqual([
      { file: "events.csv", line: 2, reason: 'quantity: expected number, got "abc"' },
      { file: "events.csv", line: 3, reason: "unitPrice: must be a finite number, got Infinity" },
      // A nested object with some cells filled is present, and must be whole.
      { file: "events.csv", line: 4, reason: "shipTo.region: expected string, got nothing (the field is missing)" },
    ]);
    expect(dataset.events).toEqual([
      { id: "o-4", type: "order", occurredAt: at("2025-03-01T00:00:00Z"), partnerId: "P1", sku: "SKU-1", quantity: 2, unitPrice: 15, currency: "CNY" },
    ]);
  });

  it("rejects a boolean cell other than true/false (in any case, as Excel writes TRUE) and an empty list item, naming the field", async () => {
    const csv = ["id,partnerId,region,exclusive,skus", "T-1,P1,CN,yes,", "T-2,P1,CN,TRUE,", "T-3,P1,CN,,SKU-1||SKU-2", "T-4,P1,CN,false,SKU-1"].join("\n");
    const root = await writeDataset({ "partners.json": PARTNERS_JSON, "territories.csv": csv, "events.ndjson": "" });
    const dataset = await loadDataset(root);
    expectConservation(dataset);
    expect(asEnglish(dataset.rejected)).toEqual([
      { file: "territories.csv", line: 2, reason: 'exclusive: expected boolean, got "yes"' },
      { file: "territories.csv", line: 4, reason: "skus[1]: must be a non-empty string" },
    ]);
    expect(dataset.reference.territories).toEqual([
      { id: "T-2", partnerId: "P1", region: "CN", exclusive: true },
      { id: "T-4", partnerId: "P1", region: "CN", exclusive: false, skus: ["SKU-1"] },
    ]);
  });

  it("rejects a record over maxRecordBytes, even one held open by a quote over many lines, and reads the rest", async () => {
    const header = "id,type,occurredAt,partnerId,sku,quantity,unitPrice,currency,url";
    const row = (id: string, url = "") => `${id},order,2025-03-01,P1,SKU-1,1,10,CNY,${url}`;
    const csv = [header, row("o-1"), row("o-2", "z".repeat(200_000)), row("o-3", `"${"q\n".repeat(100_000)}"`), row("o-4"), ""].join("\n");
    const root = await writeDataset({ "partners.json": PARTNERS_JSON, "events.csv": csv });
    const dataset = await loadDataset(root, { ...DEFAULT_READ_LIMITS, maxRecordBytes: 1000 });
    expectConservation(dataset);
    expect(dataset.events.map((e) => e.id)).toEqual(["o-1", "o-4"]);
    expect(asEnglish(dataset.rejected)).toEqual([
      { file: "events.csv", line: 3, reason: "record is longer than maxRecordBytes (1000 bytes)" },
      { file: "events.csv", line: 4, reason: "record is longer than maxRecordBytes (1000 bytes)" },
    ]);
    expect(dataset.counts.events).toEqual({ read: 4, accepted: 2, rejected: 2 });
  });

  it("rejects a malformed quote once, by line, and reads on", async () => {
    const csv = ["id,partnerId,channel", 'P1,x,re"tail', "P2,x,retail", '"P3"x,y,retail', "P4,y,retail"].join("\n");
    const root = await writeDataset({ "partners.csv": csv, "events.ndjson": "" });
    const dataset = await loadDataset(root);
    expectConservation(dataset);
    expect(dataset.reference.partners.map((p) => p.id)).toEqual(["P2", "P4"]);
    expect(asEnglish(dataset.rejected)).toEqual([
      {
        file: "partners.csv",
        line: 2,
        reason: 'CSV: cell 3 has a quote inside an unquoted value; expected the whole cell in quotes, with inner quotes doubled ("")',
      },
      { file: "partners.csv", line: 4, reason: 'CSV: cell 1 has "x" after its closing quote; expected "," or the end of the line' },
    ]);
  });

  it("reads a header-only CSV as a present, empty collection", async () => {
    const root = await writeDataset({ "partners.json": PARTNERS_JSON, "products.csv": "sku,name\n", "events.ndjson": "" });
    const dataset = await loadDataset(root);
    expect(dataset.present.has("products")).toBe(true);
    expect(dataset.reference.products).toEqual([]);
    expect(dataset.counts.products).toEqual({ read: 0, accepted: 0, rejected: 0 });
  });

  it("refuses a CSV whose header row cannot be read", async () => {
    const root = await writeDataset({ "partners.csv": 'id,"name\nP1,x\n' });
    const error = await loadDataset(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toBe(
      "partners.csv:1: the header row cannot be read: CSV: the quoted cell 2 opened on line 1 is never closed; expected a closing quote",
    );
  });
});

describe("collection folders and sources", () => {
  it("reads the files of a collection folder in name order, whatever their format, and ignores other files", async () => {
    const dataset = await loadDataset(loaderFixture("collection-folder"));
    expectConservation(dataset);
    expect(dataset.events.map((e) => e.id)).toEqual(["e-1", "e-2", "e-3"]);
    // e-1 comes again in the later file: that one is the duplicate.
    expect(asEnglish(dataset.rejected)).toEqual([{ file: "events/part-0002.csv", line: 3, reason: 'id: duplicate event id "e-1"' }]);
  });

  it("orders folder files by name, not by the order the folder lists them", async () => {
    const root = await writeDataset({
      "partners.json": PARTNERS_JSON,
      "events/part-0010.ndjson": ndjson(order("e-10")),
      "events/part-0002.json": JSON.stringify([order("e-2")]),
      "events/part-0001.csv": "id,type,occurredAt,partnerId,sku,quantity,unitPrice,currency\ne-1,order,2025-03-01,P1,SKU-1,1,1,CNY\n",
      "events/part-0003.jsonl": ndjson(order("e-3")),
    });
    const dataset = await loadDataset(root);
    expectConservation(dataset);
    expect(dataset.events.map((e) => e.id)).toEqual(["e-1", "e-2", "e-3", "e-10"]);
  });

  it("refuses a collection with two sources, naming both", async () => {
    const error = await loadDataset(loaderFixture("two-sources")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toMatch(
      /two-sources: collection "events" has 2 sources \(events\/, events\.ndjson\); expected exactly one file or folder$/,
    );
    const root = await writeDataset({ "partners.json": PARTNERS_JSON, "partners.csv": "id,channel\n", "events.ndjson": "" });
    await expect(loadDataset(root)).rejects.toThrow(
      'collection "partners" has 2 sources (partners.csv, partners.json); expected exactly one file or folder',
    );
  });

  it("lets every collection but events be absent, and tells absent from empty", async () => {
    const root = await writeDataset({ "partners.json": PARTNERS_JSON, "regions.json": "[]", "events.ndjson": ndjson(order("o-1")) });
    const dataset = await loadDataset(root);
    expectConservation(dataset);
    expect([...dataset.present].sort()).toEqual(["partners", "regions"]);
    expect(dataset.events.map((e) => e.id)).toEqual(["o-1"]);
  });

  it("refuses a dataset path that is missing or not a folder", async () => {
    const root = await writeDataset({ "partners.json": PARTNERS_JSON });
    const missing = await loadDataset(`${root}/nope`).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DatasetError);
    expect((missing as Error).message).toMatch(/nope: cannot read the dataset folder \(ENOENT/);
    await expect(loadDataset(`${root}/partners.json`)).rejects.toThrow("partners.json: is not a folder; expected a dataset folder");
  });
});
