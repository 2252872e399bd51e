/**
 * Precision and recall of the shipped rules against a generated dataset's truth.
 *
 *   npx tsx bench/accuracy.ts --events 200000 --seed 1            # generates into bench/out/<events>-<seed>
 *   npx tsx bench/accuracy.ts --dataset bench/out/1m              # a folder written by generate-cli (has truth.json)
 *
 * A finding matches an expected one when rule, partners (in order) and count are equal; matching is
 * one-to-one. The evidence (eventIds) of each matched finding is compared too and reported.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { scan } from "../src/index.js";
import { findingKey, planDataset, writeDataset, type ExpectedFinding } from "./generate.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "200000" },
    seed: { type: "string", default: "1" },
    dataset: { type: "string" },
  },
});

let dir = values.dataset;
if (dir === undefined) {
  dir = `bench/out/${values.events}-${values.seed}`;
  if (!existsSync(join(dir, "truth.json"))) {
    process.stderr.write(`generating ${values.events} events into ${dir}…\n`);
    await writeDataset(dir, planDataset({ events: Number(values.events), seed: Number(values.seed) }));
  }
}
const truth = JSON.parse(await readFile(join(dir, "truth.json"), "utf8")) as ExpectedFinding[];

const started = process.hrtime.bigint();
const report = await scan(dir);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

const expected = new Map<string, ExpectedFinding[]>();
for (const f of truth) expected.set(findingKey(f), [...(expected.get(findingKey(f)) ?? []), f]);
const rules = [...new Set([...truth.map((f) => f.ruleId), ...report.findings.map((f) => f.ruleId)])].sort();
const stats = new Map(rules.map((r) => [r, { expected: 0, found: 0, truePositives: 0, evidenceMismatches: 0 }]));
for (const f of truth) (stats.get(f.ruleId) as { expected: number }).expected++;
const falsePositives: string[] = [];
for (const finding of report.findings) {
  const s = stats.get(finding.ruleId) as { found: number; truePositives: number; evidenceMismatches: number };
  s.found++;
  const list = expected.get(findingKey(finding)) ?? [];
  const evidence = JSON.stringify([...finding.eventIds].sort());
  const at = Math.max(0, list.findIndex((e) => e.eventIds === undefined || JSON.stringify(e.eventIds) === evidence));
  const match = list[at];
  if (!match) {
    falsePositives.push(`${findingKey(finding)}  [${finding.eventIds.slice(0, 6).join(", ")}] ${finding.message}`);
    continue;
  }
  list.splice(at, 1);
  s.truePositives++;
  if (match.eventIds !== undefined && JSON.stringify(match.eventIds) !== evidence) s.evidenceMismatches++;
}
const missed = [...expected.values()].flat().map((f) => `${findingKey(f)}  [${(f.eventIds ?? []).join(", ")}]`);

const pct = (a: number, b: number) => (b === 0 ? "n/a" : `${((a / b) * 100).toFixed(1)}%`);
const rows = rules.map((rule) => {
  const s = stats.get(rule) as { expected: number; found: number; truePositives: number; evidenceMismatches: number };
  return [rule, s.expected, s.found, s.truePositives, pct(s.truePositives, s.found), pct(s.truePositives, s.expected), s.evidenceMismatches];
});
const total = [...stats.values()].reduce(
  (a, s) => ({ expected: a.expected + s.expected, found: a.found + s.found, tp: a.tp + s.truePositives, ev: a.ev + s.evidenceMismatches }),
  { expected: 0, found: 0, tp: 0, ev: 0 },
);
rows.push(["all rules", total.expected, total.found, total.tp, pct(total.tp, total.found), pct(total.tp, total.expected), total.ev]);
const table = [["rule", "expected", "found", "matched", "precision", "recall", "evidence differs"], ...rows].map((r) => r.map(String));
const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
console.log(`${dir}: ${report.summary.events} events, ${report.summary.rejected} rejected, scanned in ${seconds.toFixed(1)} s`);
for (const r of table) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
if (falsePositives.length > 0) console.log(`\nfalse positives:\n  ${falsePositives.join("\n  ")}`);
if (missed.length > 0) console.log(`\nmissed:\n  ${missed.join("\n  ")}`);
console.log(`\nskipped checks: ${JSON.stringify(report.summary.skipped)}`);
process.exitCode = falsePositives.length + missed.length > 0 ? 1 : 0;
