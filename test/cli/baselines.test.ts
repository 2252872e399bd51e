// Baselines by fingerprint and occurrence, and suppressions with reasons and expiry (README "Use in CI").
// The demo dataset is copied, then changed the ways a CI user's data changes: a known offender does it
// again later (worse), an earlier occurrence turns up (older data), nothing changes.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyBaseline, applySuppressions, scan, type ScanReport } from "../../src/index.js";
import { DatasetError } from "../../src/core/errors.js";
import { readSuppressions } from "../../src/io/readBaseline.js";

const CLI = resolve("dist/cli.js");
const DEMO = resolve("fixtures/demo");
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "channel-conflict-baseline-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the demo with `lines` appended to its last events part. */
function demoWith(name: string, ...lines: object[]): string {
  const dir = join(root, name);
  cpSync(DEMO, dir, { recursive: true });
  for (const line of lines) appendFileSync(join(dir, "events", "part-0003.ndjson"), `${JSON.stringify(line)}\n`);
  return dir;
}

const sale = (id: string, occurredAt: string, unitPrice: number) => ({
  id,
  type: "order",
  occurredAt,
  partnerId: "RS-HZ1",
  sku: "LA-H100",
  quantity: 60,
  unitPrice,
  currency: "CNY",
  shipTo: { region: "CN-ZJ-HZ", country: "CN" },
});

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("baselines by fingerprint and occurrence", () => {
  let baselineFile: string;
  let demoReport: ScanReport;
  beforeAll(async () => {
    demoReport = await scan(DEMO);
    baselineFile = join(root, "baseline.json");
    writeFileSync(baselineFile, execFileSync(process.execPath, [CLI, "scan", DEMO, "--format", "json"], { encoding: "utf8" }));
  });

  it("every finding has a fingerprint of its rule and key, and a status", () => {
    for (const finding of demoReport.findings) {
      expect(finding.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(["open", "closed"]).toContain(finding.status);
    }
    expect(new Set(demoReport.findings.map((f) => f.fingerprint)).size).toBe(demoReport.findings.length);
  });

  it("an unchanged dataset against its own baseline passes: nothing new, everything known", () => {
    const run = cli(["scan", DEMO, "--baseline", baselineFile, "--fail-on", "low", "--format", "json"]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.findings).toEqual([]);
    expect(report.summary.baseline).toEqual({ new: 0, worse: 0, known: demoReport.findings.length, resolved: 0 });
  });

  it("a known conflict that gets worse fails CI, its new occurrence named", () => {
    // RS-HZ1 sells LA-H100 below the floor again, a month after its known occurrence (O-1020), far below.
    const worse = demoWith("worse", sale("O-9001", "2025-03-10T10:00:00Z", 480));
    const run = cli(["scan", worse, "--baseline", baselineFile, "--fail-on", "high", "--format", "json"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.summary.baseline).toMatchObject({ new: 1, worse: 1, resolved: 0 });
    const [finding] = report.findings;
    expect(finding?.ruleId).toBe("price.below-floor");
    expect(finding?.partners[0]).toBe("RS-HZ1");
    expect(finding?.sinceBaseline).toEqual({ count: 1, eventIds: ["O-9001"] });
    // The fingerprint is the known one; the table names the new occurrence.
    expect(demoReport.findings.map((f) => f.fingerprint)).toContain(finding?.fingerprint);
    const table = cli(["scan", worse, "--baseline", baselineFile]);
    expect(table.stdout).toContain("New since the baseline: 1 occurrence: O-9001");
  });

  it("older data keeps every fingerprint and resolves nothing", async () => {
    // An earlier occurrence of the same offence (before the known O-1020), as a backfilled file would bring.
    const older = demoWith("older", sale("O-0999", "2025-02-16T10:00:00Z", 900));
    const report = await scan(older);
    const compared = applyBaseline(report, JSON.parse(readFileSync(baselineFile, "utf8")) as ScanReport);
    expect(compared.findings).toEqual([]);
    expect(compared.summary.baseline).toEqual({ new: 0, worse: 0, known: demoReport.findings.length, resolved: 0 });
    // Its id changed (the group begins earlier), its fingerprint did not.
    const before = demoReport.findings.find((f) => f.eventIds.includes("O-1020"));
    const after = report.findings.find((f) => f.eventIds.includes("O-1020"));
    expect(after?.fingerprint).toBe(before?.fingerprint);
    expect(after?.id).not.toBe(before?.id);
  });

  it("a baseline without fingerprints is refused, saying how to make one", () => {
    const old = join(root, "old-baseline.json");
    writeFileSync(old, JSON.stringify({ findings: [{ id: "abc", eventIds: [], count: 1, lastSeen: "2025-01-01T00:00:00.000Z" }] }));
    const run = cli(["scan", DEMO, "--baseline", old]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("predates fingerprints");
  });
});

describe("suppressions", () => {
  it("hide matching findings with their reason, by fingerprint or by rule and partner; expired ones warn", async () => {
    const report = await scan(DEMO);
    const byFingerprint = report.findings.find((f) => f.ruleId === "price.below-map") as ScanReport["findings"][number];
    const offender = report.findings.find((f) => f.ruleId === "price.below-floor" && f.partners[0] === "RS-HZ1") as ScanReport["findings"][number];
    const hidden = applySuppressions(
      report,
      [
        { fingerprint: byFingerprint.fingerprint, reason: "MAP monitoring starts in Q3", by: "channel-ops" },
        { ruleId: "price.below-floor", partnerId: "RS-HZ1", reason: "clearance approved by the regional director", expires: "2099-01-01" },
        { ruleId: "price.below-floor", partnerId: "R-BRIGHT", reason: "old exception", expires: "2020-01-01" },
        { ruleId: "price.below-floor", partnerId: "NOBODY", reason: "stale" },
      ],
      { source: "suppressions.yaml", now: new Date("2026-01-01T00:00:00Z") },
    );
    expect(hidden.findings.map((f) => f.id)).not.toContain(byFingerprint.id);
    expect(hidden.findings.map((f) => f.id)).not.toContain(offender.id);
    expect(hidden.findings).toHaveLength(report.findings.length - 2);
    expect(hidden.findings.map((f) => f.rank)).toEqual(hidden.findings.map((_, i) => i + 1));
    expect(hidden.suppressed).toEqual([
      expect.objectContaining({ id: offender.id, reason: "clearance approved by the regional director", expires: "2099-01-01" }),
      expect.objectContaining({ id: byFingerprint.id, fingerprint: byFingerprint.fingerprint, reason: "MAP monitoring starts in Q3", by: "channel-ops" }),
    ].sort((a, b) => report.findings.findIndex((f) => f.id === (a as { id: string }).id) - report.findings.findIndex((f) => f.id === (b as { id: string }).id)));
    expect(hidden.summary.suppressions).toEqual({ suppressed: 2, expired: 1 });
    expect(hidden.summary.findings).toBe(report.findings.length - 2);
    expect(hidden.summary.warnings.map((w) => w.message)).toEqual([
      "suppressions.yaml: entry 3 (rule price.below-floor, partner R-BRIGHT) expired on 2020-01-01; it hides nothing now — renew it with a reason or remove it",
      "suppressions.yaml: entry 4 (rule price.below-floor, partner NOBODY) matches no finding",
    ]);
  });

  it("work from the command line, and a hidden finding no longer fails CI", () => {
    const file = join(root, "suppressions.yaml");
    writeFileSync(
      file,
      [
        "# Known and accepted, each with a reason.",
        "- ruleId: diversion.lot-outside-allocation",
        "  partnerId: D-QIANTANG",
        "  reason: the lot was re-allocated by phone; the WMS shows it late",
        "  by: east-region ops",
        "",
      ].join("\n"),
    );
    const plain = JSON.parse(cli(["scan", DEMO, "--format", "json"]).stdout) as ScanReport;
    const target = plain.findings.find((f) => f.ruleId === "diversion.lot-outside-allocation");
    expect(target, "the demo has a lot diversion").toBeDefined();
    const run = cli(["scan", DEMO, "--suppressions", file, "--format", "json"]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.findings.map((f) => f.id)).not.toContain(target?.id);
    expect(report.suppressed?.map((s) => [s.id, s.reason, s.by])).toEqual([[target?.id, "the lot was re-allocated by phone; the WMS shows it late", "east-region ops"]]);
    const table = cli(["scan", DEMO, "--suppressions", file]);
    expect(table.stdout).toContain("Suppressed: 1:");
  });

  it("a file with an entry without a reason is refused, naming its line", async () => {
    const file = join(root, "bad-suppressions.yaml");
    writeFileSync(file, "suppressions:\n  - fingerprint: abc\n    reason: fine\n  - ruleId: price.below-floor\n    partnerId: R-1\n");
    const error = await readSuppressions(file).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toMatch(/bad-suppressions\.yaml:4: suppressions\[1\]\.reason: /);
  });
});
