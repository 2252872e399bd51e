/**
 * Micro-benchmark: json-rules-engine (`await engine.run(facts)`, as `createEvaluator` does it) vs
 * `compileConditions` (synchronous) over the shipped rules (`rules/*.yaml`).
 *
 *   npx tsx bench/evaluator.mts [N]        (N evaluations per measurement, default 100000)
 *
 * Each "evaluation" is one candidate's facts against the rules of its kind, the unit of work of
 * the scanner. The two paths must agree on every evaluation; the script exits 1 if they do not.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Engine } from "json-rules-engine";
import { parse } from "yaml";
import { compileConditions } from "../src/engine/compileConditions.js";
import { customOperators } from "../src/engine/operators/index.js";
import { resolveSafePath } from "../src/engine/pathResolver.js";
import { RegionTree } from "../src/reference/regionTree.js";
import type { Condition } from "../src/core/types.js";

type Facts = Record<string, unknown>;
interface ShippedRule {
  readonly id: string;
  readonly kind: string;
  readonly conditions: Condition;
}
interface Leaf {
  readonly fact: string;
  readonly operator: string;
  readonly value: unknown;
}

const N = Number(process.argv[2] ?? 100_000);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const rulesDir = join(root, "rules");
const rules: ShippedRule[] = readdirSync(rulesDir)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort()
  .flatMap((file) => {
    const document = parse(readFileSync(join(rulesDir, file), "utf8")) as ShippedRule | ShippedRule[];
    return Array.isArray(document) ? document : [document];
  });
const kinds = [...new Set(rules.map((rule) => rule.kind))];
const operators = customOperators({ regions: new RegionTree([{ code: "CN" }, { code: "CN-GD", parent: "CN" }], true) });

function leavesOf(condition: Condition): Leaf[] {
  if ("all" in condition) return condition.all.flatMap(leavesOf);
  if ("any" in condition) return condition.any.flatMap(leavesOf);
  if ("not" in condition) return leavesOf(condition.not);
  return [condition as Leaf];
}

/** A value that makes the leaf hold (for the shipped operators). */
function satisfying(leaf: Leaf): unknown {
  const v = leaf.value;
  switch (leaf.operator) {
    case "greaterThan":
      return (v as number) + 1;
    case "lessThan":
      return (v as number) - 1;
    case "notEqual":
      return `not-${String(v)}`;
    default:
      return v;
  }
}

/** Facts a detector would also emit, that no condition reads. */
const noise: Facts = {
  sku: "SKU-100",
  category: "audio",
  currency: "EUR",
  partnerId: "P-17",
  channel: "ecommerce",
  online: true,
  unitPrice: 84.5,
  quantity: 3,
  date: "2024-05-01",
  region: "CN-GD",
};

/** Per kind: for each rule a candidate that fires it, one that nearly does, and one of another check. */
function candidates(kind: string): Facts[] {
  const own = rules.filter((rule) => rule.kind === kind);
  const out: Facts[] = [];
  for (const rule of own) {
    const hit: Facts = { ...noise };
    for (const leaf of leavesOf(rule.conditions)) hit[leaf.fact] = satisfying(leaf);
    out.push(hit);
    const leaves = leavesOf(rule.conditions);
    const last = leaves[leaves.length - 1] as Leaf;
    out.push({ ...hit, [last.fact]: last.operator === "equal" && typeof last.value === "boolean" ? !last.value : null });
    out.push({ ...hit, check: "something-else" });
  }
  return out;
}

interface Group {
  readonly kind: string;
  readonly ids: readonly string[];
  readonly engine: Engine;
  readonly compiled: ReadonlyArray<(facts: Facts) => boolean>;
  readonly facts: readonly Facts[];
}

const groups: Group[] = kinds.map((kind) => {
  const own = rules.filter((rule) => rule.kind === kind);
  // Exactly as createEvaluator builds its engine.
  const engine = new Engine([], { allowUndefinedFacts: true, pathResolver: resolveSafePath });
  for (const [name, fn] of operators) engine.addOperator(name, fn);
  for (const rule of own) engine.addRule({ name: rule.id, conditions: structuredClone(rule.conditions) as never, event: { type: rule.id } });
  return {
    kind,
    ids: own.map((rule) => rule.id),
    engine,
    compiled: own.map((rule) => compileConditions(rule.conditions, operators)),
    facts: candidates(kind),
  };
});

/** The engine path, as createEvaluator.evaluate does it (minus the queue). */
async function viaEngine(group: Group, facts: Facts): Promise<string[]> {
  const runtimeFacts: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(facts)) runtimeFacts[key] = facts[key];
  const { events } = await group.engine.run(runtimeFacts);
  const order = group.ids;
  return events.map((event) => event.type).sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

function viaCompiled(group: Group, facts: Facts): string[] {
  const fired: string[] = [];
  for (let i = 0; i < group.compiled.length; i++) if ((group.compiled[i] as (f: Facts) => boolean)(facts)) fired.push(group.ids[i] as string);
  return fired;
}

/** The i-th evaluation of a mixed stream: kinds and candidates in turn. */
function pick(i: number, only?: Group): [Group, Facts] {
  const group = only ?? (groups[i % groups.length] as Group);
  const round = only ? i : Math.floor(i / groups.length);
  return [group, group.facts[round % group.facts.length] as Facts];
}

// Agreement first: every candidate of every kind.
let mismatches = 0;
let fired = 0;
for (const group of groups) {
  for (const facts of group.facts) {
    const a = await viaEngine(group, facts);
    const b = viaCompiled(group, facts);
    fired += b.length;
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      mismatches++;
      console.error(`MISMATCH ${group.kind}: engine ${JSON.stringify(a)} compiled ${JSON.stringify(b)} for ${JSON.stringify(facts)}`);
    }
  }
}
const candidateCount = groups.reduce((n, g) => n + g.facts.length, 0);
console.log(`${rules.length} shipped rules in ${groups.length} kinds; ${candidateCount} candidate fact sets (${fired} rule hits); agreement: ${mismatches === 0 ? "all equal" : `${mismatches} MISMATCHES`}`);

async function timeEngine(n: number, only?: Group): Promise<number> {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const [group, facts] = pick(i, only);
    sink += (await viaEngine(group, facts)).length;
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (sink < 0) console.log(sink);
  return ns / n / 1000;
}

function timeCompiled(n: number, only?: Group): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const [group, facts] = pick(i, only);
    sink += viaCompiled(group, facts).length;
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (sink < 0) console.log(sink);
  return ns / n / 1000;
}

const fmt = (us: number) => `${us.toFixed(us < 1 ? 3 : 2)} µs/eval`;
const rows: Array<[string, number, number]> = [];

// Warm-up, then the mixed stream (the headline), then each kind on its own.
await timeEngine(Math.min(N, 20_000));
timeCompiled(Math.min(N, 200_000));
rows.push([`all kinds, mixed (N=${N})`, await timeEngine(N), timeCompiled(N)]);
for (const group of groups) {
  const n = Math.max(1, Math.floor(N / groups.length));
  rows.push([`${group.kind} (${group.ids.length} rules, N=${n})`, await timeEngine(n, group), timeCompiled(n, group)]);
}

const width = Math.max(...rows.map(([label]) => label.length));
console.log(`${"".padEnd(width)}  ${"json-rules-engine".padStart(20)}  ${"compiled".padStart(18)}  speed-up`);
for (const [label, engineUs, compiledUs] of rows) {
  console.log(`${label.padEnd(width)}  ${fmt(engineUs).padStart(20)}  ${fmt(compiledUs).padStart(18)}  ${(engineUs / compiledUs).toFixed(0)}×`);
}
if (mismatches > 0) process.exitCode = 1;
