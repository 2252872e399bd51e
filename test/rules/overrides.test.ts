// Overrides (issue #16, CONTRACT §7): a rule file `{ extends: shipped, rules: [...] }` starts from the
// shipped rules; a rule with a shipped id replaces it, `{ id, enabled: false }` switches it off. Without
// `extends`, a shipped id again is a duplicate.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadRules, RuleSetError, scan, type RuleProblem } from "../../src/index.js";

const DEMO = "fixtures/demo";
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function writeRules(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "cc-override-"));
  dirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function problemsOf(source: Parameters<typeof loadRules>[0]): Promise<RuleProblem[]> {
  try {
    await loadRules(source);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleSetError);
    return [...(error as RuleSetError).problems];
  }
  throw new Error("the rules were accepted");
}

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((line) => line.includes(needle)) + 1;

/** Switches below-map off and replaces below-floor (critical, another title), with test cases of its own. */
const OVERRIDES = `# Our changes to the shipped rules.
extends: shipped
rules:
  - { id: price.below-map, enabled: false }
  - id: price.below-floor
    kind: price-deviation
    severity: critical
    title: Sold below our floor
    conditions:
      all:
        - { fact: check, operator: equal, value: below-floor }
        - { fact: belowFloor, operator: equal, value: true }
        - { fact: promotionAllowed, operator: equal, value: false }
    tests:
      - name: a reseller sells below the floor
        expectFindings: 1
        dataset:
          partners: [{ id: R1, channel: reseller }]
          pricePolicies: [{ id: PP1, sku: S1, floorPrice: 100, currency: USD }]
          events: [{ id: e1, type: sale, occurredAt: "2025-03-01", partnerId: R1, sku: S1, quantity: 2, unitPrice: 90, currency: USD }]
      - name: look-alike — exactly at the floor
        expectFindings: 0
        dataset:
          partners: [{ id: R1, channel: reseller }]
          pricePolicies: [{ id: PP1, sku: S1, floorPrice: 100, currency: USD }]
          events: [{ id: e1, type: sale, occurredAt: "2025-03-01", partnerId: R1, sku: S1, quantity: 2, unitPrice: 100, currency: USD }]
`;

describe("a file that extends the shipped rules", () => {
  it("switches one off and replaces another: the scan of the demo shows both", async () => {
    const shipped = await scan(DEMO);
    const count = (findings: typeof shipped.findings, ruleId: string) => findings.filter((f) => f.ruleId === ruleId).length;
    expect(count(shipped.findings, "price.below-map")).toBe(2);
    expect(shipped.findings.filter((f) => f.ruleId === "price.below-floor").map((f) => [f.severity, f.title])).toEqual(Array(3).fill(["high", "Sold below floor price"]));

    const rules = await loadRules([writeRules("overrides.yaml", OVERRIDES)]);
    // The shipped rules, in their order: the replacement where the shipped rule stood, the switched-off one disabled.
    expect(rules.rules.map((r) => r.id)).toEqual((await loadRules()).rules.map((r) => r.id));
    expect(rules.rules.find((r) => r.id === "price.below-map")).toMatchObject({ enabled: false });
    expect(rules.rules.find((r) => r.id === "price.below-floor")).toMatchObject({ severity: "critical", file: expect.stringMatching(/overrides\.yaml$/), enabled: true });

    const report = await scan(DEMO, { rules });
    expect(count(report.findings, "price.below-map")).toBe(0);
    expect(report.findings.filter((f) => f.ruleId === "price.below-floor").map((f) => [f.severity, f.title])).toEqual(Array(3).fill(["critical", "Sold below our floor"]));
    // Everything else as shipped.
    const others = (findings: typeof shipped.findings) => findings.filter((f) => !f.ruleId.startsWith("price.below-")).map((f) => f.id).sort();
    expect(others(report.findings)).toEqual(others(shipped.findings));
    expect(report.findings).toHaveLength(shipped.findings.length - 2);
  });

  it("in JSON, and given in memory; a new id is simply added", async () => {
    const extra = {
      id: "ours.big-gap",
      kind: "price-deviation",
      severity: "low",
      title: "Very large online/offline gap",
      conditions: { all: [{ fact: "check", operator: "equal", value: "online-offline-gap" }, { fact: "gapPct", operator: "greaterThan", value: 50 }] },
    };
    const json = writeRules("overrides.json", JSON.stringify({ extends: "shipped", rules: [{ id: "customer.duplicate-registration", enabled: false }, extra] }, null, 2));
    const fromJson = await loadRules(json);
    expect(fromJson.rules).toHaveLength(9);
    expect(fromJson.rules.filter((r) => !r.enabled).map((r) => r.id)).toEqual(["customer.duplicate-registration"]);
    const inMemory = await loadRules({ extends: "shipped", rules: [{ id: "customer.duplicate-registration", enabled: false }, extra] });
    expect(inMemory.rules.map((r) => [r.id, r.enabled])).toEqual(fromJson.rules.map((r) => [r.id, r.enabled]));
    const report = await scan(DEMO, { rules: inMemory });
    expect(report.findings.some((f) => f.ruleId === "customer.duplicate-registration")).toBe(false);
    // An empty list is the shipped rules unchanged.
    expect((await loadRules({ extends: "shipped", rules: [] })).rules).toHaveLength(8);
  });

  it("with the shipped folder named too: the shipped rules are the base once", async () => {
    const file = writeRules("overrides.yaml", OVERRIDES);
    const rules = await loadRules(["rules", file]);
    expect(rules.rules).toHaveLength(8);
    expect(rules.rules.find((r) => r.id === "price.below-floor")?.severity).toBe("critical");
  });
});

describe("what an override may not do", () => {
  it("without extends, a shipped id is a duplicate (naming the way to replace it)", async () => {
    const text = OVERRIDES.replace("extends: shipped\n", "").replace(/^rules:\n/m, "rules:\n");
    const file = writeRules("mine.yaml", text);
    const problems = await problemsOf(["rules", file]);
    const duplicate = problems.find((p) => p.code === "duplicate_id");
    expect(duplicate).toMatchObject({ ruleId: "price.below-floor", path: "rules[1].id", line: lineOf(text, "id: price.below-floor") });
    expect(duplicate?.message).toMatch(/^duplicate rule id "price\.below-floor", first defined in rules\/price-deviation\.yaml:\d+; it is a shipped rule: to replace it or switch it off, write the file as \{ extends: shipped, rules: \[ … \] \}$/);
    // `{ id, enabled: false }` is no rule of its own.
    expect(problems.find((p) => p.ruleId === "price.below-map")).toMatchObject({ code: "invalid_override", path: "rules[0]", line: lineOf(text, "price.below-map") });
  });

  it("extends anything but shipped: the closest name", async () => {
    const text = OVERRIDES.replace("extends: shipped", "extends: shiped");
    const problems = await problemsOf(writeRules("typo.yaml", text));
    expect(problems[0]).toMatchObject({
      code: "unknown_extends",
      path: "extends",
      line: 2,
      message: 'cannot extend the string "shiped"; expected shipped (the rules shipped with channel-conflict); did you mean shipped?',
    });
  });

  it("switching off a rule that is not shipped, or one rule twice, or with enabled: true", async () => {
    const text = `extends: shipped\nrules:\n  - { id: price.below-flor, enabled: false }\n  - { id: price.below-map, enabled: false }\n  - { id: price.below-map, enabled: false }\n  - { id: territory.exclusive-overlap, enabled: true }\n  - { id: territory.exclusive-overlap, severity: low }\n`;
    const problems = await problemsOf(writeRules("switches.yaml", text));
    expect(problems.map((p) => [p.code, p.ruleId, p.line])).toEqual([
      ["unknown_override", "price.below-flor", 3],
      ["duplicate_id", "price.below-map", 5],
      ["invalid_override", "territory.exclusive-overlap", 6],
      // A replacement is a whole rule: this one has no kind, title or conditions.
      ["invalid_value", "territory.exclusive-overlap", 7],
      // `title` is a string or one text per language: a missing one fits neither.
      ["invalid_union", "territory.exclusive-overlap", 7],
      ["missing_conditions", "territory.exclusive-overlap", 7],
    ]);
    expect(problems[0]?.message).toMatch(/^no shipped rule "price\.below-flor" to switch off; the shipped rules are .*; did you mean price\.below-floor\?$/);
    expect(problems[1]?.message).toMatch(/^duplicate rule id "price\.below-map": the shipped rule is already replaced or switched off in .*switches\.yaml:4$/);
  });

  it("a replacement is validated like any rule", async () => {
    const text = OVERRIDES.replace("value: below-floor }", "value: below-flor }");
    const problems = await problemsOf(writeRules("bad.yaml", text));
    expect(problems).toEqual([
      expect.objectContaining({ code: "unknown_check", ruleId: "price.below-floor", path: "rules[1].conditions.all[0].value", line: lineOf(text, "below-flor") }),
    ]);
  });
});

describe("the CLI", () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ["dist/cli.js", ...args], { encoding: "utf8" });

  it("validate, test and scan --rules take an overrides file", () => {
    const file = writeRules("overrides.yaml", OVERRIDES);
    const validate = cli(["validate", file]);
    expect(validate.stderr).toBe("");
    expect(validate.status).toBe(0);
    expect(validate.stdout).toBe("8 rules valid.\n");

    const test = cli(["test", file]);
    expect(test.status).toBe(0);
    expect(test.stdout).toContain("PASS price.below-floor › a reseller sells below the floor\n");
    expect(test.stdout).toContain("PASS price.below-floor › look-alike — exactly at the floor\n");
    expect(test.stdout).not.toContain("FAIL");

    const report = JSON.parse(cli(["scan", DEMO, "--rules", file, "--format", "json"]).stdout) as { findings: Array<{ ruleId: string; severity: string }> };
    expect(report.findings.some((f) => f.ruleId === "price.below-map")).toBe(false);
    expect(report.findings.filter((f) => f.ruleId === "price.below-floor").every((f) => f.severity === "critical")).toBe(true);

    const broken = cli(["validate", writeRules("typo.yaml", OVERRIDES.replace("extends: shipped", "extends: shiped"))]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/typo\.yaml:2: extends: cannot extend the string "shiped"; .*did you mean shipped\?\n/);
  });
});
