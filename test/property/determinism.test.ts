// Determinism (CONTRACT §6: "The same input and rules give byte-identical output"): the JSON report
// does not depend on the run, on the order of records within files, on how a dataset is laid out in
// files (one events file, a folder of parts, CSV, JSON arrays, mixed), nor on the machine's time zone.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDataset } from "../../bench/generate.js";
import { scan } from "../../src/index.js";
import { formatJson } from "../../src/report/formatJson.js";
import {
  DEMO,
  REFERENCE_NAMES,
  removeTempDirs,
  runCliAsync,
  serialize,
  tempDir,
  writeFiles,
  type Collections,
  type Format,
  type JsonRecord,
} from "../security/support.js";

let generated: Collections;
let generatedJson: string;
let demoJson: string;

beforeAll(async () => {
  generated = JSON.parse(JSON.stringify(generateDataset({ events: 3000, seed: 11 }).collections)) as Collections;
  generatedJson = formatJson(await scan(generated as never));
  demoJson = formatJson(await scan(DEMO));
});
afterAll(() => removeTempDirs());

function shuffle<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, k: keys[i % keys.length] ?? 0, i }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.item);
}

/** Writes collections as a folder: reference collections in `formats`, events as the given parts. */
function writeLayout(
  collections: Collections,
  formats: Partial<Record<(typeof REFERENCE_NAMES)[number], Format>>,
  events: { parts: readonly Format[]; folder: boolean; assign?: (index: number) => number },
): string {
  const dir = tempDir("cc-determinism-");
  const files: Record<string, string> = {};
  for (const name of REFERENCE_NAMES) {
    const records = collections[name];
    if (records) files[`${name}.${formats[name] ?? "json"}`] = serialize(formats[name] ?? "json", records);
  }
  const all = collections.events ?? [];
  const parts: JsonRecord[][] = events.parts.map(() => []);
  // Contiguous slices by default (time order kept across parts), or an explicit assignment.
  all.forEach((event, i) => {
    const part = events.assign ? events.assign(i) % parts.length : Math.floor((i * parts.length) / all.length);
    (parts[part] as JsonRecord[]).push(event);
  });
  events.parts.forEach((format, p) => {
    const name = events.folder ? `events/part-${String(p + 1).padStart(4, "0")}.${format}` : `events.${format}`;
    files[name] = serialize(format, parts[p] as JsonRecord[]);
  });
  writeFiles(dir, files);
  return dir;
}

describe("byte-identical reports", () => {
  it("the same input scanned again gives the same bytes (folder and in-memory)", async () => {
    expect(formatJson(await scan(DEMO))).toBe(demoJson);
    expect(formatJson(await scan(DEMO))).toBe(demoJson);
    expect(formatJson(await scan(generated as never))).toBe(generatedJson);
    expect(JSON.parse(generatedJson).findings.length).toBeGreaterThan(20);
  });

  it("file layouts do not matter: one events file, a folder of parts, CSV, JSON arrays, mixed", async () => {
    const layouts: Array<[string, Parameters<typeof writeLayout>[1], Parameters<typeof writeLayout>[2]]> = [
      ["one NDJSON events file", {}, { parts: ["ndjson"], folder: false }],
      ["a folder of five NDJSON parts", {}, { parts: ["ndjson", "ndjson", "ndjson", "ndjson", "ndjson"], folder: true }],
      ["one CSV events file", {}, { parts: ["csv"], folder: false }],
      ["one JSON array events file", {}, { parts: ["json"], folder: false }],
      [
        "reference data as CSV and NDJSON, events in mixed parts out of time order",
        { partners: "csv", regions: "csv", territories: "csv", products: "ndjson", pricePolicies: "csv", promotions: "ndjson", registrations: "csv", customers: "csv" },
        { parts: ["csv", "ndjson", "json", "csv"], folder: true, assign: (i) => (i * 7) % 13 },
      ],
    ];
    for (const [name, formats, events] of layouts) {
      expect(formatJson(await scan(writeLayout(generated, formats, events))), name).toBe(generatedJson);
    }
  });

  it("the order of records within files does not matter", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer(), { minLength: 1, maxLength: 300 }),
        fc.constantFrom<Format>("ndjson", "csv", "json"),
        async (keys, format) => {
          const mixed = Object.fromEntries(Object.entries(generated).map(([name, records]) => [name, shuffle(records as JsonRecord[], keys)])) as Collections;
          const dir = writeLayout(mixed, Object.fromEntries(REFERENCE_NAMES.map((n) => [n, format])), { parts: [format, "ndjson"], folder: true });
          expect(formatJson(await scan(dir))).toBe(generatedJson);
        },
      ),
      { numRuns: 6 },
    );
  });

  it("a report with rejected records is as deterministic as a clean one", async () => {
    const events = (generated.events ?? []).map((e, i) => (i % 97 === 0 ? { ...e, occurredAt: "2025-02-30" } : i % 89 === 0 ? { ...e, partnerId: "NOPE" } : e));
    const broken = { ...generated, events };
    const first = formatJson(await scan(writeLayout(broken, {}, { parts: ["ndjson", "csv"], folder: true })));
    const again = formatJson(await scan(writeLayout(broken, {}, { parts: ["ndjson", "csv"], folder: true })));
    expect(again).toBe(first);
    expect(JSON.parse(first).summary.rejected).toBe(events.filter((_, i) => i % 97 === 0 || i % 89 === 0).length);
  });
});

describe("time zones", () => {
  // Times without an offset and dates alone are UTC (CONTRACT §2). This dataset sits on the edges a
  // local-time parse would move: a registration that ends at a date alone and a sale three hours
  // later (UTC) — in Los Angeles the date would begin 8 hours later and the sale would be poaching;
  // a date-time without offset inside a DST gap; spans that start at local-time-sensitive midnights.
  const EDGES: Collections = {
    partners: [
      { id: "A", channel: "reseller" },
      { id: "B", channel: "reseller" },
    ],
    regions: [{ code: "US" }, { code: "US-CA", parent: "US" }, { code: "US-NY", parent: "US" }],
    territories: [
      { id: "T1", partnerId: "A", region: "US-CA", exclusive: true, validFrom: "2025-03-09", validTo: "2025-03-10" },
      { id: "T2", partnerId: "B", region: "US-CA", exclusive: true, validFrom: "2025-03-10T00:00:00" },
    ],
    pricePolicies: [{ id: "PP", sku: "S", floorPrice: 100, currency: "USD", validFrom: "2025-03-01" }],
    registrations: [
      { id: "R1", customerId: "C1", partnerId: "A", status: "approved", registeredAt: "2025-01-01", expiresAt: "2025-03-01" },
      { id: "R2", customerId: "C1", partnerId: "B", status: "pending", registeredAt: "2025-03-01" },
    ],
    customers: [{ id: "C1", region: "US-CA" }],
    events: [
      { id: "e1", type: "sale", occurredAt: "2025-03-01T03:00:00Z", partnerId: "B", sku: "S", customerId: "C1", quantity: 1, unitPrice: 99, currency: "USD" },
      { id: "e2", type: "sale", occurredAt: "2025-03-09T02:30:00", partnerId: "A", sku: "S", customerId: "C1", quantity: 1, unitPrice: 120, currency: "USD", shipTo: { region: "US-NY" } },
      { id: "e3", type: "sale", occurredAt: "2025-03-09T23:30:00-08:00", partnerId: "A", sku: "S", quantity: 2, unitPrice: 120, currency: "USD", shipTo: { region: "US-CA" } },
      { id: "e4", type: "sale", occurredAt: "2025-02-28T23:59:59.999", partnerId: "A", sku: "S", quantity: 1, unitPrice: 90, currency: "USD", shipTo: { region: "US-CA" } },
    ],
  };

  it("the CLI prints the same bytes in Asia/Shanghai, America/Los_Angeles and UTC, in every format", async () => {
    const edges = tempDir("cc-tz-");
    writeFiles(edges, Object.fromEntries(Object.entries(EDGES).map(([name, records]) => [`${name}.ndjson`, serialize("ndjson", records as JsonRecord[])])));
    const genDir = writeLayout(generated, { customers: "csv" }, { parts: ["ndjson", "csv"], folder: true });
    const runs: Array<{ dataset: string; format: string }> = [
      ...["json", "table", "markdown", "sarif", "junit", "ndjson"].map((format) => ({ dataset: DEMO, format })),
      { dataset: edges, format: "json" },
      { dataset: edges, format: "table" },
      { dataset: genDir, format: "json" },
    ];
    const zones = ["Asia/Shanghai", "America/Los_Angeles", "UTC"];
    const jobs = runs.flatMap((run) => zones.map((tz) => ({ ...run, tz })));
    const results: Array<{ key: string; tz: string; stdout: Buffer; stderr: string; code: number | null }> = [];
    // Two at a time: the suite should not need more than two cores.
    for (let i = 0; i < jobs.length; i += 2) {
      results.push(
        ...(await Promise.all(
          jobs.slice(i, i + 2).map(async (job) => ({
            key: `${job.dataset} ${job.format}`,
            tz: job.tz,
            ...(await runCliAsync(["scan", job.dataset, "--format", job.format], { env: { TZ: job.tz } })),
          })),
        )),
      );
    }
    for (const result of results) {
      expect(result.stderr, `${result.key} in ${result.tz}`).toBe("");
      expect(result.code, `${result.key} in ${result.tz}`).toBe(0);
    }
    for (const run of runs) {
      const key = `${run.dataset} ${run.format}`;
      const outputs = results.filter((r) => r.key === key);
      expect(outputs).toHaveLength(3);
      for (const output of outputs) expect(output.stdout.equals((outputs[0] as (typeof outputs)[number]).stdout), `${key}: ${output.tz} vs ${outputs[0]?.tz}`).toBe(true);
    }
    // The CLI's JSON is the library's formatJson, byte for byte.
    expect(results.find((r) => r.key === `${DEMO} json`)?.stdout.toString("utf8")).toBe(demoJson);
    expect(results.find((r) => r.key === `${genDir} json`)?.stdout.toString("utf8")).toBe(generatedJson);

    // And the edges are read as UTC, as a user in any zone means them: R1 ended (a date alone: UTC
    // midnight) before e1 at 03:00Z, so B does not poach C1; the policy starts at that midnight, so e1
    // is below its floor and e4 (a time without offset, 1 ms before) has no policy; B's territory T2
    // starts later, so e1 is out of B's territory; A's T1 (2025-03-09 to 2025-03-10 UTC) covers neither
    // e4 (too early), e2 (US-NY) nor e3 (03-10T07:30Z, into T2 of B).
    const edgeReport = JSON.parse(results.find((r) => r.key === `${edges} json`)?.stdout.toString("utf8") ?? "{}") as {
      findings: Array<{ ruleId: string; eventIds: string[]; partners: string[] }>;
      summary: { events: number; rejected: number };
    };
    expect(edgeReport.summary).toMatchObject({ events: 4, rejected: 0 });
    expect(edgeReport.findings.map((f) => [f.ruleId, f.partners, f.eventIds]).sort()).toEqual(
      [
        ["price.below-floor", ["B"], ["e1"]],
        ["territory.out-of-territory", ["A", "B"], ["e2", "e3", "e4"]],
        ["territory.out-of-territory", ["B"], ["e1"]],
      ].sort(),
    );
  }, 60_000);
});
