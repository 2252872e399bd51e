import { Engine } from "json-rules-engine";
import { beforeAll, describe, expect, it } from "vitest";
import { explain, type EventExplanation, type ExplainedCondition, type FindingExplanation } from "../../src/explain/explain.js";
import { formatExplanation } from "../../src/explain/formatExplanation.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runRuleTests } from "../../src/testing/runRuleTests.js";
import { scan, scanWith } from "../../src/scan/scan.js";
import type { EventTrace } from "../../src/scan/Scanner.js";
import { DETECTORS } from "../../src/detectors/registry.js";
import { loadRules } from "../../src/rules/loadRules.js";
import { resolveSafePath } from "../../src/engine/pathResolver.js";
import type { ScanReport } from "../../src/findings/report.js";
import type { CollectionsInput } from "../../src/schema/dataset.js";
import { readRawCollections } from "../helpers.js";

/** The built command line (npm test builds it first). */
function cli(args: string[]) {
  const result = spawnSync(process.execPath, ["dist/cli.js", ...args], { encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const DEMO = "fixtures/demo";
let collections: CollectionsInput;
let report: ScanReport;
/** Event ids of the demo, in file order. */
let eventIds: string[];

beforeAll(async () => {
  collections = (await readRawCollections(DEMO)) as CollectionsInput;
  eventIds = (collections.events ?? []).map((event) => event.id);
  // Evidence uncapped: every event a finding holds is listed.
  report = await scan(collections, { maxEvidence: 10_000 });
});

/** Every leaf of a condition tree. */
function leaves(node: ExplainedCondition): Array<Extract<ExplainedCondition, { fact: string }>> {
  if ("all" in node) return node.all.flatMap(leaves);
  if ("any" in node) return node.any.flatMap(leaves);
  if ("not" in node) return leaves(node.not);
  return [node];
}

describe("explain an event", () => {
  it("names exactly the rules whose findings hold the event (the scan's own decisions)", async () => {
    const allocations = new Set((collections.events ?? []).filter((e) => e.type === "allocation").map((e) => e.id));
    let firedSomewhere = 0;
    for (const id of eventIds) {
      const explanation = (await explain(collections, { event: id })) as EventExplanation;
      expect(explanation.event.id).toBe(id);
      const expected = new Set(report.findings.filter((f) => f.eventIds.includes(id)).map((f) => f.ruleId));
      // A lot-diversion finding cites the allocation it traced, which itself fired nothing.
      if (allocations.has(id)) expect(explanation.fired).toEqual([]);
      else expect(new Set(explanation.fired)).toEqual(expected);
      if (explanation.fired.length > 0) firedSomewhere++;
      // Every rule of every kind with rules is accounted for, with a verdict and, when not judged, a reason.
      for (const kind of explanation.kinds) {
        for (const rule of kind.rules) {
          if (rule.verdict === "no-candidate") expect(rule.reason).toMatch(/\S/);
          else expect(rule.candidates.length).toBeGreaterThan(0);
          expect(rule.verdict === "fired").toBe(rule.candidates.some((c) => c.fires));
        }
      }
    }
    expect(firedSomewhere).toBeGreaterThan(10);
  });

  it("leaves the scan's findings as they are (prefilters are off for the traced event only)", async () => {
    for (const eventId of eventIds.filter((_, i) => i % 7 === 0)) {
      const trace: EventTrace = { eventId, judged: [] };
      expect(await scanWith(DETECTORS, collections, { maxEvidence: 10_000 }, { trace })).toEqual(report);
      expect(trace.event?.id).toBe(eventId);
      // With prefilters off, the traced event's sales made candidates a plain scan never builds.
      expect(trace.judged.length).toBeGreaterThan(0);
    }
  });

  it("shows the failed condition with the fact's value: a sale below the floor that a promotion allows", async () => {
    const explanation = (await explain(collections, { event: "O-1014", rule: "price.below-floor" })) as EventExplanation;
    expect(explanation.kinds.map((k) => k.kind)).toEqual(["price-deviation"]);
    const verdict = explanation.kinds[0]?.rules[0];
    expect(verdict).toMatchObject({ ruleId: "price.below-floor", verdict: "failed", check: "below-floor" });
    const conditions = leaves(verdict?.candidates[0]?.conditions as ExplainedCondition);
    expect(conditions.find((leaf) => leaf.fact === "promotionAllowed")).toEqual({ fact: "promotionAllowed", operator: "equal", value: false, actual: true, held: false });
    expect(conditions.find((leaf) => leaf.fact === "belowFloor")).toMatchObject({ actual: true, held: true });
  });

  it("says why a check made no candidate, in words a channel manager reads", async () => {
    const explanation = (await explain(collections, { event: "O-1019" })) as EventExplanation;
    const rules = explanation.kinds.flatMap((k) => k.rules);
    const reason = (ruleId: string) => rules.find((r) => r.ruleId === ruleId)?.reason;
    expect(reason("territory.out-of-territory")).toMatch(/^the seller .*\(W-TMALL\) holds no territory, so it is not restricted\.$/);
    expect(reason("customer.protected-sale")).toBe("the sale names no customer (customerId), so no registration can protect it.");
    expect(reason("price.online-offline-gap")).toMatch(/^the 30-day window of LA-H100 in CNY holds \d+ online and \d+ offline prices/);
    expect(reason("territory.exclusive-overlap")).toBe("exclusive-overlap judges the territories themselves, not events.");
    expect(rules.find((r) => r.ruleId === "diversion.lot-outside-allocation")?.verdict).toBe("fired");
    const allocation = (await explain(collections, { event: "A-4005" })) as EventExplanation;
    const lot = allocation.kinds.find((k) => k.kind === "cross-region-shipping")?.checks.find((c) => c.check === "lot-diversion");
    expect(lot?.reason).toMatch(/^this allocation of lot LOT-H100-2502Q to .*\(D-QIANTANG\) is recorded/);
  });

  it("lists kinds with no enabled rule", async () => {
    const rules = await loadRules();
    const onlyPrice = { rules: rules.rules.filter((rule) => rule.kind === "price-deviation") };
    const explanation = (await explain(collections, { event: "O-1014" }, { rules: onlyPrice })) as EventExplanation;
    expect(explanation.kinds.map((k) => k.kind)).toEqual(["price-deviation"]);
    expect(explanation.kindsWithoutRules).toEqual(["cross-region-shipping", "customer-poaching", "territory-overlap"]);
  });
});

describe("explain a finding", () => {
  it("shows its rule holding on the decisive occurrence, for every finding of the demo, as json-rules-engine decides", async () => {
    for (const finding of report.findings) {
      const explanation = (await explain(collections, { finding: finding.id })) as FindingExplanation;
      expect(explanation.finding).toMatchObject({ id: finding.id, ruleId: finding.ruleId, message: finding.message });
      expect(explanation.rule.fires).toBe(true);
      expect(explanation.rule.conditions.held).toBe(true);
      // The engine itself, on the facts shown, fires the rule too.
      const rule = (await loadRules()).rules.find((r) => r.id === finding.ruleId);
      const engine = new Engine([], { allowUndefinedFacts: true, pathResolver: resolveSafePath });
      engine.addRule({ name: "r", conditions: structuredClone(rule?.conditions) as never, event: { type: "r" } });
      const { events } = await engine.run({ ...explanation.rule.facts });
      expect(events.map((e) => e.type)).toEqual(["r"]);
    }
  });

  it("evaluates another rule of the same kind on the same facts with --rule", async () => {
    const finding = report.findings.find((f) => f.ruleId === "price.below-floor");
    const explanation = (await explain(collections, { finding: finding?.id as string, rule: "price.below-map" })) as FindingExplanation;
    expect(explanation.rule.fires).toBe(false);
    expect(leaves(explanation.rule.conditions)[0]).toEqual({ fact: "check", operator: "equal", value: "below-map", actual: "below-floor", held: false });
    expect(formatExplanation(explanation)).toContain('✗ check equal "below-map" — is "below-floor"');
  });

  it("writes its labels in Chinese with lang zh-CN, the reasons in the scan's language", async () => {
    const finding = report.findings.find((f) => f.ruleId === "price.below-floor");
    const zh = await explain(collections, { finding: finding?.id as string, rule: "price.below-map" }, { lang: "zh-CN" });
    const text = formatExplanation(zh, { lang: "zh-CN" });
    expect(text).toContain(`问题 ${finding?.id} — price.below-floor`);
    expect(text).toContain("规则 price.below-map 在关键一次（最严重的一次；检查项 below-floor）上的判定：未触发");
    expect(text).toContain('✗ check equal "below-map" — 实际为 "below-floor"');
    expect(text).not.toMatch(/\b(Finding|Rule|fires|is|occurrences?)\b/);
    const event = formatExplanation(await explain(collections, { event: finding?.eventIds[0] as string }, { lang: "zh-CN" }), { lang: "zh-CN" });
    expect(event).toMatch(/^事件 \S+ — /);
    expect(event).toContain("触发的规则：price.below-floor");
    expect(event).not.toMatch(/\b(Event|Fired|not judged|did not fire|skipped)\b/);
  });

  it("refuses what it cannot explain, naming the closest id", async () => {
    const finding = report.findings[0];
    const typo = `${finding?.id.slice(0, -1)}x`;
    await expect(explain(collections, { finding: typo })).rejects.toThrow(new RegExp(`no finding "${typo}".*did you mean ${finding?.id}`));
    await expect(explain(collections, { event: "O-99999" })).rejects.toThrow(/no accepted event "O-99999"/);
    await expect(explain(collections, { event: "O-1014", rule: "price.below-flor" })).rejects.toThrow(/no rule "price.below-flor".*did you mean price.below-floor/);
    const territory = report.findings.find((f) => f.kind === "territory-overlap");
    await expect(explain(collections, { finding: territory?.id as string, rule: "price.below-floor" })).rejects.toThrow(/of kind price-deviation/);
    await expect(explain(collections, {} as never)).rejects.toThrow(/expected \{ finding/);
  });
});

describe("channel-conflict explain", () => {
  it("prints text for people and, with --format json, what explain() returns", async () => {
    const text = cli(["explain", DEMO, "--event", "O-1014"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Event O-1014 — order by RS-SZ1 of LA-H100");
    expect(text.stdout).toContain("✗ promotionAllowed equal false — is true");
    const json = cli(["explain", DEMO, "--finding", report.findings[0]?.id as string, "--format", "json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(await explain(DEMO, { finding: report.findings[0]?.id as string }))));
  });

  it("exits 2 with one line on a wrong request", async () => {
    const both = cli(["explain", DEMO, "--event", "O-1014", "--finding", "x"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("expected either --finding <id> or --event <id>");
    const missing = cli(["explain", DEMO, "--event", "nope"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^channel-conflict: explain: no accepted event "nope"/);
  });
});

describe("a failing rule test says why the rule did not fire", () => {
  it("names each event's failed condition with the fact's value, or why it was not judged", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cc-explain-"));
    const file = join(dir, "rule.yaml");
    writeFileSync(
      file,
      `- id: my.deep-below-floor
  kind: price-deviation
  severity: high
  title: Deep below floor
  conditions:
    all:
      - { fact: check, operator: equal, value: below-floor }
      - { fact: belowFloorPct, operator: greaterThan, value: 20 }
  tests:
    - name: fires on 10% below
      expectFindings: 1
      dataset:
        partners: [{ id: R1, channel: reseller }]
        pricePolicies: [{ id: PP1, sku: S1, listPrice: 120, floorPrice: 100, currency: USD }]
        events:
          - { id: e1, type: sale, occurredAt: "2025-03-01", partnerId: R1, sku: S1, quantity: 2, unitPrice: 90, currency: USD }
          - { id: l1, type: listing, occurredAt: "2025-03-01", partnerId: R1, sku: S1, price: 90, currency: USD }
`,
    );
    const [result] = await runRuleTests((await loadRules(file)).rules);
    expect(result?.passed).toBe(false);
    expect(result?.detail).toBe(
      "expected 1 finding(s), got 0 — e1: belowFloorPct greaterThan 20 failed (is 10); l1: not judged, below-floor judges order and sale events; this is a listing.",
    );
  });
});
