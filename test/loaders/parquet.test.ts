// Parquet input, checked against files a real writer makes: DuckDB (@duckdb/node-api) writes them here,
// from the demo's records and from rows of every type the reader converts. DuckDB not starting fails
// these tests: they are never skipped.
import { cp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatasetError } from "../../src/core/errors.js";
import { loadDataset, scan } from "../../src/index.js";
import { readParquetBatches } from "../../src/io/readParquet.js";
import type { RawRecord } from "../../src/io/readRecords.js";
import type { CollectionName } from "../../src/schema/dataset.js";
import { DEMO_FIXTURE, expectConservation, reasonsOf, removeDatasets, writeDataset } from "./helpers.js";
import { asEnglish } from "../helpers.js";

let db: DuckDBConnection;
let instance: DuckDBInstance;

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  db = await instance.connect();
  // Timestamps with time zone are written as UTC instants whatever the zone; UTC keeps the SQL literals plain.
  await db.run("SET TimeZone = 'UTC'");
});

afterAll(async () => {
  db?.closeSync();
  instance?.closeSync();
  await removeDatasets();
});

/** `path` as a SQL string literal. */
const sql = (path: string) => `'${path.replaceAll("'", "''")}'`;

/** Writes the rows of `select` to `path` as Parquet. */
async function copyTo(select: string, path: string, options = "COMPRESSION zstd"): Promise<void> {
  await db.run(`COPY (${select}) TO ${sql(path)} (FORMAT parquet, ${options})`);
}

/** Every record a Parquet file of `collection` gives, in batches of `batchRows`. */
async function readAll(path: string, collection: CollectionName = "events", batchRows = 512): Promise<{ records: RawRecord[]; batches: number[] }> {
  const records: RawRecord[] = [];
  const batches: number[] = [];
  for await (const batch of readParquetBatches({ collection, name: "x.parquet", path, format: "parquet" }, batchRows)) {
    batches.push(batch.length);
    records.push(...batch);
  }
  return { records, batches };
}

const valuesOf = (records: RawRecord[]) => records.map((r) => ("value" in r ? r.value : { error: r.error }));

/** A copy of the demo dataset without its events folder. */
async function demoWithoutEvents(): Promise<string> {
  const folder = await writeDataset({});
  for (const entry of await readdir(DEMO_FIXTURE)) {
    if (entry === "events") continue;
    await cp(join(DEMO_FIXTURE, entry), join(folder, entry), { recursive: true });
  }
  return folder;
}

/** The demo's events as NDJSON DuckDB reads, with `occurredAt` in epoch ms (`ms`), in the order the demo gives them. */
async function demoEventsNdjson(): Promise<string> {
  const { events } = await loadDataset(DEMO_FIXTURE);
  const folder = await writeDataset({});
  const path = join(folder, "demo-events.ndjson");
  await writeFile(path, events.map(({ occurredAt, ...rest }) => JSON.stringify({ ...rest, ms: occurredAt })).join("\n") + "\n");
  return path;
}

const EVENT_COLUMNS =
  "{id: 'VARCHAR', type: 'VARCHAR', ms: 'BIGINT', partnerId: 'VARCHAR', sku: 'VARCHAR', customerId: 'VARCHAR', quantity: 'BIGINT', " +
  "unitPrice: 'DOUBLE', currency: 'VARCHAR', shipTo: 'STRUCT(region VARCHAR, country VARCHAR, postalCode VARCHAR)', lot: 'VARCHAR', " +
  "promotionId: 'VARCHAR', price: 'DOUBLE', url: 'VARCHAR'}";

/** The demo's scan report with the file names of rejections left out (the demo has none). */
async function scanJson(folder: string): Promise<unknown> {
  const report = JSON.parse(JSON.stringify(await scan(folder))) as { rejected: Array<{ file?: string }> };
  for (const rejection of report.rejected) delete rejection.file;
  return report;
}

describe("the demo as DuckDB-written Parquet", () => {
  let demoReport: unknown;
  let demoEvents: unknown;
  let ndjson: string;

  beforeAll(async () => {
    demoReport = await scanJson(DEMO_FIXTURE);
    demoEvents = (await loadDataset(DEMO_FIXTURE)).events;
    ndjson = await demoEventsNdjson();
  });

  const variants = [
    {
      name: "shipTo a struct, occurredAt a TIMESTAMP, prices DECIMAL(12,2), zstd",
      time: "epoch_ms(ms)",
      shipTo: "shipTo",
      quantity: "CAST(quantity AS INTEGER)",
      options: "COMPRESSION zstd",
    },
    {
      name: 'shipTo as dotted columns ("shipTo.region"), a TIMESTAMPTZ, BIGINT quantities, snappy',
      time: "CAST(epoch_ms(ms) AS TIMESTAMPTZ)",
      shipTo: `shipTo.region AS "shipTo.region", shipTo.country AS "shipTo.country", shipTo.postalCode AS "shipTo.postalCode"`,
      quantity: "quantity",
      options: "COMPRESSION snappy",
    },
    {
      name: "a TIMESTAMP_MS, gzip, DuckDB's version 2 encodings (delta), row groups of 10 rows",
      time: "CAST(epoch_ms(ms) AS TIMESTAMP_MS)",
      shipTo: "shipTo",
      quantity: "CAST(quantity AS INTEGER)",
      options: "COMPRESSION gzip, PARQUET_VERSION v2, ROW_GROUP_SIZE 10",
    },
  ];

  for (const variant of variants) {
    it(`gives exactly the demo's findings: ${variant.name}`, async () => {
      const folder = await demoWithoutEvents();
      const select =
        `SELECT id, type, ${variant.time} AS occurredAt, partnerId, sku, customerId, ${variant.quantity} AS quantity, ` +
        `CAST(unitPrice AS DECIMAL(12,2)) AS unitPrice, currency, ${variant.shipTo}, lot, promotionId, ` +
        `CAST(price AS DECIMAL(12,2)) AS price, url FROM read_json(${sql(ndjson)}, format = 'newline_delimited', columns = ${EVENT_COLUMNS})`;
      await copyTo(select, join(folder, "events.parquet"), variant.options);
      // The reader thread's path (scan) and this thread's (loadDataset) alike.
      expect(await scanJson(folder)).toEqual(demoReport);
      const dataset = await loadDataset(folder);
      expect(dataset.events).toEqual(demoEvents);
      expect(dataset.rejected).toEqual([]);
    });
  }

  it("gives exactly the demo's findings with partners and territories as Parquet (dates, booleans, lists)", async () => {
    const folder = await demoWithoutEvents();
    await cp(join(DEMO_FIXTURE, "events"), join(folder, "events"), { recursive: true });
    await rm(join(folder, "partners.json"));
    await rm(join(folder, "territories.csv"));
    await copyTo(`SELECT * FROM read_json_auto(${sql(join(DEMO_FIXTURE, "partners.json"))})`, join(folder, "partners.parquet"));
    // The CSV's `|` lists as LIST columns, its dates as DATE, `exclusive` as BOOLEAN; empty cells as NULL.
    await copyTo(
      `SELECT id, partnerId, region, CAST(exclusive AS BOOLEAN) AS exclusive, ` +
        `CASE WHEN skus IS NULL THEN NULL ELSE string_split(skus, '|') END AS skus, ` +
        `CASE WHEN categories IS NULL THEN NULL ELSE string_split(categories, '|') END AS categories, ` +
        `CAST(validFrom AS DATE) AS validFrom, CAST(validTo AS DATE) AS validTo ` +
        `FROM read_csv(${sql(join(DEMO_FIXTURE, "territories.csv"))}, all_varchar = true)`,
      join(folder, "territories.parquet"),
      "COMPRESSION snappy",
    );
    expect(await scanJson(folder)).toEqual(demoReport);
    const [mine, demo] = [await loadDataset(folder), await loadDataset(DEMO_FIXTURE)];
    expect(mine.reference.partners).toEqual(demo.reference.partners);
    expect(mine.reference.territories).toEqual(demo.reference.territories);
  });
});

describe("bad rows in Parquet", () => {
  const ROWS =
    "SELECT * FROM (VALUES " +
    "('O-1', 'order', TIMESTAMP '2025-03-01 09:00:00', 'P-DIRECT', 'LA-H100', 2::BIGINT, 1299.00::DECIMAL(12,2), 'CNY'), " +
    "('O-2', 'order', TIMESTAMP '2025-03-01 10:00:00', 'P-DIRECT', 'LA-H100', -3::BIGINT, 1299.00::DECIMAL(12,2), 'CNY'), " +
    "('O-3', 'order', TIMESTAMP '2025-03-01 11:00:00', NULL, 'LA-H100', 1::BIGINT, 1299.00::DECIMAL(12,2), 'CNY'), " +
    "('O-4', 'order', TIMESTAMP '2025-03-01 12:00:00', 'P-DIRECT', 'LA-H100', 9007199254740993::BIGINT, 1299.00::DECIMAL(12,2), 'CNY'), " +
    "('O-5', 'order', TIMESTAMP '2025-03-01 13:00:00', 'P-DIRECT', 'LA-H100', 1::BIGINT, 1249.50::DECIMAL(12,2), 'CNY')" +
    ") AS t(id, type, occurredAt, partnerId, sku, quantity, unitPrice, currency)";

  it("are rejected with their file and index (scan: the reader thread; loadDataset: this thread)", async () => {
    const folder = await demoWithoutEvents();
    const events = join(folder, "events");
    await cp(join(DEMO_FIXTURE, "events", "part-0002.ndjson"), join(events, "part-0002.ndjson"), { recursive: true });
    await copyTo(ROWS, join(events, "part-0001.parquet"));
    const expected: Array<[number, RegExp]> = [
      [1, /^quantity: /],
      [2, /^partnerId: /],
      [3, /^quantity: the integer 9007199254740993 has no exact JSON number; expected at most 2\^53 - 1 in magnitude, got 9007199254740993$/],
    ];
    const dataset = await loadDataset(folder);
    expectConservation(dataset);
    const report = await scan(folder);
    for (const rejected of [dataset.rejected, report.rejected]) {
      const reasons = reasonsOf(rejected, "events/part-0001.parquet");
      expect(reasons.map(([index]) => index)).toEqual(expected.map(([index]) => index));
      reasons.forEach(([, reason], i) => expect(reason).toMatch((expected[i] as [number, RegExp])[1]));
      expect(rejected.filter((r) => r.file === "events/part-0001.parquet").every((r) => r.index !== undefined && r.line === undefined)).toBe(true);
    }
    const kept = dataset.events.filter((e) => e.id.startsWith("O-")).map((e) => e.id);
    expect(kept).toEqual(expect.arrayContaining(["O-1", "O-5"]));
    expect(kept.filter((id) => /^O-\d$/.test(id)).sort()).toEqual(["O-1", "O-5"]);
    expect(report.summary.records.events.read).toBe(dataset.counts.events.read);
    expect(report.summary.events + report.summary.rejected).toBe(dataset.counts.events.read);
  });
});

describe("a Parquet file that cannot be read", () => {
  async function folderWith(bytes: Buffer): Promise<string> {
    const folder = await demoWithoutEvents();
    await writeFile(join(folder, "events.parquet"), bytes);
    return folder;
  }

  async function expectDatasetError(folder: string): Promise<void> {
    for (const read of [() => scan(folder), () => loadDataset(folder)]) {
      const error = await read().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DatasetError);
      expect((error as DatasetError).file).toMatch(/^events\.parquet/);
      expect((error as DatasetError).message).toMatch(/^events\.parquet(:[^:]+)?: cannot read Parquet \(.+\); expected a Parquet file$/);
    }
  }

  it("fails with a DatasetError naming it when it is not Parquet at all", async () => {
    await expectDatasetError(await folderWith(Buffer.from("id,type\nO-1,order\n")));
  });

  it("fails with a DatasetError naming it when it is cut short", async () => {
    const folder = await writeDataset({});
    const whole = join(folder, "whole.parquet");
    await copyTo("SELECT 'O-' || i AS id, 'order' AS type FROM range(1000) t(i)", whole);
    const bytes = await readFile(whole);
    await expectDatasetError(await folderWith(bytes.subarray(0, bytes.length - 100)));
    await expectDatasetError(await folderWith(Buffer.alloc(0)));
  });

  it("fails with a DatasetError naming it and the row group when a column's pages are damaged", async () => {
    const folder = await writeDataset({});
    const whole = join(folder, "whole.parquet");
    await copyTo("SELECT 'O-' || i AS id, 'order' AS type FROM range(100000) t(i)", whole, "COMPRESSION uncompressed");
    const bytes = Buffer.from(await readFile(whole));
    // The first page header sits right after the magic bytes: overwrite it with junk.
    bytes.fill(0xff, 4, 64);
    const damaged = await folderWith(bytes);
    await expect(loadDataset(damaged)).rejects.toThrow(/^events\.parquet:row group 0: cannot read Parquet/);
    await expectDatasetError(damaged);
  });
});

describe("readParquetBatches", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await writeDataset({});
  });

  it("reads each type as the contract's JSON: instants as ISO 8601 UTC, wall times without Z, decimals and safe integers as numbers, nulls absent", async () => {
    const path = join(folder, "types.parquet");
    await copyTo(
      "SELECT * FROM (VALUES " +
        "(TIMESTAMP_NS '2025-03-01 10:00:00.123456789', TIMESTAMPTZ '2025-03-01 18:00:00+08', 1649.99::DECIMAL(12,2), 123456789.1234::DECIMAL(38,4), " +
        "7::UBIGINT, 'Zürich ✓', {'region': 'CN-SH', 'country': NULL, 'postalCode': NULL}, NULL::VARCHAR, 3.25::DOUBLE, INTERVAL 3 DAY), " +
        "(TIMESTAMP_NS '1969-12-31 23:59:59.9995', TIMESTAMPTZ '1970-01-01 00:00:00+00', 0.10::DECIMAL(12,2), -0.0001::DECIMAL(38,4), " +
        "9007199254740991::UBIGINT, '', {'region': NULL, 'country': NULL, 'postalCode': NULL}, 'C-1', NULL::DOUBLE, INTERVAL 1 DAY), " +
        "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)" +
        ") AS t(occurredAt, registeredAt, unitPrice, price, quantity, url, shipTo, customerId, listPrice, note)",
      path,
    );
    const { records } = await readAll(path);
    expect(records.map((r) => r.origin)).toEqual([0, 1, 2].map((index) => ({ file: "x.parquet", index })));
    // Only the fields of events are read: `registeredAt`, `listPrice` and `note` (an INTERVAL, which hyparquet cannot read) are not.
    // A TIMESTAMP (not adjusted to UTC) is a wall time, read in the dataset's zone; a TIMESTAMPTZ an instant.
    expect(valuesOf(records)).toEqual([
      {
        occurredAt: "2025-03-01T10:00:00.123",
        unitPrice: 1649.99,
        price: 123456789.1234,
        quantity: 7,
        url: "Zürich ✓",
        shipTo: { region: "CN-SH" },
      },
      { occurredAt: "1969-12-31T23:59:59.999", unitPrice: 0.1, price: -0.0001, quantity: 9007199254740991, url: "", customerId: "C-1" },
      {},
    ]);
    const registrations = await readAll(path, "registrations");
    expect(valuesOf(registrations.records)).toEqual([
      { registeredAt: "2025-03-01T10:00:00.000Z" },
      { registeredAt: "1970-01-01T00:00:00.000Z", customerId: "C-1" },
      {},
    ]);
  });

  it("reads dates as YYYY-MM-DD, booleans, lists as arrays (null items kept as null), and nested structs", async () => {
    const path = join(folder, "lists.parquet");
    await copyTo(
      "SELECT * FROM (VALUES " +
        "('T-1', DATE '2025-02-01', NULL::DATE, true, ['LA-H100', 'LA-H200'], [], {'a': {'b': 1}}), " +
        "('T-2', DATE '1999-12-31', DATE '2000-01-01', false, NULL, ['x', NULL], {'a': {'b': NULL}})" +
        ") AS t(id, validFrom, validTo, exclusive, skus, categories, region)",
      path,
    );
    const { records } = await readAll(path, "territories");
    expect(valuesOf(records)).toEqual([
      { id: "T-1", validFrom: "2025-02-01", exclusive: true, skus: ["LA-H100", "LA-H200"], categories: [], region: { a: { b: 1 } } },
      { id: "T-2", validFrom: "1999-12-31", validTo: "2000-01-01", exclusive: false, categories: ["x", null] },
    ]);
  });

  it("rejects a row whose INT64 has no exact JSON number, naming the column, and reads the others", async () => {
    const path = join(folder, "big.parquet");
    await copyTo("SELECT * FROM (VALUES ('A', 1::BIGINT), ('B', -9007199254740993::BIGINT), ('C', 3::BIGINT)) AS t(id, quantity)", path);
    const { records } = await readAll(path);
    expect(asEnglish(valuesOf(records))).toEqual([
      { id: "A", quantity: 1 },
      { error: "quantity: the integer -9007199254740993 has no exact JSON number; expected at most 2^53 - 1 in magnitude, got -9007199254740993" },
      { id: "C", quantity: 3 },
    ]);
  });

  for (const codec of ["uncompressed", "snappy", "gzip", "zstd", "brotli", "lz4_raw"]) {
    it(`reads row group by row group in batches of at most batchRows, numbering rows across the file (${codec})`, async () => {
      const path = join(folder, `groups-${codec}.parquet`);
      await copyTo(
        "SELECT 'O-' || i AS id, CASE WHEN i % 3 = 0 THEN NULL ELSE 'C-' || (i % 7) END AS customerId, " +
          "epoch_ms(1735689600000 + i * 1000) AS occurredAt, 'Straße ' || i AS url FROM range(2500) t(i)",
        path,
        `COMPRESSION ${codec}, ROW_GROUP_SIZE 1000`,
      );
      const { records, batches } = await readAll(path, "events", 300);
      expect(records.map((r) => r.origin.index)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
      expect(Math.max(...batches)).toBeLessThanOrEqual(300);
      const values = valuesOf(records) as Array<Record<string, unknown>>;
      // epoch_ms gives a TIMESTAMP, not adjusted to UTC: a wall time, without the `Z`.
      const at = (i: number) => new Date(1735689600000 + i * 1000).toISOString().slice(0, -1);
      expect(values[1234]).toEqual({ id: "O-1234", customerId: `C-${1234 % 7}`, occurredAt: at(1234), url: "Straße 1234" });
      expect(values[1236]).toEqual({ id: "O-1236", occurredAt: at(1236), url: "Straße 1236" });
      expect(values.every((v, i) => v.id === `O-${i}` && v.occurredAt === at(i))).toBe(true);
    });
  }

  it("fails with a DatasetError when two columns give one field", async () => {
    const path = join(folder, "twice.parquet");
    await copyTo(`SELECT {'region': 'CN'} AS shipTo, 'CN-SH' AS "shipTo.region"`, path);
    await expect(readAll(path)).rejects.toThrow(
      new DatasetError("x.parquet", 'columns shipTo.region and "shipTo.region" both give the field shipTo.region; expected each field from one column'),
    );
  });

  it("leaves the file closed after reading it whole or in part", async () => {
    const path = join(folder, "closed.parquet");
    await copyTo("SELECT 'O-' || i AS id FROM range(5000) t(i)", path, "ROW_GROUP_SIZE 1000");
    const before = (await readdir("/proc/self/fd")).length;
    for await (const batch of readParquetBatches({ collection: "events", name: "x.parquet", path, format: "parquet" }, 100)) {
      expect(batch.length).toBe(100);
      break;
    }
    await readAll(path);
    expect((await readdir("/proc/self/fd")).length).toBe(before);
  });
});
