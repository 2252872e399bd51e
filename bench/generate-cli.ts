/**
 * Writes a generated dataset folder.
 *
 *   npx tsx bench/generate-cli.ts --events 1000000 --seed 1 --out bench/out/1m
 *   npx tsx bench/generate-cli.ts --events 200000 --seed 1 --out bench/out/200k --no-conflicts
 *
 * Options: --events N (required), --seed N (default 1), --out DIR (required), --no-conflicts,
 * --random-conflicts N (random conflicts of each kind; default events / 25000).
 * Events are produced and written as a stream, so memory stays flat whatever the size.
 */
import { parseArgs } from "node:util";
import { planDataset, writeDataset } from "./generate.js";

function fail(message: string): never {
  process.stderr.write(`generate: ${message}\n`);
  process.exit(2);
}

function integer(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) fail(`--${name} is required`);
    return fallback;
  }
  const n = Number(value.replace(/_/g, ""));
  if (!Number.isInteger(n) || n < 0) fail(`--${name}: expected a non-negative integer, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        events: { type: "string" },
        seed: { type: "string" },
        out: { type: "string" },
        "no-conflicts": { type: "boolean", default: false },
        "random-conflicts": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write("usage: tsx bench/generate-cli.ts --events N --out DIR [--seed N] [--no-conflicts] [--random-conflicts N]\n");
    return;
  }
  const events = integer("events", values.events);
  const seed = integer("seed", values.seed, 1);
  const out = values.out ?? fail("--out is required");
  const randomConflicts = values["random-conflicts"] === undefined ? undefined : integer("random-conflicts", values["random-conflicts"]);

  const started = process.hrtime.bigint();
  const plan = planDataset({ events, seed, conflicts: !values["no-conflicts"], ...(randomConflicts !== undefined ? { randomConflicts } : {}) });
  const progress = process.stderr.isTTY ? (n: number) => process.stderr.write(`\r${n.toLocaleString("en-US")} events written`) : undefined;
  const written = await writeDataset(out, plan, progress ? { onProgress: progress } : {});
  if (progress) process.stderr.write("\n");
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const m = plan.manifest;
  process.stderr.write(
    `wrote ${out}: ${written.events.toLocaleString("en-US")} events in ${written.parts} part(s) ` +
      `(${m.injectedEvents} injected), ${m.counts.customers} customers, ${m.expectedFindings} expected findings, ${seconds.toFixed(1)} s\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`generate: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
