import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";

const CLI = "dist/cli.js";

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { input: input ?? "", encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the built binary", () => {
  it("keeps its shebang", () => {
    expect(readFileSync(CLI, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("prints usage for --help and exits 0", () => {
    const { code, stdout } = run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage:/);
    expect(stdout).toContain("--fail-on");
  });
});

describe("scan", () => {
  it("prints the JSON report and exits 0 without --fail-on", () => {
    const { code, stdout, stderr } = run(["scan", "fixtures/demo", "--format", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.findings).toHaveLength(13);
    expect(report.summary).toMatchObject({ events: 76, rejected: 0, findings: 13 });
  });

  it("reads events in a worker thread and prints exactly the golden report", () => {
    // The built package reads folder datasets' events in a worker; the golden file comes from the sources.
    const { stdout } = run(["scan", "fixtures/demo", "--format", "json"]);
    expect(stdout).toBe(readFileSync("fixtures/demo.golden.json", "utf8"));
  });

  it("scans in the worker thread with an onProgress callback, as the CLI does on a terminal", async () => {
    // The callback cannot cross to the worker; only the read limits may.
    const built = await import("../../dist/index.js");
    const phases: string[] = [];
    const report = await built.scan("fixtures/demo", { onProgress: (progress) => phases.push(progress.phase) });
    expect(phases.at(-1)).toBe("done");
    expect(report).toEqual(await built.scan("fixtures/demo"));
    expect(report.summary).toMatchObject({ events: 76, findings: 13 });
  });

  it("exits 1 when a finding is at or above --fail-on, 0 when none is", () => {
    expect(run(["scan", "fixtures/demo", "--fail-on", "critical", "--format", "json"]).code).toBe(1);
    const onlyMedium = run(["scan", "fixtures/demo", "--fail-on", "critical", "--rules", "rules/customer-poaching.yaml", "--format", "json"]);
    expect(JSON.parse(onlyMedium.stdout).findings.length).toBeGreaterThan(0);
    expect(onlyMedium.code).toBe(0);
  });

  it("exits 2 with one clear line for a bad argument, a missing dataset and invalid rules", () => {
    const badSeverity = run(["scan", "fixtures/demo", "--fail-on", "severe"]);
    expect(badSeverity.code).toBe(2);
    expect(badSeverity.stderr).toContain('--fail-on: unknown value "severe"; expected one of low, medium, high, critical');
    const missing = run(["scan", "fixtures/nope"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^channel-conflict: fixtures\/nope: cannot read the dataset folder/);
    const badRules = run(["scan", "fixtures/demo", "--rules", "fixtures/rules-broken"]);
    expect(badRules.code).toBe(2);
    expect(badRules.stdout).toBe("");
    expect(badRules.stderr).toContain("fixtures/rules-broken/broken.yaml:[1].kind:");
  });

  it("reports an unreadable events file read by the worker thread as one line, exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "cc-"));
    writeFileSync(join(dir, "partners.json"), '[{"id":"P1","channel":"reseller"}]');
    writeFileSync(join(dir, "events.json"), "[{ not json");
    const { code, stderr, stdout } = run(["scan", dir, "--format", "json"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^channel-conflict: events\.json: not valid JSON \(.*\); expected an array of records\n$/);
  });

  it("prints NDJSON: one finding per line and nothing else", () => {
    const { stdout } = run(["scan", "fixtures/demo", "--format", "ndjson"]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(13);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty("ruleId");
  });

  it("prints markdown with a summary table and the top findings", () => {
    const { stdout } = run(["scan", "fixtures/demo", "--format", "markdown"]);
    expect(stdout).toContain("| kind | low | medium | high | critical | total |");
    expect(stdout).toContain("| price-deviation | 0 | 3 | 3 | 0 | 6 |");
    expect(stdout).toContain("### Top 13 findings");
  });

  it("prints well-formed JUnit: a test case per rule, a failure per finding at or above --fail-on", () => {
    const { stdout, code } = run(["scan", "fixtures/demo", "--format", "junit", "--fail-on", "high"]);
    expect(code).toBe(1);
    expect(XMLValidator.validate(stdout)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testcase" || name === "failure" }).parse(stdout);
    const suite = xml.testsuites.testsuite;
    expect(suite.testcase).toHaveLength(8);
    const failures = suite.testcase.flatMap((c: { failure?: unknown[] }) => c.failure ?? []);
    expect(failures).toHaveLength(9);
    expect(suite["@_failures"]).toBe("9");
  });

  it("prints SARIF 2.1.0 with the rules and one result per finding", () => {
    const { stdout } = run(["scan", "fixtures/demo", "--format", "sarif"]);
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe("2.1.0");
    const [runEntry] = sarif.runs;
    const ruleIds = runEntry.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toHaveLength(8);
    expect(runEntry.results).toHaveLength(13);
    for (const result of runEntry.results) {
      expect(ruleIds[result.ruleIndex]).toBe(result.ruleId);
      expect(["note", "warning", "error"]).toContain(result.level);
      expect(result.message.text.length).toBeGreaterThan(10);
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe("fixtures/demo");
      expect(result.partialFingerprints["channelConflictFindingId/v1"]).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it("writes the report to --out and nothing to stdout", () => {
    const out = join(mkdtempSync(join(tmpdir(), "cc-")), "report.json");
    const { stdout, code } = run(["scan", "fixtures/demo", "--format", "json", "--out", out]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(existsSync(out)).toBe(true);
    expect(JSON.parse(readFileSync(out, "utf8")).findings).toHaveLength(13);
  });

  it("suppresses exactly the baseline's findings and counts new, known and resolved", () => {
    const dir = mkdtempSync(join(tmpdir(), "cc-"));
    const baseline = join(dir, "baseline.json");
    run(["scan", "fixtures/demo", "--format", "json", "--out", baseline]);
    const again = run(["scan", "fixtures/demo", "--format", "json", "--baseline", baseline, "--fail-on", "low"]);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout);
    expect(report.findings).toEqual([]);
    expect(report.summary.baseline).toEqual({ new: 0, known: 13, resolved: 0 });
    // A baseline from the poaching rules alone: the other findings are new, none resolved.
    const partial = join(dir, "partial.json");
    run(["scan", "fixtures/demo", "--format", "json", "--rules", "rules/customer-poaching.yaml", "--out", partial]);
    const mixed = JSON.parse(run(["scan", "fixtures/demo", "--format", "json", "--baseline", partial]).stdout);
    expect(mixed.summary.baseline).toEqual({ new: 10, known: 3, resolved: 0 });
    expect(mixed.findings.map((f: { rank: number }) => f.rank)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it("reads events as NDJSON on stdin, reports a bad line on stderr with its number, and keeps going", () => {
    const lines = readFileSync("fixtures/demo/events/part-0002.ndjson", "utf8").trimEnd().split("\n");
    lines.splice(2, 0, '{"id": "broken", "type": "order"');
    const { stdout, stderr, code } = run(["scan", "fixtures/demo", "--events", "-", "--format", "ndjson"], `${lines.join("\n")}\n`);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^stdin:3: not valid JSON/);
    const findings = stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(findings.map((f) => f.ruleId)).toContain("diversion.lot-outside-allocation");
  });
});

describe("validate and test", () => {
  it("validate lists every problem of a broken rule set in one run and exits 2", () => {
    const { code, stderr } = run(["validate", "fixtures/rules-broken"]);
    expect(code).toBe(2);
    const file = "fixtures/rules-broken/broken.yaml";
    expect(stderr).toContain(`${file}:[1].kind: must be one of "price-deviation"`);
    expect(stderr).toContain(`${file}:[1].severity: must be one of "low", "medium", "high", "critical", got "urgent"`);
    expect(stderr).toContain(`${file}:[2].conditions.any[0].fact: unknown fact "belowFlor" for kind price-deviation`);
    expect(stderr).toContain(`${file}:[2].conditions.any[1].operator: unknown operator "roughlyEqual"`);
    expect(stderr).toContain(`${file}:[2].conditions.any[2].path: unsupported path`);
    expect(stderr).toContain(`${file}:[3].id: duplicate rule id "ok.rule"`);
    expect(stderr).toContain(`${file}:[4].conditions: is missing`);
    expect(stderr).toContain(`${file}:[4].serverity: unknown key; expected one of id, kind, severity`);
    expect(stderr).toMatch(/8 problems; the rule set is refused\.\n$/);
  });

  it("validate exits 0 on the shipped rules", () => {
    const { code, stdout } = run(["validate", "rules"]);
    expect(code).toBe(0);
    expect(stdout).toBe("8 rules valid.\n");
  });

  it("test runs every shipped rule's cases and closes with a count line", () => {
    const { code, stdout } = run(["test", "rules"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\n18 passed, 0 failed\n$/);
    expect(stdout).not.toContain("FAIL");
  });
});
