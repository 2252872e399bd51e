// Rule validation refuses rules that can never fire (issue #16, CONTRACT §8): a check the kind does not
// have, a value of the wrong type or outside a fact's set, a fact the rule's check never sets, no check
// condition where the kind has several. Every problem names the file, the line, the rule and the closest
// valid name; duplicate ids are reported whatever else is wrong.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatRuleProblem, loadRules, RuleSetError, validateRuleDocuments, type RuleProblem } from "../../src/index.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function writeRules(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "cc-never-"));
  dirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The problems loadRules refuses the file with (it must refuse it). */
async function problemsOf(name: string, text: string): Promise<RuleProblem[]> {
  const file = writeRules(name, text);
  try {
    await loadRules(file);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleSetError);
    expect((error as RuleSetError).code).toBe("RULES_INVALID");
    return [...(error as RuleSetError).problems];
  }
  throw new Error(`${name} was accepted`);
}

/** The line (from 1) of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`${needle} not in the text`);
  return index + 1;
}

const rule = (id: string, kind: string, leaves: string[]) =>
  `- id: ${id}\n  kind: ${kind}\n  severity: high\n  title: t\n  conditions:\n    all:\n${leaves.map((leaf) => `      - ${leaf}\n`).join("")}`;

describe("rules that can never fire are refused, each problem with its rule, line and closest valid name", () => {
  const text = [
    rule("typo.check", "price-deviation", ["{ fact: check, operator: equal, value: below-flor }"]),
    rule("string.boolean", "price-deviation", ["{ fact: check, operator: equal, value: below-floor }", '{ fact: belowFloor, operator: equal, value: "true" }']),
    rule("unknown.channel", "price-deviation", ["{ fact: check, operator: equal, value: below-floor }", "{ fact: channel, operator: equal, value: distributer }"]),
    rule("other.check.fact", "price-deviation", ["{ fact: check, operator: equal, value: below-floor }", "{ fact: belowMapPct, operator: greaterThan, value: 5 }"]),
    rule("no.check", "price-deviation", ["{ fact: belowFloor, operator: equal, value: true }"]),
    rule("string.number", "price-deviation", ["{ fact: check, operator: equal, value: online-offline-gap }", '{ fact: gapPct, operator: greaterThan, value: "25" }']),
    rule("in.strings", "price-deviation", ["{ fact: check, operator: equal, value: below-floor }", '{ fact: quantity, operator: in, value: [1, "2"] }']),
    rule("in.checks", "customer-poaching", ["{ fact: check, operator: in, value: [duplicate-registration, protected-custmer] }"]),
    rule("unknown.status", "customer-poaching", ["{ fact: check, operator: equal, value: duplicate-registration }", "{ fact: status, operator: notEqual, value: aproved }"]),
    rule("number.string", "customer-poaching", ["{ fact: check, operator: equal, value: protected-customer }", "{ fact: sku, operator: equal, value: 1234 }"]),
    rule("numbers.on.string", "cross-region-shipping", ["{ fact: check, operator: equal, value: out-of-territory }", "{ fact: destination, operator: greaterThan, value: 3 }"]),
    rule("typo.fact", "price-deviation", ["{ fact: check, operator: equal, value: below-floor }", "{ fact: belowFlor, operator: equal, value: true }"]),
    rule("exclusive.checks", "price-deviation", ["{ fact: check, operator: equal, value: below-floor }", "{ fact: check, operator: equal, value: below-map }"]),
  ].join("");

  let problems: RuleProblem[];
  const only = (ruleId: string) => problems.filter((p) => p.ruleId === ruleId);
  const one = (ruleId: string): RuleProblem => {
    const mine = only(ruleId);
    expect(mine, `${ruleId}: ${mine.map(formatRuleProblem).join(" | ")}`).toHaveLength(1);
    return mine[0] as RuleProblem;
  };
  it("lists them all in one refusal", async () => {
    problems = await problemsOf("never.yaml", text);
    expect(new Set(problems.map((p) => p.ruleId))).toEqual(
      new Set([
        "typo.check",
        "string.boolean",
        "unknown.channel",
        "other.check.fact",
        "no.check",
        "string.number",
        "in.strings",
        "in.checks",
        "unknown.status",
        "number.string",
        "numbers.on.string",
        "typo.fact",
        "exclusive.checks",
      ]),
    );
    for (const p of problems) expect(p.file).toMatch(/never\.yaml$/);
  });

  it("a check the kind does not have: did you mean below-floor?", () => {
    expect(one("typo.check")).toMatchObject({
      code: "unknown_check",
      line: lineOf(text, "value: below-flor }"),
      path: "[0].conditions.all[0].value",
      message: 'unknown check "below-flor" for kind price-deviation; expected one of below-floor, below-map, online-offline-gap; did you mean below-floor?',
    });
    // Also inside an `in` list.
    expect(one("in.checks")).toMatchObject({
      code: "unknown_check",
      line: lineOf(text, "protected-custmer"),
      path: "[7].conditions.all[0].value[1]",
      message: expect.stringMatching(/^unknown check "protected-custmer" for kind customer-poaching; .*; did you mean protected-customer\?$/),
    });
  });

  it('a string for a boolean fact: "true" is not true', () => {
    expect(one("string.boolean")).toMatchObject({
      code: "wrong_type",
      line: lineOf(text, 'value: "true"'),
      path: "[1].conditions.all[1].value",
      message: 'expected a boolean (true or false) for fact "belowFloor", got the string "true"; did you mean true (without quotes)?',
    });
  });

  it("a value outside a fact's set: channels, statuses", () => {
    expect(one("unknown.channel")).toMatchObject({
      code: "unknown_value",
      line: lineOf(text, "distributer"),
      path: "[2].conditions.all[1].value",
      message: 'fact "channel" is never "distributer"; expected one of direct, distributor, reseller, retail, ecommerce, marketplace; did you mean distributor?',
    });
    expect(one("unknown.status")).toMatchObject({
      code: "unknown_value",
      line: lineOf(text, "aproved"),
      message: 'fact "status" is never "aproved"; expected one of approved, pending; did you mean approved?',
    });
  });

  it("a fact the rule's check never sets", () => {
    expect(one("other.check.fact")).toMatchObject({
      code: "fact_not_set",
      line: lineOf(text, "belowMapPct"),
      path: "[3].conditions.all[1].fact",
      message: 'fact "belowMapPct" is set only by check below-map; this rule\'s check (below-floor) never sets it, so the condition never sees it; did you mean belowFloorPct?',
    });
  });

  it("no check condition where the kind has several: names the checks, and the one its facts come from", () => {
    const problem = one("no.check");
    expect(problem).toMatchObject({ code: "no_check", line: lineOf(text, "id: no.check") + 5, path: "[4].conditions" });
    expect(problem.message).toMatch(/^has no check condition: kind price-deviation has checks below-floor, below-map, online-offline-gap, /);
    expect(problem.message).toMatch(/add \{ fact: check, operator: equal, value: below-floor \}/);
  });

  it("numbers: a string for a number, in-lists of the fact's type, numeric operators on numbers only", () => {
    expect(one("string.number")).toMatchObject({
      code: "wrong_type",
      line: lineOf(text, 'value: "25"'),
      message: 'operator "greaterThan" needs a number, got the string "25"; did you mean 25 (without quotes)?',
    });
    expect(one("in.strings")).toMatchObject({
      code: "wrong_type",
      path: "[6].conditions.all[1].value[1]",
      line: lineOf(text, 'value: [1, "2"]'),
      message: 'expected a number for fact "quantity", got the string "2"; did you mean 2 (without quotes)?',
    });
    expect(one("number.string")).toMatchObject({ code: "wrong_type", message: 'expected a string for fact "sku", got the number 1234; did you mean "1234" (in quotes)?' });
    expect(one("numbers.on.string")).toMatchObject({
      code: "wrong_operator",
      path: "[10].conditions.all[1].operator",
      message: 'operator "greaterThan" compares numbers; "destination" is a string (use equal or in)',
    });
  });

  it("an unknown fact names the closest one; check conditions that exclude each other never fire", () => {
    expect(one("typo.fact")).toMatchObject({ code: "unknown_fact", line: lineOf(text, "belowFlor,"), message: expect.stringMatching(/; did you mean belowFloor\?$/) });
    expect(one("exclusive.checks")).toMatchObject({ code: "never_fires", path: "[12].conditions" });
  });

  it("prints each as file:line: rule <id>: path: message", () => {
    const printed = formatRuleProblem(one("typo.check"));
    expect(printed).toMatch(new RegExp(`never\\.yaml:${lineOf(text, "value: below-flor }")}: rule typo\\.check: \\[0\\]\\.conditions\\.all\\[0\\]\\.value: unknown check "below-flor"`));
    // What is unknown is left out: no rule, no line.
    expect(formatRuleProblem({ file: "a.yaml", path: "(file)", code: "empty_file", message: "holds no rules" })).toBe("a.yaml:(file): holds no rules");
    expect(formatRuleProblem({ file: "(rules)", path: "[0].id", code: "duplicate_id", message: "m", ruleId: "r" })).toBe("(rules): rule r: [0].id: m");
    expect(formatRuleProblem({ file: "a.yaml", path: "(file)", code: "unreadable_file", message: "m", line: 3 })).toBe("a.yaml:3: (file): m");
  });
});

describe("what can fire is accepted", () => {
  it("the shipped rules, and rules that narrow the checks in other ways", async () => {
    expect((await loadRules()).rules).toHaveLength(8);
    const text = [
      // channel is set by both checks of the `in`.
      rule("two.checks", "price-deviation", ["{ fact: check, operator: in, value: [below-floor, below-map] }", "{ fact: channel, operator: equal, value: marketplace }"]),
      // Each branch of the `any` has its own check.
      `- id: any.checks\n  kind: price-deviation\n  severity: low\n  title: t\n  conditions:\n    any:\n      - all: [{ fact: check, operator: equal, value: below-floor }, { fact: belowFloorPct, operator: greaterThan, value: 10 }]\n      - all: [{ fact: check, operator: equal, value: below-map }, { fact: belowMapPct, operator: greaterThan, value: 10 }]\n`,
      // Lists, nullable facts, negations, fact references.
      rule("lists", "cross-region-shipping", [
        "{ fact: check, operator: equal, value: out-of-territory }",
        "{ fact: exclusiveHolders, operator: contains, value: D2 }",
        "{ fact: exclusiveHolders, operator: someFact:equal, value: D2 }",
        "{ fact: channel, operator: notEqual, value: null }",
        "{ fact: channel, operator: not:in, value: [direct, retail] }",
        "{ fact: destination, operator: coveredBy, value: [CN-GD] }",
        "{ fact: amount, operator: greaterThan, value: { fact: quantity } }",
      ]),
      rule("nullable", "customer-poaching", ["{ fact: check, operator: equal, value: duplicate-registration }", "{ fact: overlapDays, operator: equal, value: null }"]),
      // A kind with one check needs no check condition.
      rule("one.check", "territory-overlap", ["{ fact: sameRegion, operator: equal, value: true }"]),
      `- id: not.check\n  kind: customer-poaching\n  severity: low\n  title: t\n  conditions:\n    all:\n      - not: { fact: check, operator: equal, value: protected-customer }\n      - { fact: bothApproved, operator: equal, value: true }\n`,
    ].join("");
    const file = writeRules("fine.yaml", text);
    expect((await loadRules(file)).rules.map((r) => r.id)).toEqual(["two.checks", "any.checks", "lists", "nullable", "one.check", "not.check"]);
  });
});

describe("duplicate ids are reported whatever else is wrong", () => {
  it("a broken rule then a valid one with its id, and a valid one then a broken one", async () => {
    const text = [
      rule("dup.a", "price-deviation", ["{ fact: check, operator: equal, value: below-flor }"]),
      rule("dup.a", "price-deviation", ["{ fact: check, operator: equal, value: below-floor }"]),
      rule("dup.b", "price-deviation", ["{ fact: check, operator: equal, value: below-map }"]),
      rule("dup.b", "price-deviation", ['{ fact: check, operator: equal, value: 3 }']),
    ].join("");
    const problems = await problemsOf("dups.yaml", text);
    const duplicates = problems.filter((p) => p.code === "duplicate_id");
    expect(duplicates.map((p) => [p.ruleId, p.path, p.line])).toEqual([
      ["dup.a", "[1].id", lineOf(text, "- id: dup.a") + 7],
      ["dup.b", "[3].id", lineOf(text, "- id: dup.b") + 7],
    ]);
    expect(duplicates[0]?.message).toMatch(new RegExp(`^duplicate rule id "dup\\.a", first defined in .*dups\\.yaml:${lineOf(text, "- id: dup.a")}$`));
    expect(problems.filter((p) => p.code !== "duplicate_id").map((p) => [p.ruleId, p.code])).toEqual([
      ["dup.a", "unknown_check"],
      ["dup.b", "wrong_type"],
    ]);
  });

  it("across files too", async () => {
    const a = writeRules("a.yaml", rule("same.id", "price-deviation", ["{ fact: check, operator: equal, value: below-floor }"]));
    const b = writeRules("b.yaml", rule("same.id", "price-deviation", ['{ fact: check, operator: equal, value: below-floor }', '{ fact: belowFloor, operator: equal, value: "yes" }']));
    const error = await loadRules([a, b]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleSetError);
    expect((error as RuleSetError).problems.map((p) => p.code)).toEqual(["wrong_type", "duplicate_id"]);
  });
});

describe("lines in JSON files and of syntax errors", () => {
  it("a JSON rule file's problems have lines", async () => {
    const json = `[\n  {\n    "id": "j.rule",\n    "kind": "price-deviation",\n    "severity": "high",\n    "title": "t",\n    "conditions": {\n      "all": [\n        { "fact": "check", "operator": "equal", "value": "below-mapp" }\n      ]\n    }\n  }\n]\n`;
    const [problem, ...rest] = await problemsOf("rules.json", json);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ ruleId: "j.rule", line: 9, code: "unknown_check", message: expect.stringMatching(/did you mean below-map\?$/) });
  });

  it("YAML and JSON syntax errors: the line, and JSON.parse's message", async () => {
    const [yaml] = await problemsOf("bad.yaml", "- id: a\n  kind: price-deviation\n  kind: territory-overlap\n  title: t\n");
    expect(yaml).toMatchObject({ path: "(file)", code: "unreadable_file", line: 3 });
    expect(yaml?.message).toMatch(/^not valid YAML: /);
    expect(yaml?.message).not.toMatch(/line \d/);
    const [json] = await problemsOf("bad.json", '[\n  { "id": "a",\n    "kind": }\n]\n');
    expect(json).toMatchObject({ path: "(file)", code: "unreadable_file", line: 3 });
    let parseMessage = "";
    try {
      JSON.parse('[\n  { "id": "a",\n    "kind": }\n]\n');
    } catch (error) {
      parseMessage = (error as Error).message;
    }
    expect(json?.message).toBe(`not valid JSON: ${parseMessage.replace(/\s*\n\s*/g, " ")}`);
    const [positioned] = await problemsOf("pos.json", '[\n1,\n2');
    expect(positioned).toMatchObject({ line: 3, message: expect.stringMatching(/^not valid JSON: .*position/) });
  });

  it("documents given in memory have no lines, but name the rule", () => {
    const { problems } = validateRuleDocuments([
      { file: "(rules)", document: [{ id: "m.rule", kind: "price-deviation", severity: "high", title: "t", conditions: { all: [{ fact: "check", operator: "equal", value: "below-flor" }] } }] },
    ]);
    expect(problems).toEqual([
      {
        file: "(rules)",
        path: "[0].conditions.all[0].value",
        code: "unknown_check",
        ruleId: "m.rule",
        message: 'unknown check "below-flor" for kind price-deviation; expected one of below-floor, below-map, online-offline-gap; did you mean below-floor?',
      },
    ]);
  });
});
