// No silent failures (CONTRACT §8; README "Datasets", "When a scan fails, and warnings"): a scan that
// cannot mean what it says fails with a coded error instead of reporting "no conflicts", and what is
// not read but looks as if it was meant to be is named in `summary.warnings`.
import { afterAll, describe, expect, it } from "vitest";
import { DatasetError, OptionsError, RuleSetError } from "../../src/core/errors.js";
import { loadDataset } from "../../src/dataset/loadDataset.js";
import { loadRules, shippedRulesPath } from "../../src/rules/loadRules.js";
import { scan } from "../../src/scan/scan.js";
import { scanStream } from "../../src/scan/scanStream.js";
import { runRuleTests } from "../../src/testing/runRuleTests.js";
import type { Finding } from "../../src/findings/types.js";
import type { ScanSummary } from "../../src/findings/report.js";
import { expectConservation, loaderFixture, ndjson, order, removeDatasets, writeDataset } from "./helpers.js";
import { asEnglish } from "../helpers.js";

afterAll(removeDatasets);

const PARTNERS_JSON = JSON.stringify([
  { id: "P1", channel: "distributor" },
  { id: "P2", channel: "reseller" },
]);
const UNKNOWN_PARTNER = (id: string) => `partnerId: unknown partner "${id}"; expected an id listed in partners`;

/** Plain records as a stream's events: some are bad on purpose, so they are not typed as events. */
const asEvents = (records: readonly unknown[]) => records as never[];

/** The error a promise rejects with (the test fails if it resolves). */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  if (!outcome) throw new Error("expected the scan to fail, and it succeeded");
  return outcome;
}

/** Drains a stream scan; resolves to its summary. */
async function drain(stream: AsyncGenerator<Finding, ScanSummary>): Promise<{ findings: Finding[]; summary: ScanSummary }> {
  const findings: Finding[] = [];
  let next = await stream.next();
  while (!next.done) {
    findings.push(next.value);
    next = await stream.next();
  }
  return { findings, summary: next.value };
}

describe("a scan with no events to scan fails with NO_EVENTS", () => {
  it("an empty folder", async () => {
    const root = await writeDataset({});
    const error = await failure(scan(root));
    expect(error).toBeInstanceOf(DatasetError);
    expect(error).toMatchObject({ code: "NO_EVENTS", collection: "events", file: root });
    expect(error.message).toMatch(new RegExp(`^${root.replace(/[/\\.]/g, "\\$&")}: no events file; expected events\\.json, events\\.ndjson, .* or a folder events/ of such files$`));
  });

  it("a folder without an events file names what it did not read (fixtures/loader/no-events)", async () => {
    const error = await failure(scan(loaderFixture("no-events")));
    expect(error).toMatchObject({ code: "NO_EVENTS" });
    expect(error.message).toContain(": no events file (not read: orders.csv); expected events.json");
  });

  it("an events/ folder holding no data file, and an events file holding no record", async () => {
    const emptyFolder = await writeDataset({ "partners.json": PARTNERS_JSON, "events/README.md": "parts go here" });
    expect(await failure(scan(emptyFolder))).toMatchObject({
      code: "NO_EVENTS",
      file: "events/",
      message: expect.stringMatching(/^events\/: holds no events file; expected files ending in \.json, \.ndjson/),
    });
    const blank = await writeDataset({ "partners.json": PARTNERS_JSON, "events.ndjson": "\n  \n\n" });
    expect(await failure(scan(blank))).toMatchObject({
      code: "NO_EVENTS",
      message: "events.ndjson: holds no event record; expected at least one event",
    });
    const emptyArray = await writeDataset({ "partners.json": PARTNERS_JSON, "events.json": "[]" });
    expect(await failure(scan(emptyArray))).toMatchObject({ code: "NO_EVENTS", file: "events.json" });
  });

  it("in-memory collections without events, or with none in the array", async () => {
    const partners = JSON.parse(PARTNERS_JSON) as object[];
    expect(await failure(scan({ partners } as never))).toMatchObject({
      code: "NO_EVENTS",
      message: "dataset.events: no events; expected an array of at least one event",
    });
    expect(await failure(scan({ partners, events: [] } as never))).toMatchObject({
      code: "NO_EVENTS",
      message: "dataset.events: holds no event record; expected at least one event",
    });
  });

  it("a stream takes reference data only: a reference folder needs no events file, and no event is no error", async () => {
    const { findings, summary } = await drain(scanStream(asEvents([]), { reference: loaderFixture("no-events") }));
    expect(findings).toEqual([]);
    expect(summary).toMatchObject({ events: 0, rejected: 0, warnings: [] });
  });
});

describe("a collection every record of which was rejected fails with COLLECTION_REJECTED", () => {
  it("every event rejected: the error names the file and the first rejection", async () => {
    const root = await writeDataset({
      "partners.json": PARTNERS_JSON,
      "events.ndjson": ndjson(order("o-1", { partnerId: "NOPE" }), order("o-2", { quantity: 0 })),
    });
    const error = await failure(scan(root));
    expect(error).toBeInstanceOf(DatasetError);
    expect(error).toMatchObject({ code: "COLLECTION_REJECTED", collection: "events", file: "events.ndjson" });
    expect(error.message).toBe(
      `events.ndjson: every record of events was rejected (2 of 2); expected at least one valid record; the first rejection: events.ndjson:1: ${UNKNOWN_PARTNER("NOPE")}`,
    );
  });

  it("every partner rejected: reported for partners, before the events that need them", async () => {
    const root = await writeDataset({
      "partners.json": JSON.stringify([{ id: "P1", channel: "wholesale" }, { id: "P2" }]),
      "events.ndjson": ndjson(order("o-1")),
    });
    const error = await failure(scan(root));
    expect(error).toMatchObject({ code: "COLLECTION_REJECTED", collection: "partners", file: "partners.json" });
    expect(error.message).toMatch(/^partners\.json: every record of partners was rejected \(2 of 2\); expected at least one valid record; the first rejection: partners\.json:\[0\]: channel: /);
  });

  it("in memory too, naming the collection", async () => {
    const error = await failure(scan({ partners: [{ id: "P1", channel: "nope" }], events: [order("o-1")] } as never));
    expect(error).toMatchObject({ code: "COLLECTION_REJECTED", collection: "partners", file: "dataset.partners" });
    expect(error.message).toContain("the first rejection: partners:[0]: channel:");
  });

  it("`partner.json` instead of partners.json: the events fail, and the error carries the warning that says why", async () => {
    const root = await writeDataset({ "partner.json": PARTNERS_JSON, "events.ndjson": ndjson(order("o-1")) });
    const error = (await failure(scan(root))) as DatasetError;
    expect(error).toMatchObject({ code: "COLLECTION_REJECTED", collection: "events" });
    expect(error.message).toContain("(there is no partners collection, and every event needs its partner)");
    expect(error.warnings).toEqual([
      {
        code: "unknown_collection",
        file: "partner.json",
        message: 'partner.json: not read, no collection is named "partner"; did you mean partners.json?',
      },
    ]);
  });

  it("a stream whose every event is rejected fails at its end; its reference data is checked first", async () => {
    const reference = await writeDataset({ "partners.json": PARTNERS_JSON });
    const error = await failure(drain(scanStream(asEvents([order("o-1", { partnerId: "X" })]), { reference, sourceName: "kafka" })));
    expect(error).toMatchObject({ code: "COLLECTION_REJECTED", collection: "events", file: "kafka" });
    expect(error.message).toContain(`the first rejection: kafka:1: event "o-1": ${UNKNOWN_PARTNER("X")}`);
    const badReference = await writeDataset({ "partners.json": JSON.stringify([{ id: "P1" }]) });
    expect(await failure(drain(scanStream(asEvents([order("o-1")]), { reference: badReference })))).toMatchObject({ code: "COLLECTION_REJECTED", collection: "partners" });
  });
});

describe("maxRejected: more rejected records than allowed fails with TOO_MANY_REJECTED", () => {
  // 3 partners (1 rejected) and 2 events (1 rejected): 2 of 5 records rejected, 40%.
  const files = {
    "partners.json": JSON.stringify([{ id: "P1", channel: "distributor" }, { id: "P2", channel: "reseller" }, { id: "P3", channel: "nope" }]),
    "events.ndjson": ndjson(order("o-1"), order("o-2", { quantity: 0 })),
  };

  it("is counted over every collection's records, as a count or a share of the records read", async () => {
    const root = await writeDataset(files);
    // The default: no limit.
    expect((await scan(root)).summary.rejected).toBe(1);
    expect((await scan(root, { maxRejected: 2 })).rejected).toHaveLength(2);
    expect((await scan(root, { maxRejected: "40%" })).rejected).toHaveLength(2);
    const error = await failure(scan(root, { maxRejected: 1 }));
    expect(error).toBeInstanceOf(DatasetError);
    expect(error).toMatchObject({ code: "TOO_MANY_REJECTED", file: root });
    expect(error.message).toBe(
      `${root}: 2 of 5 records were rejected (40%); expected at most 1 (maxRejected, --max-rejected); the first rejection: events.ndjson:2: quantity: must be greater than 0`,
    );
    expect(await failure(scan(root, { maxRejected: "39.5%" }))).toMatchObject({ code: "TOO_MANY_REJECTED" });
    expect(await failure(scan(root, { maxRejected: 0 }))).toMatchObject({ code: "TOO_MANY_REJECTED" });
  });

  it("in a stream, a count fails at the rejection that passes it; a share at the end", async () => {
    const reference = await writeDataset({ "partners.json": PARTNERS_JSON });
    const seen: string[] = [];
    const stream = scanStream(asEvents([order("o-1"), order("o-2", { quantity: 0 }), order("o-3", { quantity: 0 }), order("o-4")]), {
      reference,
      maxRejected: 1,
      onRejected: (rejection) => seen.push(`${rejection.line}`),
    });
    expect(await failure(drain(stream))).toMatchObject({ code: "TOO_MANY_REJECTED", file: "stream" });
    expect(seen).toEqual(["2", "3"]);
    const share = scanStream(asEvents([order("o-1"), order("o-2", { quantity: 0 })]), { reference, maxRejected: "20%" });
    // 1 of 4 records (2 partners, 2 events): 25%.
    expect(await failure(drain(share))).toMatchObject({ code: "TOO_MANY_REJECTED", message: expect.stringContaining("1 of 4 records were rejected (25%)") });
  });

  it("values that are neither a count nor a percentage are refused as options", async () => {
    const root = await writeDataset(files);
    for (const maxRejected of [-1, 1.5, "5", "five%", "101%", "-1%", null]) {
      expect(await failure(scan(root, { maxRejected } as never)), String(maxRejected)).toBeInstanceOf(OptionsError);
    }
  });
});

describe("a rule set with no enabled rule fails with NO_ENABLED_RULE", () => {
  const root = () => writeDataset({ "partners.json": PARTNERS_JSON, "events.ndjson": ndjson(order("o-1")) });

  it("no rule at all, or every rule disabled", async () => {
    const dataset = await root();
    const none = await failure(scan(dataset, { rules: { rules: [] } }));
    expect(none).toBeInstanceOf(RuleSetError);
    expect(none).toMatchObject({ code: "NO_ENABLED_RULE", message: "(rules):(rule set): holds no rule; expected at least one enabled rule" });
    const shipped = await loadRules();
    const disabled = { rules: shipped.rules.map((rule) => ({ ...rule, enabled: false })) };
    const error = await failure(scan(dataset, { rules: disabled }));
    expect(error).toMatchObject({ code: "NO_ENABLED_RULE" });
    expect(error.message).toMatch(/^\(rules\):\(rule set\): all 8 of its rules are disabled \([a-z.-]+, [a-z.-]+, [a-z.-]+, …\); expected at least one enabled rule/);
    const one = { rules: [{ ...(shipped.rules[0] as (typeof shipped.rules)[number]), file: "mine.yaml", enabled: false }] };
    expect((await failure(scan(dataset, { rules: one }))).message).toContain(`its only rule, ${shipped.rules[0]?.id}, is disabled`);
    expect(await failure(drain(scanStream(asEvents([order("o-1")]), { reference: dataset, rules: disabled })))).toMatchObject({ code: "NO_ENABLED_RULE" });
  });

  it("a rules folder holding no rule file, alone or beside others", async () => {
    const empty = await writeDataset({ "notes.txt": "no rules here" });
    const error = await failure(loadRules(empty));
    expect(error).toBeInstanceOf(RuleSetError);
    expect(error).toMatchObject({ code: "NO_ENABLED_RULE", message: `${empty}:(folder): holds no rule file; expected at least one .json, .yaml or .yml file of rules` });
    const beside = await failure(loadRules([shippedRulesPath(), empty]));
    expect(beside).toMatchObject({ code: "RULES_INVALID", problems: [{ file: empty, path: "(folder)", code: "no_rule_files" }] });
  });

  it("the shipped rules' own test cases still run on reference data alone (no events)", async () => {
    const results = await runRuleTests((await loadRules()).rules);
    expect(results.filter((r) => !r.passed)).toEqual([]);
    const overlap = (await loadRules()).rules.find((rule) => rule.id === "territory.exclusive-overlap");
    expect(overlap?.tests?.some((test) => typeof test.dataset === "object" && !("events" in test.dataset))).toBe(true);
  });
});

describe("warnings: what is not read but looks as if it was meant to be", () => {
  it("entries of the folder that resemble a collection, an unread format, and nothing for ignored or unrelated ones (fixtures/loader/misnamed)", async () => {
    const report = await scan(loaderFixture("misnamed"));
    expect(report.summary.warnings).toEqual([
      { code: "unknown_collection", file: "customer/", message: 'customer/: not read, no collection is named "customer"; did you mean customers/?' },
      {
        code: "unknown_format",
        file: "events.xlsx",
        message: expect.stringMatching(/^events\.xlsx: not read, "\.xlsx" is not a format channel-conflict reads; expected events\.json, events\.ndjson, .*events\.csv/),
      },
      { code: "unknown_collection", file: "territory.csv", message: 'territory.csv: not read, no collection is named "territory"; did you mean territories.csv?' },
    ]);
    // `promos.json` is far from every collection; `.cache.json`, `README.txt` and `channel-conflict.yaml` are ignored.
    expect(report.summary.records.territories.read).toBe(0);
    expect(report.summary.events).toBe(1);
  });

  it("collection names are matched without regard to case; CSV columns close to a field are named (fixtures/loader/spreadsheet-csv)", async () => {
    const root = loaderFixture("spreadsheet-csv");
    const report = await scan(root);
    expect(report.summary.warnings).toEqual([
      { code: "unread_column", file: "Events.CSV", message: 'Events.CSV:1: no field reads the column "partnerID"; did you mean partnerId?' },
      { code: "unread_column", file: "Events.CSV", message: 'Events.CSV:1: no field reads the column "ship_to_region"; did you mean shipTo.region?' },
    ]);
    expect(report.rejected).toEqual([]);
    // Rows of empty cells are no records: not read, not rejected.
    expect(report.summary.records).toMatchObject({
      partners: { read: 2, accepted: 2, rejected: 0 },
      territories: { read: 4, accepted: 4, rejected: 0 },
      events: { read: 2, accepted: 2, rejected: 0 },
    });
    expect(await scan(root)).toEqual(report);
  });

  it("a column in many parts of a folder is named once, at its first file; extra columns far from any field are not", async () => {
    const header = "id,type,occurredAt,partnerId,sku,quantity,unitPrice,currency,shipTo_Region,note,importedBy,zzNote";
    const row = (id: string) => `${id},order,2025-03-01,P1,SKU-1,1,100,CNY,CN-GD,x,etl,z`;
    const root = await writeDataset({
      "partners.json": PARTNERS_JSON,
      "events/part-1.csv": [header, row("o-1")].join("\n"),
      "events/part-2.csv": [header, row("o-2")].join("\n"),
      "events/part-3.csv": [header.replace("shipTo_Region", "shipTo.region"), row("o-3")].join("\n"),
    });
    expect((await scan(root)).summary.warnings).toEqual([
      {
        code: "unread_column",
        file: "events/part-1.csv",
        message: 'events/part-1.csv:1: no field reads the column "shipTo_Region" (nor in 1 more file of events/); did you mean shipTo.region?',
      },
    ]);
  });

  it("two sources of one collection that differ only in case are still an error", async () => {
    const root = await writeDataset({ "partners.json": PARTNERS_JSON, "events.csv": "id\n", "Events.ndjson": ndjson(order("o-1")) });
    const error = await failure(scan(root));
    expect(error).toMatchObject({ code: "DATASET_UNREADABLE" });
    expect(error.message).toBe(`${root}: collection "events" has 2 sources (Events.ndjson, events.csv); expected exactly one file or folder`);
  });

  it("in-memory keys close to a collection are named; a stream names those of its reference folder", async () => {
    const partners = JSON.parse(PARTNERS_JSON) as object[];
    const report = await scan({ partners, events: [order("o-1")], territory: [], somethingElse: [] } as never);
    expect(report.summary.warnings).toEqual([
      { code: "unknown_collection", file: "dataset.territory", message: 'dataset.territory: not read, no collection is named "territory"; did you mean territories?' },
    ]);
    const reference = await writeDataset({ "partners.json": PARTNERS_JSON, "Region.json": "[]" });
    const { summary } = await drain(scanStream(asEvents([order("o-1")]), { reference }));
    expect(summary.warnings.map((w) => w.file)).toEqual(["Region.json"]);
  });

  it("JSON and NDJSON keys and Parquet columns close to a field are named too; mapped files are left out", async () => {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const root = await writeDataset({
      "partners.json": JSON.stringify([{ id: "P1", channel: "distributor", home_region: "CN" }, { id: "P2", channel: "reseller" }]),
      "events.ndjson": ndjson({ ...order("o-1"), shipTo: { regoin: "CN-GD" } }, { ...order("o-2"), customerID: "C-1", note: "far from every field" }),
    });
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT 'T-1' AS id, 'P1' AS partnerId, 'CN' AS region, DATE '2025-01-01' AS valid_from) TO '${root}/territories.parquet' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    expect((await scan(root)).summary.warnings.map((w) => w.message)).toEqual([
      'events.ndjson: no field reads the key "customerID"; did you mean customerId?',
      'events.ndjson: no field reads the key "shipTo.regoin"; did you mean shipTo.region?',
      'partners.json: no field reads the key "home_region"; did you mean homeRegion?',
      'territories.parquet: no field reads the column "valid_from"; did you mean validFrom?',
    ]);
    // With a field map, the columns it leaves are meant to be left.
    const mapped = await writeDataset({
      "channel-conflict.yaml": "collections:\n  partners:\n    fields: { id: id, channel: channel }\n",
      "partners.json": JSON.stringify([{ id: "P1", channel: "distributor", home_region: "CN" }]),
      "events.ndjson": ndjson(order("o-1")),
    });
    expect((await scan(mapped)).summary.warnings).toEqual([]);
  });

  it("`summary.warnings` is always there, empty when all is read", async () => {
    const report = await scan(loaderFixture("formats-ndjson"));
    expect(report.summary.warnings).toEqual([]);
  });
});

describe("CSV as spreadsheets write it", () => {
  it("reads TRUE/FALSE in any case as booleans, and skips rows of empty cells like blank lines", async () => {
    const csv = ["id,partnerId,region,exclusive", "T-1,P1,CN,TRUE", ",,,", "T-2,P1,CN-GD,False", " , ,,", ",,", "T-3,P2,CN-ZJ,yes", "T-4,P2,CN-SH,tRuE"].join("\r\n");
    const root = await writeDataset({ "partners.json": PARTNERS_JSON, "territories.csv": csv });
    const dataset = await loadDataset(root);
    expectConservation(dataset);
    expect(dataset.counts.territories).toEqual({ read: 4, accepted: 3, rejected: 1 });
    expect(dataset.reference.territories.map((t) => [t.id, t.exclusive])).toEqual([
      ["T-1", true],
      ["T-2", false],
      ["T-4", true],
    ]);
    // Line numbers still count the skipped rows.
    expect(asEnglish(dataset.rejected)).toEqual([{ file: "territories.csv", line: 7, reason: 'exclusive: expected boolean, got "yes"' }]);
  });

  it("a row of empty cells is not a record in a folder's events either (read by the worker)", async () => {
    const root = await writeDataset({
      "partners.json": PARTNERS_JSON,
      "events.csv": ["id,type,occurredAt,partnerId,sku,quantity,unitPrice,currency", ",,,,,,,", "o-1,order,2025-03-01,P1,SKU-1,1,100,CNY", ",,,,,,,"].join("\n"),
    });
    const report = await scan(root);
    expect(report.summary.records.events).toEqual({ read: 1, accepted: 1, rejected: 0 });
  });
});

it("the demo has no warning: its README is ignored, and expected.json resembles no collection", async () => {
  const demo = await scan(loaderFixture("../demo"));
  expect(demo.summary.warnings).toEqual([]);
});
