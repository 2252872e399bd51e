// `npm run bench:formats [-- --events 1000000 --seed 1 --runs 3 --compression snappy,zstd --csv]`: writes
// the events of a generated dataset (bench/out/<events>-<seed>, made by bench/generate-cli.ts) in other
// shapes, and times the full scan of each against the NDJSON dataset:
// - as one Parquet file with DuckDB, once per compression (bench/out/<events>-<seed>-parquet-<codec>/
//   events.parquet: occurredAt a TIMESTAMP, prices DECIMAL(12,2), quantity INTEGER, shipTo a struct);
// - with `--csv` (on by default), as a Chinese ERP exports them, read through a manifest
//   (bench/out/<events>-<seed>-csv-erp: GB18030, `;`, a title row, Chinese headers, types and currencies as
//   Chinese words mapped back, times as `yyyy/MM/dd HH:mm:ss.SSS` in Asia/Shanghai, prices and quantities
//   with grouping, monthly files under erp/).
// The reference collections are copied as they are (for the ERP export, with their dates written as UTC
// instants, which the export's time zone does not move). Each scan runs in its own process, alternating (NDJSON,
// then each other shape) so that the drift of a shared machine slows them alike, and each run's seconds
// are printed with its ratio to the NDJSON run just before it. The scans run from the sources (`src/`, the
// event reader's worker compiled from them as tests do), so no build is needed and all run the same code.
import { execFileSync } from "node:child_process";
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchDataset } from "./benchDataset.js";
import { encodeGb18030 } from "../scripts/make-erp-fixture.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    events: { type: "string", default: "1000000" },
    seed: { type: "string", default: "1" },
    runs: { type: "string", default: "3" },
    compression: { type: "string", default: "snappy,zstd" },
    csv: { type: "boolean", default: true },
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
    const out = execFileSync(process.execPath, ["--max-old-space-size=4096", "--import", "tsx", "bench/formats.ts", "--child", folder], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    return JSON.parse(out.trim().split("\n").pop() as string) as Run;
  }

  const codecs = (values.compression as string).split(",").filter(Boolean);
  const folders = new Map<string, string>([["ndjson", dir]]);
  for (const codec of codecs) folders.set(`parquet ${codec}`, await writeParquet(codec));
  if (values.csv) folders.set("csv (GB18030 ERP export, manifest)", writeErpCsv(dir));
  const sizeIn = (folder: string): number =>
    readdirSync(folder).reduce((sum, f) => sum + (statSync(join(folder, f)).isDirectory() ? sizeIn(join(folder, f)) : statSync(join(folder, f)).size), 0);
  const sizeOf = (folder: string) =>
    existsSync(join(folder, "events.parquet")) ? statSync(join(folder, "events.parquet")).size : existsSync(join(folder, "erp")) ? sizeIn(join(folder, "erp")) : sizeIn(join(folder, "events"));

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

/** The ERP export's columns, in order, and the contract field each gives (undefined: a column for people). */
const ERP_COLUMNS: ReadonlyArray<readonly [string, string | undefined]> = [
  ["单据编号", "id"],
  ["单据类型", "type"],
  ["业务时间", "occurredAt"],
  ["渠道商编码", "partnerId"],
  ["商品编码", "sku"],
  ["客户编码", "customerId"],
  ["数量", "quantity"],
  ["单价", "unitPrice"],
  ["金额", undefined],
  ["币种", "currency"],
  ["收货地区", "shipTo.region"],
  ["国家", "shipTo.country"],
  ["邮编", "shipTo.postalCode"],
  ["批号", "lot"],
  ["促销编号", "promotionId"],
  ["标价", "price"],
  ["链接", "url"],
];
const ERP_TYPES: Readonly<Record<string, string>> = { order: "订单", sale: "销售", listing: "网店标价", allocation: "调拨" };
const ERP_CURRENCIES: Readonly<Record<string, string>> = { CNY: "人民币", USD: "美元", EUR: "欧元" };

const ERP_MANIFEST = `# The bench's events as a Chinese ERP exports them (bench/formats.ts writes this folder).
timeZone: Asia/Shanghai
collections:
  events:
    files: ["erp/*.csv"]
    encoding: gb18030
    delimiter: ";"
    skipRows: 1
    fields:
      id: 单据编号
      type: { column: 单据类型, map: { 订单: order, 销售: sale, 网店标价: listing, 调拨: allocation } }
      occurredAt: { column: 业务时间, format: "yyyy/MM/dd HH:mm:ss.SSS" }
      partnerId: 渠道商编码
      sku: 商品编码
      customerId: 客户编码
      quantity: { column: 数量, format: "#,##0" }
      unitPrice: { column: 单价, format: "#,##0.00" }
      currency: { column: 币种, map: { 人民币: CNY, 美元: USD, 欧元: EUR } }
      shipTo.region: 收货地区
      shipTo.country: 国家
      shipTo.postalCode: 邮编
      lot: 批号
      promotionId: 促销编号
      price: { column: 标价, format: "#,##0.00" }
      url: 链接
`;

const SHANGHAI_MS = 8 * 3_600_000;

/** `1,234.50`: grouping and two decimals, as Excel shows an accounting number. */
function grouped(value: number, decimals: number): string {
  const [whole, fraction] = value.toFixed(decimals).split(".") as [string, string | undefined];
  const withGroups = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? withGroups : `${withGroups}.${fraction}`;
}

/** A wall time in Shanghai (UTC+8 all year: no daylight saving since 1991) as `yyyy/MM/dd HH:mm:ss.SSS`. */
function shanghaiText(iso: string): string {
  const wall = new Date(Date.parse(iso) + SHANGHAI_MS).toISOString();
  return `${wall.slice(0, 4)}/${wall.slice(5, 7)}/${wall.slice(8, 10)} ${wall.slice(11, 23)}`;
}

function erpCell(text: string): string {
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The events of the dataset as monthly GB18030 ERP exports with a manifest, written once and kept. */
function writeErpCsv(dir: string): string {
  const out = `${dir}-csv-erp`;
  if (existsSync(join(out, "channel-conflict.yaml"))) return out;
  process.stderr.write(`writing ${dir}/events as GB18030 ERP CSV into ${out}…\n`);
  const partial = `${out}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, "erp"), { recursive: true });
  // The reference collections as they are, but with their dates as UTC instants: the export's time zone
  // (Asia/Shanghai) would move their bare dates, and the scan must find exactly what the NDJSON one does.
  for (const entry of readdirSync(dir)) {
    if (!statSync(join(dir, entry)).isFile()) continue;
    if (!entry.endsWith(".json")) {
      copyFileSync(join(dir, entry), join(partial, entry));
      continue;
    }
    const asInstants = (value: unknown): unknown => {
      if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.test(value)) {
        return value.length === 10 ? `${value}T00:00:00Z` : `${value}Z`;
      }
      if (Array.isArray(value)) return value.map(asInstants);
      if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asInstants(v)]));
      return value;
    };
    writeFileSync(join(partial, entry), JSON.stringify(asInstants(JSON.parse(readFileSync(join(dir, entry), "utf8")))));
  }
  writeFileSync(join(partial, "channel-conflict.yaml"), ERP_MANIFEST);
  const header = ERP_COLUMNS.map(([column]) => column).join(";");
  let month = "";
  let fd: number | undefined;
  let rows: string[] = [];
  const flush = () => {
    if (fd !== undefined && rows.length > 0) writeSync(fd, encodeGb18030(rows.join(""), "bench export"));
    rows = [];
  };
  for (const file of readdirSync(join(dir, "events")).filter((f) => f.endsWith(".ndjson")).sort()) {
    for (const line of readFileSync(join(dir, "events", file), "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const event = JSON.parse(line) as Record<string, unknown> & { occurredAt: string; shipTo?: Record<string, string> };
      const local = shanghaiText(event.occurredAt);
      const eventMonth = local.slice(0, 7);
      if (eventMonth !== month) {
        // One file per month, as the ERP exports them, each with its title row and header (the generator writes events in time order).
        if (eventMonth < month) throw new Error(`${file}: events are not in time order (${local} after ${month}); regenerate the dataset`);
        flush();
        if (fd !== undefined) closeSync(fd);
        month = eventMonth;
        fd = openSync(join(partial, "erp", `订单-${month.replace("/", "-")}.csv`), "w");
        rows.push(`销售明细表（${month.replace("/", "年")}月）${";".repeat(ERP_COLUMNS.length - 1)}\r\n`, `${header}\r\n`);
      }
      const cells = ERP_COLUMNS.map(([, field]) => {
        switch (field) {
          case undefined:
            return typeof event.unitPrice === "number" && typeof event.quantity === "number" ? grouped(event.unitPrice * event.quantity, 2) : "";
          case "type":
            return ERP_TYPES[event.type as string] ?? String(event.type);
          case "occurredAt":
            return local;
          case "quantity":
            return typeof event.quantity === "number" ? grouped(event.quantity, 0) : "";
          case "unitPrice":
          case "price":
            return typeof event[field] === "number" ? grouped(event[field] as number, 2) : "";
          case "currency":
            return event.currency === undefined ? "" : (ERP_CURRENCIES[event.currency as string] ?? String(event.currency));
          default: {
            const value = field.startsWith("shipTo.") ? event.shipTo?.[field.slice(7)] : event[field];
            return value === undefined ? "" : erpCell(String(value));
          }
        }
      });
      rows.push(`${cells.join(";")}\r\n`);
      if (rows.length >= 20_000) flush();
    }
  }
  flush();
  if (fd !== undefined) closeSync(fd);
  renameSync(partial, out);
  return out;
}

if (values.child) await scanOnce(positionals[0] as string);
else await compare();
