import { Writable } from "node:stream";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { compareSeverity, type Severity } from "../../src/core/types.js";
import type { ScanReport } from "../../src/findings/report.js";
import { formatJunit } from "../../src/report/formatJunit.js";
import { loadRules } from "../../src/rules/loadRules.js";
import type { RuleSet } from "../../src/rules/types.js";
import { scan } from "../../src/scan/scan.js";

/** An element as fast-xml-parser's `preserveOrder` gives it: its name, attributes, children in order, text. */
interface Element {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: Element[];
  readonly text: string;
}

type Ordered = Array<Record<string, unknown> & { ":@"?: Record<string, string> }>;

function elements(nodes: Ordered): Element[] {
  const out: Element[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ":@") as string;
    if (name === "#text" || name === "?xml") continue;
    const children = node[name] as Ordered;
    const attributes = Object.fromEntries(Object.entries(node[":@"] ?? {}).map(([key, value]) => [key.replace(/^@_/, ""), String(value)]));
    const text = children.filter((c) => "#text" in c).map((c) => String(c["#text"])).join("");
    out.push({ name, attributes, children: elements(children), text });
  }
  return out;
}

/**
 * The structure of the common JUnit XML schema (Jenkins' junit-10.xsd, which Surefire's reports follow):
 * per element, the attributes allowed (required ones marked), and the children allowed in their order.
 */
const SCHEMA: Record<string, { required: string[]; optional: string[]; children: string[] }> = {
  testsuites: { required: [], optional: ["name", "time", "tests", "failures", "disabled", "errors"], children: ["testsuite"] },
  testsuite: {
    required: ["name", "tests"],
    optional: ["failures", "errors", "skipped", "disabled", "time", "timestamp", "hostname", "id", "package", "file", "log", "url", "version"],
    children: ["properties", "testcase", "system-out", "system-err"],
  },
  testcase: { required: ["name"], optional: ["classname", "time", "assertions", "status", "file", "line"], children: ["skipped", "error", "failure", "system-out", "system-err"] },
  failure: { required: [], optional: ["message", "type"], children: [] },
  "system-out": { required: [], optional: [], children: [] },
};

/** Checks an element and its children against `SCHEMA`: known names, allowed attributes, children in schema order. */
function expectSchema(element: Element, path = element.name): void {
  const shape = SCHEMA[element.name];
  expect(shape, `${path}: an element of the schema`).toBeDefined();
  if (!shape) return;
  for (const attribute of shape.required) expect(element.attributes, `${path} has ${attribute}`).toHaveProperty(attribute);
  for (const attribute of Object.keys(element.attributes)) expect([...shape.required, ...shape.optional], `${path}@${attribute}`).toContain(attribute);
  for (const numeric of ["tests", "failures", "errors", "skipped", "disabled"]) {
    if (numeric in element.attributes) expect(element.attributes[numeric], `${path}@${numeric}`).toMatch(/^\d+$/);
  }
  if ("time" in element.attributes) expect(element.attributes.time).toMatch(/^\d+(\.\d+)?$/);
  const order = element.children.map((child) => shape.children.indexOf(child.name));
  expect(order.every((rank) => rank >= 0), `${path}: children ${element.children.map((c) => c.name).join(", ")}`).toBe(true);
  expect([...order].sort((a, b) => a - b), `${path}: children in schema order`).toEqual(order);
  if (element.name === "testcase") {
    // One skipped at most; this report writes one failure at most per case.
    expect(element.children.filter((c) => c.name === "skipped").length).toBeLessThanOrEqual(1);
    expect(element.children.filter((c) => c.name === "failure").length).toBeLessThanOrEqual(1);
  }
  element.children.forEach((child, i) => expectSchema(child, `${path}/${child.name}[${i}]`));
}

function parse(xml: string): Element {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const [root] = elements(new XMLParser({ preserveOrder: true, ignoreAttributes: false, trimValues: false }).parse(xml) as Ordered);
  if (!root) throw new Error("no root element");
  return root;
}

let rules: RuleSet;
let report: ScanReport;
beforeAll(async () => {
  rules = await loadRules();
  report = await scan("fixtures/demo", { rules });
});

function junit(failOn?: Severity): { root: Element; suite: Element; cases: Element[] } {
  const root = parse(formatJunit(report, { rules: rules.rules, dataset: "fixtures/demo", version: "0.0.0", ...(failOn ? { failOn } : {}) }));
  expectSchema(root);
  expect(root.name).toBe("testsuites");
  const [suite] = root.children;
  if (!suite) throw new Error("no test suite");
  return { root, suite, cases: suite.children.filter((c) => c.name === "testcase") };
}

describe("JUnit: one test case per enabled rule, one failure per rule with findings at or above --fail-on", () => {
  for (const failOn of [undefined, "low", "medium", "high", "critical"] as const) {
    it(`counts agree with the cases (--fail-on ${failOn ?? "absent"})`, () => {
      const { root, suite, cases } = junit(failOn);
      const enabled = rules.rules.filter((rule) => rule.enabled);
      expect(cases.map((c) => c.attributes.name)).toEqual(enabled.map((rule) => rule.id));
      const failed = cases.filter((c) => c.children.some((child) => child.name === "failure"));
      for (const element of [root, suite]) {
        expect(element.attributes.tests).toBe(String(cases.length));
        expect(element.attributes.failures).toBe(String(failed.length));
        expect(element.attributes.errors).toBe("0");
      }
      expect(failed.length).toBeLessThanOrEqual(cases.length);
      const failing = (severity: Severity) => failOn !== undefined && compareSeverity(severity, failOn) >= 0;
      const rulesFailing = new Set(report.findings.filter((f) => failing(f.severity)).map((f) => f.ruleId));
      expect(failed.map((c) => c.attributes.name).sort()).toEqual([...rulesFailing].sort());
      // Every finding is listed: in its rule's failure when at or above --fail-on, else in its system-out.
      for (const finding of report.findings) {
        const testcase = cases.find((c) => c.attributes.name === finding.ruleId);
        const where = testcase?.children.find((c) => c.name === (failing(finding.severity) ? "failure" : "system-out"));
        expect(where?.text, `${finding.id} of ${finding.ruleId}`).toContain(`finding ${finding.id}`);
        expect(where?.text).toContain(finding.message);
        for (const id of finding.eventIds) expect(where?.text).toContain(id);
      }
      for (const testcase of failed) {
        const failure = testcase.children.find((c) => c.name === "failure");
        const count = report.findings.filter((f) => f.ruleId === testcase.attributes.name && failing(f.severity)).length;
        expect(failure?.attributes.message).toMatch(new RegExp(`^${count} findings? at or above ${failOn}: `));
        expect(failure?.attributes.type).toMatch(/^[a-z-]+\/(low|medium|high|critical)$/);
      }
    });
  }

  it("the demo with --fail-on high: 8 rules, the rules with high or critical findings fail, exit 1", async () => {
    const chunks: Buffer[] = [];
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    });
    const stderr = new Writable({ write: (_chunk, _encoding, done) => done() });
    const stdin = (async function* () {})();
    const code = await runCli(["scan", "fixtures/demo", "--format", "junit", "--fail-on", "high"], { stdout, stderr, stdin });
    expect(code).toBe(1);
    const root = parse(Buffer.concat(chunks).toString("utf8"));
    expectSchema(root);
    expect(root.attributes).toMatchObject({ tests: "8", failures: "5" });
    expect(root.children[0]?.attributes).toMatchObject({ name: "fixtures/demo", tests: "8", failures: "5" });
    // Out of territory, lot outside allocation, protected sale, exclusive overlap, below floor: 9 findings in 5 rules.
    const failures = root.children[0]?.children.filter((c) => c.children.some((f) => f.name === "failure")).map((c) => c.attributes.name);
    expect(failures?.sort()).toEqual(["customer.protected-sale", "diversion.lot-outside-allocation", "price.below-floor", "territory.exclusive-overlap", "territory.out-of-territory"]);
  });

  it("escapes what XML cannot hold in names and bodies", () => {
    const finding = report.findings[0];
    if (!finding) throw new Error("the demo has findings");
    const odd = { ...report, findings: [{ ...finding, message: `a <b> & "c" 'd' \u0001 ]]> e` }] };
    const xml = formatJunit(odd, { rules: rules.rules, dataset: `data & <set>`, version: "0.0.0", failOn: "low" });
    const root = parse(xml);
    expectSchema(root);
    expect(root.children[0]?.attributes.name).toBe("data & <set>");
    const failure = root.children[0]?.children.flatMap((c) => c.children).find((c) => c.name === "failure");
    expect(failure?.text).toContain(`a <b> & "c" 'd'  ]]> e`);
  });
});
