import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The consumers live inside the repository so the packed package resolves its dependencies from ./node_modules.
const root = resolve(".consumers");
let dir: string;

beforeAll(() => {
  mkdirSync(root, { recursive: true });
  dir = mkdtempSync(join(root, "c-"));
  execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { stdio: ["ignore", "pipe", "pipe"] });
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz")) as string;
  const target = join(dir, "node_modules", "channel-conflict");
  mkdirSync(target, { recursive: true });
  execFileSync("tar", ["xzf", join(dir, tarball), "-C", target, "--strip-components=1"]);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const demo = resolve("fixtures/demo");
const program = (load: string) => `
${load}
const report = await scan(${JSON.stringify(demo)});
const rules = await loadRules();
const charts = (await formatHtml(report, { rules: rules.rules })).match(/<svg /g).length;
console.log(JSON.stringify({ findings: report.findings.length, rules: rules.rules.length, first: report.findings[0].ruleId, charts }));
`;

describe("the packed package", () => {
  it("works from an ESM consumer", () => {
    const file = join(dir, "esm.mjs");
    writeFileSync(file, program(`import { scan, loadRules, formatHtml } from "channel-conflict";`));
    const out = JSON.parse(execFileSync(process.execPath, [file], { cwd: dir, encoding: "utf8" }));
    expect(out).toEqual({ findings: 13, rules: 8, first: "diversion.lot-outside-allocation", charts: 3 });
  });

  it("works from a CommonJS consumer", () => {
    const file = join(dir, "cjs.cjs");
    writeFileSync(file, `(async () => {${program(`const { scan, loadRules, formatHtml } = require("channel-conflict");`)}})();`);
    const out = JSON.parse(execFileSync(process.execPath, [file], { cwd: dir, encoding: "utf8" }));
    expect(out).toEqual({ findings: 13, rules: 8, first: "diversion.lot-outside-allocation", charts: 3 });
  });

  it("ships the demo and its Chinese ERP export, which the installed binary scans to the same findings", () => {
    const cli = join(dir, "node_modules/channel-conflict/dist/cli.js");
    const scanIds = (dataset: string) =>
      (JSON.parse(execFileSync(process.execPath, [cli, "scan", join(dir, "node_modules/channel-conflict/fixtures", dataset), "--format", "json"], { encoding: "utf8" })) as {
        findings: { id: string }[];
      }).findings.map((finding) => finding.id);
    const demoIds = scanIds("demo");
    expect(demoIds).toHaveLength(13);
    expect(scanIds("erp-zh")).toEqual(demoIds);
  });

  it("ships the binary with its shebang and the rules", () => {
    const out = execFileSync(process.execPath, [join(dir, "node_modules/channel-conflict/dist/cli.js"), "validate", join(dir, "node_modules/channel-conflict/rules")], { encoding: "utf8" });
    expect(out).toBe("8 rules valid.\n");
  });
});
