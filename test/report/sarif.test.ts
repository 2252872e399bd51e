import { spawnSync } from "node:child_process";
import { accessSync, constants, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { listDataset } from "../../src/io/sources.js";
import { formatSarif } from "../../src/report/formatSarif.js";
import { recordKey } from "../../src/report/locateRecords.js";
import { loadRules } from "../../src/rules/loadRules.js";
import { scan } from "../../src/scan/scan.js";
import { readRawCollections } from "../helpers.js";

const ROOT = process.cwd();

/** The SARIF Multitool's native binary (the npm package resolves to the build for this platform). */
function multitool(): string {
  let binary: string;
  try {
    binary = createRequire(import.meta.url)("@microsoft/sarif-multitool") as string;
  } catch (error) {
    throw new Error(
      `the SARIF Multitool is not installed (devDependency @microsoft/sarif-multitool and its per-platform build, ` +
        `e.g. @microsoft/sarif-multitool-linux): ${(error as Error).message}`,
    );
  }
  if (!existsSync(binary)) throw new Error(`the SARIF Multitool binary ${binary} is missing: was its optional dependency for ${process.platform} installed?`);
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new Error(`the SARIF Multitool binary ${binary} is not executable (its postinstall runs chmod u+x; run it by hand)`);
  }
  return binary;
}

interface Problem {
  readonly ruleId: string;
  readonly level: string;
  readonly text: string;
}

/** `sarif-multitool validate` of a SARIF text: every problem it reports (errors and warnings). */
function validate(sarif: string): Problem[] {
  const dir = mkdtempSync(join(tmpdir(), "cc-sarif-"));
  const input = join(dir, "report.sarif");
  const output = join(dir, "validation.sarif");
  writeFileSync(input, sarif);
  const run = spawnSync(multitool(), ["validate", input, "--output", output, "--log", "ForceOverwrite"], {
    encoding: "utf8",
    // The tool needs no culture data: run it where ICU is not installed too.
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1" },
  });
  if (run.error || run.status !== 0 || !existsSync(output)) {
    throw new Error(`the SARIF Multitool did not run (status ${run.status}): ${run.error?.message ?? ""}\n${run.stdout}\n${run.stderr}`);
  }
  const log = JSON.parse(readFileSync(output, "utf8"));
  rmSync(dir, { recursive: true, force: true });
  return (log.runs[0].results ?? []).map((r: { ruleId: string; level?: string; message: { id?: string; text?: string; arguments?: string[] } }) => ({
    ruleId: r.ruleId,
    level: r.level ?? "warning",
    text: r.message.text ?? `${r.message.id} ${JSON.stringify(r.message.arguments ?? [])}`,
  }));
}

/** Runs the CLI in-process (`runCli`, from the sources: no build needed), collecting what it writes. */
async function cli(args: string[], options: { input?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const collect = (chunks: Buffer[]) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const input = options.input;
  const stdin = (async function* () {
    if (input !== undefined && input !== "") yield Buffer.from(input);
  })();
  const code = await runCli(args, { stdout: collect(out), stderr: collect(err), stdin });
  return { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

interface SarifLocation {
  physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number } };
  message?: { text: string };
}
interface SarifResult {
  ruleId: string;
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  properties: { eventIds: string[]; refs: Array<{ type: string; id: string }> };
}

/** The file a SARIF artifact location names, resolved against the run's `originalUriBaseIds`. */
function pathOf(run: { originalUriBaseIds?: Record<string, { uri: string }> }, artifact: { uri: string; uriBaseId?: string }): string {
  // A URI reference: ASCII without spaces or controls (non-ASCII and spaces percent-encoded).
  expect(artifact.uri).toMatch(/^[\x21-\x7e]+$/);
  if (artifact.uriBaseId === undefined) {
    expect(artifact.uri).toMatch(/^file:\/\//);
    return fileURLToPath(artifact.uri);
  }
  expect(artifact.uri).not.toMatch(/^\/|^[a-z][a-z0-9+.-]*:/i);
  const base = run.originalUriBaseIds?.[artifact.uriBaseId]?.uri;
  expect(base, `originalUriBaseIds["${artifact.uriBaseId}"]`).toMatch(/^file:\/\/.*\/$/);
  return fileURLToPath(new URL(artifact.uri, base));
}

/** Each file of a dataset by absolute path, with the encoding it is read in. */
async function encodings(dataset: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const files of (await listDataset(dataset)).files.values()) for (const file of files) out.set(resolve(file.path), file.encoding ?? "utf-8");
  return out;
}

/**
 * Checks that each located result and related location points at a line of its file that holds the id of
 * the record it stands for: the first evidence event, else the first ref; returns how many were checked.
 */
async function expectLinesHoldIds(sarif: string, dataset: string): Promise<number> {
  const log = JSON.parse(sarif);
  const run = log.runs[0];
  const files = await encodings(dataset);
  const lines = new Map<string, string[]>();
  const lineAt = (location: SarifLocation): string => {
    const physical = location.physicalLocation;
    if (!physical) throw new Error("no physical location");
    const path = pathOf(run, physical.artifactLocation);
    const encoding = files.get(path);
    expect(encoding, `${path} is a file of the dataset`).toBeDefined();
    let text = lines.get(path);
    if (!text) {
      text = new TextDecoder(encoding).decode(readFileSync(path)).split(/\r?\n/);
      lines.set(path, text);
    }
    const startLine = physical.region?.startLine;
    expect(startLine, `${physical.artifactLocation.uri} has a line`).toBeGreaterThan(0);
    const line = text[(startLine as number) - 1] as string;
    // A pretty-printed JSON record starts on its `{` line: its id is on the lines that follow.
    return line.trim() === "{" ? text.slice((startLine as number) - 1, (startLine as number) + 1).join("\n") : line;
  };
  let checked = 0;
  for (const result of run.results as SarifResult[]) {
    const { eventIds, refs } = result.properties;
    const [location] = result.locations;
    expect(location?.physicalLocation, `${result.ruleId} is located`).toBeDefined();
    const line = lineAt(location as SarifLocation);
    if (eventIds.length > 0) expect(eventIds.some((id) => line.includes(id)), `${result.ruleId}: "${line}" holds one of ${eventIds.join(", ")}`).toBe(true);
    else expect(line, `${result.ruleId}: the line of its first ref`).toContain(refs[0]?.id);
    checked++;
    for (const related of result.relatedLocations ?? []) {
      const id = related.message?.text.split(" ")[1] as string;
      expect([...eventIds, ...refs.map((r) => r.id)]).toContain(id);
      expect(lineAt(related), `${result.ruleId}: related ${related.message?.text}`).toContain(id);
      checked++;
    }
  }
  return checked;
}

describe("SARIF for code scanning", () => {
  it("the Multitool runs here and reports errors in a SARIF file that has them (so a silent validator cannot pass)", async () => {
    const problems = validate(JSON.stringify({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ message: { text: "m" }, locations: [{ physicalLocation: { artifactLocation: { uri: "/abs olute.csv" } } }] }] }] }));
    expect(problems.filter((p) => p.level === "error").map((p) => p.ruleId)).toEqual(expect.arrayContaining(["SARIF1002", "SARIF1010"]));
  });

  for (const dataset of ["fixtures/demo", "fixtures/erp-zh"]) {
    it(`${dataset}: valid for the SARIF Multitool, each result at the line of its first evidence record`, async () => {
      const { stdout, code, stderr } = await cli(["scan", dataset, "--format", "sarif"]);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      const errors = validate(stdout).filter((p) => p.level === "error");
      expect(errors, errors.map((e) => `${e.ruleId}: ${e.text}`).join("\n")).toEqual([]);
      const run = JSON.parse(stdout).runs[0];
      expect(run.results).toHaveLength(13);
      expect(run.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: `${pathToFileURL(ROOT).href}/` } });
      for (const result of run.results as SarifResult[]) {
        expect(result.locations[0]?.physicalLocation?.artifactLocation).toMatchObject({ uriBaseId: "%SRCROOT%" });
        expect(result.locations[0]?.physicalLocation?.artifactLocation.uri.startsWith(`${dataset}/`)).toBe(true);
      }
      expect(await expectLinesHoldIds(stdout, dataset)).toBeGreaterThan(13);
    });
  }

  it("fixtures/erp-zh: Chinese file names are percent-encoded UTF-8", async () => {
    const run = JSON.parse((await cli(["scan", "fixtures/erp-zh", "--format", "sarif"])).stdout).runs[0];
    const uris = (run.results as SarifResult[]).map((r) => r.locations[0]?.physicalLocation?.artifactLocation.uri);
    expect(uris).toContain(`fixtures/erp-zh/erp/${encodeURIComponent("订单-2025-02.csv")}`);
    expect(uris).toContain("fixtures/erp-zh/erp/%E8%AE%A2%E5%8D%95-2025-02.csv");
  });

  it("a dataset outside the working directory, its path with a space and Chinese: absolute file: URIs, still valid", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "cc-sarif-out-")), "渠道 数据");
    cpSync("fixtures/demo", dir, { recursive: true });
    const { stdout, code } = await cli(["scan", dir, "--format", "sarif"]);
    expect(code).toBe(0);
    const errors = validate(stdout).filter((p) => p.level === "error");
    expect(errors, errors.map((e) => `${e.ruleId}: ${e.text}`).join("\n")).toEqual([]);
    const run = JSON.parse(stdout).runs[0];
    for (const result of run.results as SarifResult[]) {
      const artifact = result.locations[0]?.physicalLocation?.artifactLocation;
      expect(artifact?.uriBaseId).toBeUndefined();
      expect(artifact?.uri).toContain("/%E6%B8%A0%E9%81%93%20%E6%95%B0%E6%8D%AE/");
    }
    expect(await expectLinesHoldIds(stdout, dir)).toBeGreaterThan(13);
  });

  it("a dataset named by an absolute path inside the working directory gets relative URIs (never a leading slash)", async () => {
    const run = JSON.parse((await cli(["scan", resolve("fixtures/demo"), "--format", "sarif"])).stdout).runs[0];
    for (const result of run.results as SarifResult[]) {
      expect(result.locations[0]?.physicalLocation?.artifactLocation).toMatchObject({ uriBaseId: "%SRCROOT%", uri: expect.stringMatching(/^fixtures\/demo\//) });
    }
  });

  it("JSON array files: a record is located at the line its object starts on", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cc-sarif-json-"));
    cpSync("fixtures/demo", dir, { recursive: true, filter: (source) => !/[\\/](events|territories\.csv|registrations\.ndjson)$/.test(source) });
    const raw = await readRawCollections("fixtures/demo");
    // One record a line, so the line a record starts on holds its id; a blank line and a header line first.
    const write = (name: string, records: unknown[]) => writeFileSync(join(dir, name), `\n[\n${records.map((r) => JSON.stringify(r)).join(",\n")}\n]\n`);
    write("events.json", raw.events as unknown[]);
    write("territories.json", raw.territories as unknown[]);
    write("registrations.json", raw.registrations as unknown[]);
    const { stdout, code } = await cli(["scan", dir, "--format", "sarif"]);
    expect(code).toBe(0);
    const run = JSON.parse(stdout).runs[0];
    expect(run.results).toHaveLength(13);
    expect(validate(stdout).filter((p) => p.level === "error")).toEqual([]);
    expect(await expectLinesHoldIds(stdout, dir)).toBeGreaterThan(13);
    // A JSON record's index in its file stays a property: SARIF regions have no index.
    const overlap = (run.results as Array<SarifResult & { properties: { index?: number } }>).find((r) => r.ruleId === "territory.exclusive-overlap");
    expect(overlap?.properties.index).toBe(0);
  });

  it("events from stdin have no file: their results have no physical location, their rejections none either", async () => {
    const events = readFileSync("fixtures/demo/events/part-0002.ndjson", "utf8") + readFileSync("fixtures/demo/events/part-0003.ndjson", "utf8");
    const { stdout, code } = await cli(["scan", "fixtures/demo", "--events", "-", "--format", "sarif"], { input: `${events}{oops\n` });
    expect(code).toBe(0);
    expect(validate(stdout).filter((p) => p.level === "error")).toEqual([]);
    const run = JSON.parse(stdout).runs[0];
    const results = run.results as SarifResult[];
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) {
      // Not at the dataset's own events files, which a stream scan does not read.
      if (result.properties.eventIds.length > 0) expect(result.locations[0]?.physicalLocation).toBeUndefined();
      else expect(result.locations[0]?.physicalLocation?.artifactLocation.uri).toMatch(/^fixtures\/demo\/(territories\.csv|registrations\.ndjson)$/);
    }
    const [rejection] = run.invocations[0].toolExecutionNotifications;
    expect(rejection).toMatchObject({ descriptor: { id: "rejected_record" }, message: { text: expect.stringMatching(/^stdin:\d+: not valid JSON/) } });
    expect(rejection.locations).toBeUndefined();
    expect(rejection.properties.line).toBeGreaterThan(1);
  });

  it("rejections and warnings keep their notifications, with the same URIs", async () => {
    const rejected = JSON.parse((await cli(["scan", "fixtures/loader/rejections", "--format", "sarif"])).stdout);
    expect(validate(JSON.stringify(rejected)).filter((p) => p.level === "error")).toEqual([]);
    const notifications = rejected.runs[0].invocations[0].toolExecutionNotifications;
    expect(notifications).toHaveLength(44);
    expect(notifications[0]).toEqual({
      descriptor: { id: "rejected_record" },
      level: "warning",
      message: { text: 'customers.json:[1]: id: duplicate "C-1", first defined at customers.json[0]' },
      locations: [{ physicalLocation: { artifactLocation: { uri: "fixtures/loader/rejections/customers.json", uriBaseId: "%SRCROOT%" } } }],
      properties: { index: 1 },
    });
    const byLine = notifications.find((n: { message: { text: string } }) => n.message.text.startsWith("events.ndjson:5:"));
    expect(byLine.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "fixtures/loader/rejections/events.ndjson", uriBaseId: "%SRCROOT%" },
      region: { startLine: 5 },
    });
    const warned = JSON.parse((await cli(["scan", "fixtures/loader/misnamed", "--format", "sarif"])).stdout).runs[0].invocations[0].toolExecutionNotifications;
    expect(warned[2]).toMatchObject({ locations: [{ physicalLocation: { artifactLocation: { uri: "fixtures/loader/misnamed/territory.csv", uriBaseId: "%SRCROOT%" } } }] });
  });

  it("rules carry GitHub's security-severity and problem.severity, tagged security", async () => {
    const run = JSON.parse((await cli(["scan", "fixtures/demo", "--format", "sarif"])).stdout).runs[0];
    const expected = { critical: ["9.5", "error"], high: ["8.0", "error"], medium: ["5.5", "warning"], low: ["3.0", "recommendation"] } as const;
    expect(run.tool.driver.rules).toHaveLength(8);
    for (const rule of run.tool.driver.rules as Array<{ properties: Record<string, unknown> & { severity: keyof typeof expected; tags: string[] } }>) {
      const [security, problem] = expected[rule.properties.severity];
      expect(rule.properties["security-severity"]).toBe(security);
      expect(Number(rule.properties["security-severity"])).toBeGreaterThan(0);
      expect(rule.properties["problem.severity"]).toBe(problem);
      expect(rule.properties.tags).toContain("security");
    }
  });

  it("formatSarif: URIs relative to the working directory given, segments percent-encoded", async () => {
    const rules = await loadRules();
    const report = await scan("fixtures/demo", { rules });
    const first = report.findings[0];
    if (!first) throw new Error("the demo has findings");
    const [eventId] = first.eventIds as [string];
    const locations = new Map([[recordKey("event", eventId), { file: "sub dir/50%#?.ndjson", line: 3 }]]);
    const sarif = JSON.parse(formatSarif(report, { rules: rules.rules, dataset: "data set", version: "0.0.0", locations, workingDirectory: "/work/ci root" }));
    const run = sarif.runs[0];
    expect(run.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///work/ci%20root/" } });
    expect(run.results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "data%20set/sub%20dir/50%25%23%3F.ndjson", uriBaseId: "%SRCROOT%" },
      region: { startLine: 3 },
    });
    const outside = JSON.parse(formatSarif(report, { rules: rules.rules, dataset: "/elsewhere/数据", version: "0.0.0", locations, workingDirectory: "/work/ci root" }));
    expect(outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: "file:///elsewhere/%E6%95%B0%E6%8D%AE/sub%20dir/50%25%23%3F.ndjson",
    });
    // Without locations a result has no physical location, only its partners.
    const bare = JSON.parse(formatSarif(report, { rules: rules.rules, dataset: "fixtures/demo", version: "0.0.0" }));
    expect(bare.runs[0].results[0].locations[0].physicalLocation).toBeUndefined();
    expect(bare.runs[0].results[0].locations[0].logicalLocations[0]).toEqual({ name: first.partners[0], kind: "offender" });
  });
});
