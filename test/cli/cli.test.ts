import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
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
    expect(badRules.stderr).toContain("fixtures/rules-broken/broken.yaml:8: rule bad.kind: [1].kind:");
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

  it("prints the html report, its times in the manifest's zone unless --time-zone says otherwise", () => {
    const zh = run(["scan", "fixtures/erp-zh", "--format", "html", "--lang", "zh-CN"]);
    expect(zh.code).toBe(0);
    expect(zh.stdout.startsWith('<!doctype html>\n<html lang="zh-CN">')).toBe(true);
    expect(zh.stdout).toContain("时间均为 Asia/Shanghai 时间");
    expect(zh.stdout.match(/<article class="finding"/g)).toHaveLength(13);
    const en = run(["scan", "fixtures/erp-zh", "--format", "html", "--time-zone", "Europe/Berlin"]);
    expect(en.stdout).toContain('<html lang="en">');
    expect(en.stdout).toContain("times in Europe/Berlin");
  });

  it("prints well-formed JUnit: a test case per rule, a failure per rule with findings at or above --fail-on", () => {
    const { stdout, code } = run(["scan", "fixtures/demo", "--format", "junit", "--fail-on", "high"]);
    expect(code).toBe(1);
    expect(XMLValidator.validate(stdout)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testcase" || name === "failure" }).parse(stdout);
    const suite = xml.testsuites.testsuite;
    expect(suite.testcase).toHaveLength(8);
    const failures = suite.testcase.flatMap((c: { failure?: unknown[] }) => c.failure ?? []);
    expect(failures).toHaveLength(5);
    expect(suite["@_failures"]).toBe("5");
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
      expect(result.locations[0].physicalLocation.artifactLocation).toMatchObject({ uriBaseId: "%SRCROOT%", uri: expect.stringMatching(/^fixtures\/demo\//) });
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
    expect(report.summary.baseline).toEqual({ new: 0, worse: 0, known: 13, resolved: 0 });
    // A baseline from the poaching rules alone: the other findings are new, none resolved.
    const partial = join(dir, "partial.json");
    run(["scan", "fixtures/demo", "--format", "json", "--rules", "rules/customer-poaching.yaml", "--out", partial]);
    const mixed = JSON.parse(run(["scan", "fixtures/demo", "--format", "json", "--baseline", partial]).stdout);
    expect(mixed.summary.baseline).toEqual({ new: 10, worse: 0, known: 3, resolved: 0 });
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

describe("scan --events - (a live stream)", () => {
  const demoLines = () =>
    readdirSync("fixtures/demo/events")
      .filter((file) => file.endsWith(".ndjson"))
      .sort()
      .flatMap((file) => readFileSync(join("fixtures/demo/events", file), "utf8").trimEnd().split("\n"))
      .map((line) => ({ line, at: Date.parse(JSON.parse(line).occurredAt as string) }))
      .sort((a, b) => a.at - b.at);

  it("prints each finding as it opens, changes and closes with --format ndjson; the last line of each id is the report's finding", () => {
    const input = demoLines().map((l) => l.line).join("\n") + "\n";
    const { stdout, code } = run(["scan", "fixtures/demo", "--events", "-", "--format", "ndjson"], input);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as { id: string; rank: number });
    const last = new Map(lines.map((f) => [f.id, f]));
    expect(lines.length).toBeGreaterThan(last.size);
    const batch = JSON.parse(run(["scan", "fixtures/demo", "--events", "-", "--format", "json"], input).stdout) as { findings: { id: string; rank: number }[] };
    expect(batch.findings.length).toBeGreaterThan(3);
    const unranked = (fs: Iterable<{ id: string; rank: number }>) => [...fs].map((f) => ({ ...f, rank: 0 })).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(unranked(last.values())).toEqual(unranked(batch.findings));
  });

  it("puts late events back in order with --allowed-lateness, and rejects one later than that naming its id", () => {
    const ordered = demoLines();
    // Swap neighbours less than a day apart: each swapped pair has one event up to a day late.
    const swapped = [...ordered];
    let swaps = 0;
    for (let i = 0; i + 1 < swapped.length; i += 2) {
      const [a, b] = [swapped[i], swapped[i + 1]] as [(typeof ordered)[number], (typeof ordered)[number]];
      if (b.at > a.at && b.at - a.at < 86_400_000) {
        swapped[i] = b;
        swapped[i + 1] = a;
        swaps++;
      }
    }
    expect(swaps).toBeGreaterThan(0);
    const json = (lines: typeof ordered, extra: string[] = []) =>
      run(["scan", "fixtures/demo", "--events", "-", "--format", "json", ...extra], lines.map((l) => l.line).join("\n") + "\n");
    const inOrder = json(ordered);
    const tolerated = json(swapped, ["--allowed-lateness", "1d"]);
    expect(tolerated.stderr).toBe("");
    expect(JSON.parse(tolerated.stdout).findings).toEqual(JSON.parse(inOrder.stdout).findings);
    const late = { ...JSON.parse((ordered[0] as { line: string }).line), id: "LATE-1", occurredAt: "2020-01-01T00:00:00Z" };
    const rejecting = json([...ordered, { line: JSON.stringify(late), at: 0 }], ["--allowed-lateness", "2h"]);
    expect(rejecting.stderr).toMatch(new RegExp(`^stdin:${ordered.length + 1}: event "LATE-1": occurredAt: 2020-01-01T00:00:00.000Z is more than allowedLateness \\(2h\\) earlier`));
    const bad = run(["scan", "fixtures/demo", "--events", "-", "--allowed-lateness", "two hours"], "");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/allowedLateness: expected milliseconds or a duration such as "2h"/);
  });
});

describe("scan --events - reads stdin in the reader thread", () => {
  it("names the event of each rejection it can (an invalid event, a repeated id), keeps the line numbers, and finds what the batch scan finds", () => {
    const lines = readdirSync("fixtures/demo/events")
      .filter((file) => file.endsWith(".ndjson"))
      .sort()
      .flatMap((file) => readFileSync(join("fixtures/demo/events", file), "utf8").trimEnd().split("\n"))
      .sort((a, b) => Date.parse(JSON.parse(a).occurredAt as string) - Date.parse(JSON.parse(b).occurredAt as string));
    const first = JSON.parse(lines[0] as string) as { id: string };
    const last = JSON.parse(lines[lines.length - 1] as string) as { id: string };
    const input = [...lines, JSON.stringify({ ...first, id: "BAD-QTY", quantity: -1 }), lines[lines.length - 1], "not json", "\u00e9t\u00e9"].join("\n") + "\n";
    const { stdout, stderr, code } = run(["scan", "fixtures/demo", "--events", "-", "--format", "json"], input);
    expect(code).toBe(0);
    const n = lines.length;
    const lineOf = (text: string) => Number(/^stdin:(\d+):/.exec(text)?.[1]);
    const rejections = stderr.trimEnd().split("\n").sort((a, b) => lineOf(a) - lineOf(b));
    expect(rejections).toHaveLength(4);
    expect(rejections[0]).toMatch(new RegExp(`^stdin:${n + 1}: event "BAD-QTY": quantity: must be greater than 0`));
    expect(rejections[1]).toMatch(new RegExp(`^stdin:${n + 2}: event "${last.id}": `));
    expect(rejections[2]).toMatch(new RegExp(`^stdin:${n + 3}: not valid JSON`));
    expect(rejections[3]).toMatch(new RegExp(`^stdin:${n + 4}: not valid JSON`));
    const streamed = JSON.parse(stdout) as { findings: unknown[]; summary: { events: number; rejected: number } };
    // The lines rejected change nothing: the findings of the good lines alone.
    const good = JSON.parse(run(["scan", "fixtures/demo", "--events", "-", "--format", "json"], `${lines.join("\n")}\n`).stdout) as { findings: unknown[] };
    expect(streamed.findings.length).toBeGreaterThan(3);
    expect(streamed.findings).toEqual(good.findings);
    expect(streamed.summary.rejected).toBe(4);
  });
});

describe("scan --events - stops reading when it fails", () => {
  it("exits 2 at a rejection past --max-rejected while stdin stays open (a live pipe), without waiting for more input", async () => {
    const child = spawn(process.execPath, [CLI, "scan", "fixtures/demo", "--events", "-", "--format", "ndjson", "--max-rejected", "0"], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.stdin.write('{"id":"broken"\n');
    // The writer keeps its end open, as a producer between messages does; the scan must not wait for it.
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const code = await exited;
    clearTimeout(timer);
    child.stdin.destroy();
    expect(code).toBe(2);
    expect(stderr).toMatch(/max-rejected|maxRejected/);
  }, 30_000);
});

describe("validate and test", () => {
  it("validate lists every problem of a broken rule set in one run and exits 2", () => {
    const { code, stderr } = run(["validate", "fixtures/rules-broken"]);
    expect(code).toBe(2);
    const file = "fixtures/rules-broken/broken.yaml";
    // Each problem as file:line: rule <id>: path: message, in file order, with the closest valid name.
    expect(stderr).toContain(`${file}:8: rule bad.kind: [1].kind: must be one of "price-deviation"`);
    expect(stderr).toContain(`${file}:9: rule bad.kind: [1].severity: must be one of "low", "medium", "high", "critical", got "urgent"`);
    expect(stderr).toMatch(/broken\.yaml:18: rule bad\.operator: \[2\]\.conditions\.any\[0\]\.fact: unknown fact "belowFlor" for kind price-deviation; .*; did you mean belowFloor\?\n/);
    expect(stderr).toContain(`${file}:19: rule bad.operator: [2].conditions.any[1].operator: unknown operator "roughlyEqual"`);
    expect(stderr).toContain(`${file}:20: rule bad.operator: [2].conditions.any[2].path: unsupported path`);
    expect(stderr).toContain(`${file}:21: rule ok.rule: [3].id: duplicate rule id "ok.rule", first defined in ${file}:2`);
    expect(stderr).toContain(`${file}:26: rule no.conditions: [4].conditions: is missing`);
    expect(stderr).toMatch(/broken\.yaml:30: rule no\.conditions: \[4\]\.serverity: unknown key; expected one of id, kind, severity.*; did you mean severity\?\n/);
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

/** A dataset folder of the given files, in a fresh temp folder. */
function dataset(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "cc-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const PARTNERS = '[{"id":"P1","channel":"distributor"},{"id":"P2","channel":"reseller"}]';
const event = (id: string, fields: Record<string, unknown> = {}) =>
  JSON.stringify({ id, type: "order", occurredAt: "2025-03-01T09:00:00Z", partnerId: "P1", sku: "S1", quantity: 1, unitPrice: 100, currency: "CNY", ...fields });

describe("no silent failures: exit 2 with one line instead of \"No conflicts found\"", () => {
  it("an empty folder, and a folder with no events file", () => {
    const empty = dataset({});
    const none = run(["scan", empty]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe("");
    expect(none.stderr).toMatch(new RegExp(`^channel-conflict: ${empty}: no events file; expected events\\.json, .* or a folder events/ of such files\\n$`));
    const noEvents = run(["scan", "fixtures/loader/no-events", "--format", "json"]);
    expect(noEvents.code).toBe(2);
    expect(noEvents.stdout).toBe("");
    expect(noEvents.stderr).toMatch(/^channel-conflict: fixtures\/loader\/no-events: no events file \(not read: orders\.csv\); expected events\.json/);
    expect(noEvents.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("a dataset whose every event is rejected names the file and the first reason", () => {
    const dir = dataset({ "partners.json": PARTNERS, "events.ndjson": `${event("o-1", { partnerId: "NOPE" })}\n${event("o-2", { quantity: 0 })}\n` });
    const { code, stdout, stderr } = run(["scan", dir]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      'channel-conflict: events.ndjson: every record of events was rejected (2 of 2); expected at least one valid record; the first rejection: events.ndjson:1: partnerId: unknown partner "NOPE"; expected an id listed in partners\n',
    );
  });

  it("`partner.json`: the warning that says why comes before the error", () => {
    const dir = dataset({ "partner.json": PARTNERS, "events.ndjson": `${event("o-1")}\n` });
    const { code, stderr } = run(["scan", dir, "--format", "json"]);
    expect(code).toBe(2);
    expect(stderr.split("\n")).toEqual([
      'channel-conflict: warning: partner.json: not read, no collection is named "partner"; did you mean partners.json?',
      expect.stringMatching(/^channel-conflict: events\.ndjson: every record of events was rejected \(1 of 1\) \(there is no partners collection/),
      "",
    ]);
  });

  it("--rules on an empty folder, and rules that are all disabled", () => {
    const emptyRules = mkdtempSync(join(tmpdir(), "cc-rules-"));
    const onEmpty = run(["scan", "fixtures/demo", "--rules", emptyRules]);
    expect(onEmpty.code).toBe(2);
    expect(onEmpty.stderr).toBe(`channel-conflict: ${emptyRules}:(folder): holds no rule file; expected at least one .json, .yaml or .yml file of rules\n`);
    const validate = run(["validate", emptyRules]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(`${emptyRules}:(folder): holds no rule file`);
    expect(run(["test", emptyRules]).code).toBe(2);
    const disabled = join(emptyRules, "off.yaml");
    writeFileSync(disabled, readFileSync("rules/customer-poaching.yaml", "utf8").replace(/^(- id: .*)$/gm, "$1\n  enabled: false"));
    const allOff = run(["scan", "fixtures/demo", "--rules", disabled, "--format", "json"]);
    expect(allOff.code).toBe(2);
    expect(allOff.stdout).toBe("");
    expect(allOff.stderr).toMatch(/^channel-conflict: .*off\.yaml:\(rule set\): all 2 of its rules are disabled \(customer\.protected-sale, customer\.duplicate-registration\); expected at least one enabled rule/);
  });

  it("--max-rejected: a count or a percentage of every record read; anything else is a usage error", () => {
    const over = run(["scan", "fixtures/loader/rejections", "--max-rejected", "5%"]);
    expect(over.code).toBe(2);
    expect(over.stdout).toBe("");
    expect(over.stderr).toBe(
      'channel-conflict: fixtures/loader/rejections: 44 of 59 records were rejected (74.6%); expected at most 5% (maxRejected, --max-rejected); the first rejection: customers.json:[1]: id: duplicate "C-1", first defined at customers.json[0]\n',
    );
    expect(run(["scan", "fixtures/loader/rejections", "--max-rejected", "44", "--format", "json"]).code).toBe(0);
    expect(run(["scan", "fixtures/loader/rejections", "--max-rejected", "43", "--format", "json"]).code).toBe(2);
    expect(run(["scan", "fixtures/demo", "--max-rejected", "0", "--format", "json"]).code).toBe(0);
    const bad = run(["scan", "fixtures/demo", "--max-rejected", "lots"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-rejected: expected a count (e.g. 10) or a percentage from 0% to 100% (e.g. 5%), got "lots"');
    const stream = run(["scan", "fixtures/demo", "--events", "-", "--format", "ndjson", "--max-rejected", "0"], `${event("o-1", { quantity: 0 })}\n`);
    expect(stream.code).toBe(2);
    expect(stream.stderr).toContain("stdin: 1 of ");
  });

  it("the stream takes reference data only: a reference folder without events is fine", () => {
    const { code, stderr } = run(["scan", "fixtures/loader/no-events", "--events", "-", "--format", "json"], "");
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});

describe("warnings, and what spreadsheets write", () => {
  it("reads Events.CSV as events and Excel's TRUE/FALSE as booleans, skips rows of empty cells, and warns of near-miss columns", () => {
    const dir = dataset({
      "partners.json": PARTNERS,
      "territories.csv": "id,partnerId,region,exclusive\r\nT1,P1,CN,TRUE\r\nT2,P2,CN,True\r\n,,,\r\n",
      "Events.CSV": "id,type,occurredAt,partnerId,sku,quantity,unitPrice,currency,ship_to_region\r\no-1,order,2025-03-01,P1,S1,1,100,CNY,CN\r\n,,,,,,,,\r\n",
    });
    const { code, stdout, stderr } = run(["scan", dir, "--format", "json"]);
    expect(code).toBe(0);
    expect(stderr).toBe('channel-conflict: warning: Events.CSV:1: no field reads the column "ship_to_region"; did you mean shipTo.region?\n');
    const report = JSON.parse(stdout);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["territory.exclusive-overlap"]);
    expect(report.rejected).toEqual([]);
    expect(report.summary.records.events).toEqual({ read: 1, accepted: 1, rejected: 0 });
    expect(report.summary.warnings).toEqual([
      { code: "unread_column", file: "Events.CSV", message: 'Events.CSV:1: no field reads the column "ship_to_region"; did you mean shipTo.region?' },
    ]);
    const table = run(["scan", dir]);
    expect(table.stdout).toContain('\nWarning: Events.CSV:1: no field reads the column "ship_to_region"; did you mean shipTo.region?\n');
    expect(table.stderr).toContain("channel-conflict: warning: Events.CSV:1:");
  });

  it("table and markdown show the first rejected records; SARIF carries rejections and warnings as notifications", () => {
    const table = run(["scan", "fixtures/loader/rejections"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("\nRejected records: 44 (the first 5; --format json lists them all):\n");
    expect(table.stdout).toContain('\n  customers.json:[1]: id: duplicate "C-1", first defined at customers.json[0]\n');
    expect(table.stdout).toContain("\n  …and 39 more.\n");
    const markdown = run(["scan", "fixtures/loader/rejections", "--format", "markdown"]).stdout;
    expect(markdown).toContain("<details><summary>Rejected records (44)</summary>");
    expect(markdown).toContain('- `customers.json:[1]` id: duplicate "C-1", first defined at customers.json[0]');
    expect(markdown).toContain("…and 34 more (see the JSON report).");
    const misnamed = run(["scan", "fixtures/loader/misnamed", "--format", "markdown"]).stdout;
    expect(misnamed).toContain('### Warnings\n\n- customer/: not read, no collection is named "customer"; did you mean customers/?\n');

    const sarif = JSON.parse(run(["scan", "fixtures/loader/rejections", "--format", "sarif"]).stdout);
    const notifications = sarif.runs[0].invocations[0].toolExecutionNotifications;
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(true);
    expect(notifications).toHaveLength(44);
    expect(notifications[0]).toEqual({
      descriptor: { id: "rejected_record" },
      level: "warning",
      message: { text: 'customers.json:[1]: id: duplicate "C-1", first defined at customers.json[0]' },
      locations: [{ physicalLocation: { artifactLocation: { uri: "fixtures/loader/rejections/customers.json", uriBaseId: "%SRCROOT%" } } }],
      properties: { index: 1 },
    });
    const byLine = notifications.find((n: { message: { text: string } }) => n.message.text.startsWith("events.ndjson:5:"));
    expect(byLine.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "fixtures/loader/rejections/events.ndjson", uriBaseId: "%SRCROOT%" }, region: { startLine: 5 } });
    const warned = JSON.parse(run(["scan", "fixtures/loader/misnamed", "--format", "sarif"]).stdout).runs[0].invocations[0].toolExecutionNotifications;
    expect(warned.map((n: { descriptor: { id: string } }) => n.descriptor.id)).toEqual(["unknown_collection", "unknown_format", "unknown_collection"]);
    expect(warned[2]).toMatchObject({ level: "warning", locations: [{ physicalLocation: { artifactLocation: { uri: "fixtures/loader/misnamed/territory.csv", uriBaseId: "%SRCROOT%" } } }] });
    const clean = JSON.parse(run(["scan", "fixtures/demo", "--format", "sarif"]).stdout);
    expect(clean.runs[0].invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });
});
