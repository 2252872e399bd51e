// The dataset manifest (README "Real exports: channel-conflict.yaml"): how exports that are not in the
// contract's shape are read — files by glob, formats, encodings, delimiters, field maps, value maps, date
// and number formats, the time zone — and how a manifest with problems is refused, each problem named.
import { afterAll, describe, expect, it } from "vitest";
import { DatasetError, OptionsError } from "../../src/core/errors.js";
import { loadDataset } from "../../src/dataset/loadDataset.js";
import { scan } from "../../src/scan/scan.js";
import { checkManifest } from "../../src/schema/manifest.js";
import { compileNumberFormat, numberFormatProblem } from "../../src/schema/numberFormat.js";
import { ndjson, removeDatasets, writeDataset } from "./helpers.js";

afterAll(removeDatasets);

async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  if (!outcome) throw new Error("expected a failure, and it succeeded");
  return outcome;
}

function problemsOf(document: unknown): string[] {
  const checked = checkManifest(document, "channel-conflict.yaml");
  if ("manifest" in checked) return [];
  return checked.problems.map((problem) => `${problem.path.join(".")}: ${problem.message}`);
}

describe("checkManifest", () => {
  it("names every problem by its path, with the closest name where one is near", () => {
    const problems = problemsOf({
      timezone: "Asia/Shanghai",
      collections: {
        partner: { files: ["partners.csv"] },
        events: {
          encoding: "gb1803",
          delimiter: ";;",
          files: ["../outside/*.csv"],
          fields: {
            occuredAt: "下单时间",
            id: { column: "订单号", value: "x" },
            sku: { column: "商品编码", format: "#,##0" },
            quantity: { column: "数量", format: "#,##0.0.0" },
            partnerId: { colum: "经销商编码" },
          },
        },
      },
    });
    expect(problems).toEqual([
      "collections.events.fields.partnerId.colum: unknown key; did you mean column?",
      "timezone: unknown key; did you mean timeZone?",
    ]);
    // Once the shape is right, the values are checked.
    const values = problemsOf({
      timeZone: "Asia/Shangai",
      collections: {
        partner: { files: ["partners.csv"] },
        events: {
          encoding: "gb1803",
          delimiter: ";;",
          files: ["../outside/*.csv"],
          fields: {
            occuredAt: "下单时间",
            id: { column: "订单号", value: "x" },
            sku: { column: "商品编码", format: "#,##0" },
            quantity: { column: "数量", format: "#,##0.0.0" },
            occurredAt: { column: "下单时间", format: "YYYY-MM-DD" },
          },
        },
      },
    });
    expect(values).toEqual([
      'timeZone: "Asia/Shangai" is not an IANA time zone; did you mean Asia/Shanghai?',
      'collections.partner: no collection is named "partner"; did you mean partners?',
      'collections.events.files.0: "../outside/*.csv" leaves the dataset folder; globs are relative to it',
      'collections.events.encoding: "gb1803" is not an encoding label; did you mean gb18030?',
      expect.stringMatching(/^collections\.events\.delimiter: must be one ASCII character/),
      'collections.events.fields.occuredAt: events has no field "occuredAt"; did you mean occurredAt?',
      "collections.events.fields.id: gives both a column and a value; give one",
      "collections.events.fields.sku.format: a format applies to time and number fields only; this field is a string",
      'collections.events.fields.quantity.format: "#,##0.0.0" has its decimal separator "." twice',
      expect.stringMatching(/^collections\.events\.fields\.occurredAt\.format: .*yyyy/),
    ]);
  });

  it("reads a column name as shorthand for { column }, and accepts a single glob as a list of one", () => {
    const checked = checkManifest({ collections: { partners: { files: "crm/*.csv", fields: { id: "编码" } } } }, "channel-conflict.yaml");
    expect(checked).toEqual({ manifest: { file: "channel-conflict.yaml", collections: { partners: { files: ["crm/*.csv"], fields: { id: { column: "编码" } } } } } });
  });
});

describe("number formats", () => {
  it("read grouping and decimal separators as the pattern says, grouping optional, groups of three", () => {
    const read = compileNumberFormat("#,##0.00");
    expect(read("1,900.50")).toBe(1900.5);
    expect(read("1900.5")).toBe(1900.5);
    expect(read(" 1,234,567 ")).toBe(1234567);
    expect(read("-1,049.00")).toBe(-1049);
    expect(read("1,90.00")).toBeUndefined();
    expect(read("19,0000")).toBeUndefined();
    expect(read("1.900,50")).toBeUndefined();
    expect(read("abc")).toBeUndefined();
    const european = compileNumberFormat("#.##0,00");
    expect(european("1.900,50")).toBe(1900.5);
    expect(european("1900,5")).toBe(1900.5);
    expect(compileNumberFormat("0,00")("12,5")).toBe(12.5);
    expect(compileNumberFormat("# ##0")("1 900")).toBe(1900);
  });

  it("take a literal prefix or suffix, present or not", () => {
    const yuan = compileNumberFormat("¥#,##0.00");
    expect(yuan("¥1,049.00")).toBe(1049);
    expect(yuan("1,049.00")).toBe(1049);
    expect(compileNumberFormat("#,##0.00 元")("1,049.00 元")).toBe(1049);
  });

  it("refuse patterns that cannot be read", () => {
    expect(numberFormatProblem("abc")).toMatch(/no digit placeholder/);
    expect(numberFormatProblem("#,##0.00")).toBeUndefined();
    expect(numberFormatProblem("#x##0")).toMatch(/among its digits/);
  });
});

const PARTNERS = JSON.stringify([
  { id: "D-华南", name: "南粤电子", channel: "distributor" },
  { id: "D-华北", name: "北辰电子", channel: "distributor" },
]);

describe("a dataset read through its manifest", () => {
  it("maps columns in any language, constants, value maps with \"*\", date and number formats", async () => {
    const folder = await writeDataset({
      "channel-conflict.yaml": [
        "timeZone: Asia/Shanghai",
        "collections:",
        "  events:",
        "    files: [orders/*.ndjson]",
        "    fields:",
        "      id: 单号",
        "      type: { column: 类型, map: { 订单: order, 销售: sale } }",
        '      occurredAt: { column: 时间, format: "yyyy/MM/dd HH:mm" }',
        "      partnerId: 经销商",
        "      sku: 商品",
        '      quantity: { column: 数量, format: "#,##0" }',
        '      unitPrice: { column: 单价, format: "#,##0.00" }',
        "      currency: { value: CNY }",
        '      shipTo.region: { column: 省份, map: { 广东: CN-GD, "*": "*" } }',
        "",
      ].join("\n"),
      "partners.json": PARTNERS,
      "orders/2025-03.ndjson": ndjson(
        { 单号: "O-1", 类型: "订单", 时间: "2025/03/01 08:30", 经销商: "D-华南", 商品: "S1", 数量: "1,200", 单价: "1,049.50", 省份: "广东", 备注: "ignored" },
        { 单号: "O-2", 类型: "销售", 时间: "2025/03/01 09:00", 经销商: "D-华北", 商品: "S1", 数量: 3, 单价: "99.00", 省份: "CN-ZJ" },
        { 单号: "O-3", 类型: "退货", 时间: "2025/03/01 09:00", 经销商: "D-华北", 商品: "S1", 数量: 3, 单价: "99.00" },
        { 单号: "O-4", 类型: "订单", 时间: "2025-03-01 09:00", 经销商: "D-华北", 商品: "S1", 数量: 3, 单价: "99.00" },
        { 单号: "O-5", 类型: "订单", 时间: "2025/03/01 09:00", 经销商: "D-华北", 商品: "S1", 数量: 3, 单价: "9,9.00" },
      ),
    });
    const dataset = await loadDataset(folder);
    expect(dataset.timeZone).toBe("Asia/Shanghai");
    expect(dataset.events).toEqual([
      {
        id: "O-1",
        type: "order",
        occurredAt: Date.UTC(2025, 2, 1, 0, 30),
        partnerId: "D-华南",
        sku: "S1",
        quantity: 1200,
        unitPrice: 1049.5,
        currency: "CNY",
        shipTo: { region: "CN-GD" },
      },
      {
        id: "O-2",
        type: "sale",
        occurredAt: Date.UTC(2025, 2, 1, 1, 0),
        partnerId: "D-华北",
        sku: "S1",
        quantity: 3,
        unitPrice: 99,
        currency: "CNY",
        shipTo: { region: "CN-ZJ" },
      },
    ]);
    expect(dataset.rejected.map((r) => `${r.file}:${r.line}: ${r.reason}`)).toEqual([
      'orders/2025-03.ndjson:3: column "类型": "退货" is not in the map of type ("订单", "销售"); add it, or a "*" entry for every other value',
      'orders/2025-03.ndjson:4: column "时间": "2025-03-01 09:00" does not follow the date format "yyyy/MM/dd HH:mm" of occurredAt',
      'orders/2025-03.ndjson:5: column "单价": "9,9.00" does not follow the number format "#,##0.00" of unitPrice',
    ]);
  });

  it("reads a CSV with another delimiter and rows above its header, and names a mapped column its header lacks", async () => {
    const manifest = (column: string) =>
      [
        "collections:",
        "  partners:",
        "    delimiter: ;",
        "    skipRows: 1",
        "    fields:",
        `      id: ${column}`,
        "      name: 名称",
        "      channel: { column: 渠道, map: { 经销商: distributor, 零售: retail } }",
        "",
      ].join("\n");
    const files = {
      "partners.csv": "经销商名录 2025;;\r\n编码;名称;渠道\r\nD-1;南粤;经销商\r\nR-1;明亮;零售\r\n",
      "events.ndjson": ndjson({ id: "L-1", type: "listing", occurredAt: "2025-03-01T00:00:00Z", partnerId: "R-1", sku: "S1", price: 5, currency: "CNY" }),
    };
    const good = await loadDataset(await writeDataset({ ...files, "channel-conflict.yaml": manifest("编码") }));
    expect(good.reference.partners).toEqual([
      { id: "D-1", name: "南粤", channel: "distributor" },
      { id: "R-1", name: "明亮", channel: "retail" },
    ]);
    const error = await failure(loadDataset(await writeDataset({ ...files, "channel-conflict.yaml": manifest("编号") })));
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.message).toBe('partners.csv:2: the header has no column "编号", which channel-conflict.yaml maps a field of partners to; the closest is "编码"');
  });

  it("refuses a manifest with problems, each named by line and path, with the closest name", async () => {
    const folder = await writeDataset({
      "channel-conflict.yaml": ["timeZone: Asia/Shanghai", "collections:", "  events:", "    encoding: gbk", "    fields:", "      occuredAt: 时间", ""].join("\n"),
      "events.csv": "id\n",
    });
    const error = (await failure(scan(folder))) as DatasetError;
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.code).toBe("MANIFEST_INVALID");
    expect(error.problems).toEqual(['channel-conflict.yaml:6: collections.events.fields.occuredAt: events has no field "occuredAt"; did you mean occurredAt?']);
  });

  it("refuses a manifest that is not YAML, naming the line", async () => {
    const folder = await writeDataset({ "channel-conflict.yaml": "collections:\n  events: [\n", "events.ndjson": "" });
    const error = (await failure(loadDataset(folder))) as DatasetError;
    expect(error.code).toBe("MANIFEST_INVALID");
    expect(error.message).toMatch(/^channel-conflict\.yaml: not valid YAML: line \d+:/);
  });

  it("fails when a collection's globs match no file, and warns for a glob of several that matches none", async () => {
    const base = { "partners.json": PARTNERS };
    const none = await writeDataset({ ...base, "channel-conflict.yaml": "collections:\n  events:\n    files: [erp/*.csv]\n" });
    const error = (await failure(scan(none))) as DatasetError;
    expect(error.code).toBe("MANIFEST_INVALID");
    expect(error.message).toBe('channel-conflict.yaml: collections.events.files: "erp/*.csv" matches no file in the dataset folder');
    const some = await writeDataset({
      ...base,
      "channel-conflict.yaml": "collections:\n  events:\n    files: [erp/*.ndjson, pos/*.ndjson]\n",
      "erp/1.ndjson": ndjson({ id: "L-1", type: "listing", occurredAt: "2025-03-01T00:00:00Z", partnerId: "D-华南", sku: "S1", price: 5, currency: "CNY" }),
      "events.ndjson": ndjson({ id: "L-2", type: "listing", occurredAt: "2025-03-01T00:00:00Z", partnerId: "D-华南", sku: "S1", price: 5, currency: "CNY" }),
    });
    const report = await scan(some);
    expect(report.summary.events).toBe(1);
    expect(report.summary.warnings.map((w) => w.message)).toEqual([
      'channel-conflict.yaml: collections.events.files.1: "pos/*.ndjson" matches no file',
      "events.ndjson: not read, channel-conflict.yaml reads events from erp/*.ndjson, pos/*.ndjson",
    ]);
  });
});

describe("time zones", () => {
  // A "618" promotion from June 1st: in Beijing it starts at midnight Beijing time, not at 08:00.
  const sale = { id: "S-1", type: "sale" as const, occurredAt: "2025-06-01T00:05:00+08:00", partnerId: "P1", sku: "S1", quantity: 1, unitPrice: 75, currency: "CNY" };
  const dataset = {
    partners: [{ id: "P1", channel: "distributor" as const }],
    products: [{ sku: "S1", listPrice: 100, currency: "CNY" }],
    pricePolicies: [{ id: "PP-1", sku: "S1", listPrice: 100, floorPrice: 90, currency: "CNY" }],
    promotions: [{ id: "PR-618", maxDiscount: 0.3, validFrom: "2025-06-01", validTo: "2025-06-19" }],
    events: [sale],
  };

  it("read bare dates as the zone's midnight: a sale five minutes into a Beijing promotion is not flagged", async () => {
    const utc = await scan(dataset);
    expect(utc.findings.map((f) => f.ruleId)).toEqual(["price.below-floor"]);
    const beijing = await scan(dataset, { timeZone: "Asia/Shanghai" });
    expect(beijing.findings).toEqual([]);
  });

  it("show dates in messages as the zone's calendar dates", async () => {
    const late = { ...dataset, promotions: [], events: [{ ...sale, occurredAt: "2025-03-01T20:00:00Z" }] };
    const [utc] = (await scan(late)).findings;
    const [beijing] = (await scan(late, { timeZone: "Asia/Shanghai" })).findings;
    expect(utc?.message).toContain("2025-03-01");
    expect(beijing?.message).toContain("2025-03-02");
    expect(beijing?.message).not.toContain("2025-03-01");
    // The same instants either way: only the words differ.
    expect({ ...beijing, message: "" }).toEqual({ ...utc, message: "" });
  });

  it("come from the manifest unless the option names one, and an unknown zone is refused with the closest", async () => {
    const folder = await writeDataset({
      "channel-conflict.yaml": "timeZone: Asia/Shanghai\n",
      "partners.json": JSON.stringify(dataset.partners),
      "events.ndjson": ndjson({ id: "L-1", type: "listing", occurredAt: "2025-03-01T00:00:00", partnerId: "P1", sku: "S1", price: 5, currency: "CNY" }),
    });
    expect((await loadDataset(folder)).events[0]?.occurredAt).toBe(Date.UTC(2025, 1, 28, 16));
    expect((await loadDataset(folder, undefined, { timeZone: "UTC" })).events[0]?.occurredAt).toBe(Date.UTC(2025, 2, 1));
    const error = await failure(scan(dataset, { timeZone: "Asia/Shangai" }));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error.message).toContain('"Asia/Shangai" is not an IANA time zone; did you mean Asia/Shanghai?');
  });
});
