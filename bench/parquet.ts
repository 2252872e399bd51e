// `npm run bench:parquet [-- --events 1000000 --seed 1 --runs 3 --compression snappy,zstd]`: writes the
// events of a generated dataset (bench/out/<events>-<seed>, made by bench/generate-cli.ts) as one Parquet
// file with DuckDB, once per compression (kept as bench/out/<events>-<seed>-parquet-<codec>/events.parquet:
// occurredAt a TIMESTAMP, prices DECIMAL(12,2), quantity INTEGER, shipTo a struct; the reference
// collections copied as they are), then times the full scan of the NDJSON dataset and of each Parquet one,
// each in its own process, alternating (NDJSON, then each Parquet) so that the drift of a shared machine
// slows them alike, and prints each run's seconds and its ratio to the NDJSON run just before it. The scans
// run from the sources (`src/`, the event reader's worker compiled from them as tests do), so no build is
// needed and both sides run the same code.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchDataset } from "./benchDataset.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    events: { type: "string", default: "1000000" },
    seed: { type: "string", default: "1" },
    runs: { type: "string", default: "3" },
    compression: { type: "string", default: "snappy,zstd" },
    child: { type: "boolean", default: false },
  },
});

/** The child: one scan of the folder given, one JSON line of its timing. */
async function scanOnce(folder: string): Promise<void> {
  const { scan } = await import("../src/index.js");
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const report = await scan(folder);
  const seconds = (performance.now() - started) / 1000;
  // CPU time of the whole process (both threads, GC helpers included): less swayed than wall time by other jobs.
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  const { events, rejected } = report.summary;
  console.log(JSON.stringify({ events: events + rejected, rejected, findings: report.findings.length, seconds, cpuSeconds, peakRssMb: Number(hwm) / 1024 }));
}

/** The parent: writes the Parquet datasets when missing, then alternates the scans. */
async function compare(): Promise<void> {
  const count = Number(values.events);
  const dir = benchDataset(count, String(values.seed));

  /** The event fields the generator writes, typed for DuckDB's JSON reader (extra keys are ignored). */
  const COLUMNS =
    "{id: 'VARCHAR', type: 'VARCHAR', occurredAt: 'VARCHAR', partnerId: 'VARCHAR', sku: 'VARCHAR', customerId: 'VARCHAR', " +
    "quantity: 'DOUBLE', unitPrice: 'DOUBLE', currency: 'VARCHAR', shipTo: 'STRUCT(region VARCHAR, country VARCHAR, postalCode VARCHAR)', " +
    "lot: 'VARCHAR', promotionId: 'VARCHAR', price: 'DOUBLE', url: 'VARCHAR'}";

  async function writeParquet(codec: string): Promise<string> {
    const out = `${dir}-parquet-${codec}`;
    if (existsSync(join(out, "events.parquet"))) return out;
    process.stderr.write(`writing ${dir}/events as one Parquet file (${codec}) into ${out}…\n`);
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const partial = `${out}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    for (const entry of readdirSync(dir)) if (statSync(join(dir, entry)).isFile()) copyFileSync(join(dir, entry), join(partial, entry));
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const files = readdirSync(join(dir, "events"))
      .filter((file) => file.endsWith(".ndjson"))
      .sort()
      .map((file) => `'${join(dir, "events", file).replaceAll("'", "''")}'`);
    // The types an export would have: a timestamp, money as decimals, quantities as integers (the
    // generator writes whole ones); DuckDB keeps the rows in the order read (preserve_insertion_order).
    await connection.run(
      `COPY (SELECT * REPLACE (CAST(occurredAt AS TIMESTAMP) AS occurredAt, CAST(quantity AS INTEGER) AS quantity, ` +
        `CAST(unitPrice AS DECIMAL(12,2)) AS unitPrice, CAST(price AS DECIMAL(12,2)) AS price) ` +
        `FROM read_json([${files.join(", ")}], format = 'newline_delimited', columns = ${COLUMNS})) ` +
        `TO '${join(partial, "events.parquet").replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION ${codec})`,
    );
    connection.closeSync();
    instance.closeSync();
    renameSync(partial, out);
    return out;
  }

  interface Run {
    readonly events: number;
    readonly rejected: number;
    readonly findings: number;
    readonly seconds: number;
    readonly cpuSeconds: number;
    readonly peakRssMb: number;
  }

  function child(folder: string): Run {
    const out = execFileSync(process.execPath, ["--max-old-space-size=4096", "--import", "tsx", "bench/parquet.ts", "--child", folder], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    return JSON.parse(out.trim().split("\n").pop() as string) as Run;
  }

  const codecs = (values.compression as string).split(",").filter(Boolean);
  const folders = new Map<string, string>([["ndjson", dir]]);
  for (const codec of codecs) folders.set(`parquet ${codec}`, await writeParquet(codec));
  const sizeOf = (folder: string) =>
    existsSync(join(folder, "events.parquet"))
      ? statSync(join(folder, "events.parquet")).size
      : readdirSync(join(folder, "events")).reduce((sum, f) => sum + statSync(join(folder, "events", f)).size, 0);

  const runs = Number(values.runs);
  const results = new Map<string, Run[]>([...folders.keys()].map((name) => [name, []]));
  for (let run = 0; run < runs; run++) {
    for (const [name, folder] of folders) {
      const result = child(folder);
      results.get(name)?.push(result);
      process.stderr.write(
        `run ${run + 1} ${name}: ${result.seconds.toFixed(2)} s (CPU ${result.cpuSeconds.toFixed(2)} s), ${result.findings} findings, ${result.rejected} rejected\n`,
      );
    }
  }

  const ndjsonRuns = results.get("ndjson") as Run[];
  const best = (list: Run[]) => list.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  console.log(`node ${process.version}, ${count} events, seed ${values.seed}, ${runs} alternating runs`);
  console.log("| events as | MB on disk | best s | events/s | ratio to NDJSON (best) | ratio of each run | CPU s (best) | CPU ratio of each run | peak RSS MB | findings |");
  console.log("|---|---:|---:|---:|---:|---|---:|---|---:|---:|");
  const bestCpu = (list: Run[]) => Math.min(...list.map((r) => r.cpuSeconds));
  for (const [name, list] of results) {
    const top = best(list);
    const each = list.map((r, i) => (r.seconds / (ndjsonRuns[i] as Run).seconds).toFixed(2)).join(", ");
    const eachCpu = list.map((r, i) => (r.cpuSeconds / (ndjsonRuns[i] as Run).cpuSeconds).toFixed(2)).join(", ");
    console.log(
      `| ${name} | ${(sizeOf(folders.get(name) as string) / 1e6).toFixed(0)} | ${top.seconds.toFixed(2)} | ${Math.round(top.events / top.seconds).toLocaleString("en-US")} | ` +
        `${(top.seconds / best(ndjsonRuns).seconds).toFixed(2)} | ${each} | ${bestCpu(list).toFixed(2)} | ${eachCpu} | ${top.peakRssMb.toFixed(0)} | ${top.findings} |`,
    );
  }
  const findings = new Set([...results.values()].flat().map((r) => `${r.findings}/${r.rejected}`));
  if (findings.size !== 1) console.log(`the runs disagree on findings/rejected: ${[...findings].join(", ")}`);
}

if (values.child) await scanOnce(positionals[0] as string);
else await compare();
