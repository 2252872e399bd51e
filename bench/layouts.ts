// Writes the events of a generated dataset (bench/out/<events>-<seed>) in the layouts real data comes in,
// beside it, with the same reference files, so a scan of each must give the findings of the original:
// - `multi` (<dir>-multi): monthly NDJSON parts in time order, a POS export (`pos.csv`, the orders and
//   sales of retail partners, in time order) and a late-arrivals file (3% of the events, in random order);
// - `unordered` (<dir>-unordered): the events dealt at random into `--parts` files, each shuffled.
//   npx tsx bench/layouts.ts --events 1000000 --seed 1 --shape multi
// Memory stays bounded for any size: lines go through temporary bucket files, each shuffled alone.
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readFileLines } from "../src/io/lines.js";
import { benchDataset } from "./benchDataset.js";

/** A small seeded generator (mulberry32): the same layout for the same seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CSV_COLUMNS = ["id", "type", "occurredAt", "partnerId", "sku", "customerId", "quantity", "unitPrice", "currency", "shipTo.region", "shipTo.country", "shipTo.postalCode", "lot", "promotionId"];

/** The CSV row of an order or sale whose fields all have a column, else undefined. */
function csvRow(event: Record<string, unknown>): string | undefined {
  const cells: string[] = [];
  const shipTo = (event.shipTo ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(event)) if (key !== "shipTo" && !CSV_COLUMNS.includes(key)) return undefined;
  for (const key of Object.keys(shipTo)) if (!CSV_COLUMNS.includes(`shipTo.${key}`)) return undefined;
  for (const column of CSV_COLUMNS) {
    const value = column.startsWith("shipTo.") ? shipTo[column.slice(7)] : event[column];
    const text = value === undefined ? "" : String(value);
    if (/[",\n|]/.test(text)) return undefined;
    cells.push(text);
  }
  return cells.join(",");
}

class Out {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  constructor(path: string) {
    this.fd = openSync(path, "w");
  }
  line(text: string): void {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buffer.length > 0) writeSync(this.fd, `${this.buffer.join("\n")}\n`);
    this.buffer = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function shuffleInto(bucket: string, out: Out, next: () => number): void {
  const lines = readFileSync(bucket, "utf8").split("\n").filter((line) => line !== "");
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = lines[i] as string;
    lines[i] = lines[j] as string;
    lines[j] = t;
  }
  for (const line of lines) out.line(line);
}

/** Writes the layout `shape` of the dataset in `dir`; its folder. */
export async function writeLayout(dir: string, shape: "multi" | "unordered", parts = 4, seed = 7): Promise<string> {
  const target = `${dir}-${shape}${shape === "unordered" ? `-${parts}` : ""}`;
  if (existsSync(join(target, "events"))) return target;
  const partial = `${target}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, "events"), { recursive: true });
  for (const entry of readdirSync(dir)) if (statSync(join(dir, entry)).isFile()) copyFileSync(join(dir, entry), join(partial, entry));
  const next = random(seed);
  const sources = readdirSync(join(dir, "events")).sort().map((file) => join(dir, "events", file));
  const tmp = join(partial, "buckets");
  mkdirSync(tmp);
  if (shape === "multi") {
    const months = new Map<string, Out>();
    const pos = new Out(join(partial, "events", "pos.csv"));
    pos.line(CSV_COLUMNS.join(","));
    const late = new Out(join(tmp, "late"));
    for (const file of sources) {
      for await (const line of readFileLines(file, 1 << 20)) {
        if (!("text" in line) || line.text === "") continue;
        if (next() < 0.03) {
          late.line(line.text);
          continue;
        }
        const event = JSON.parse(line.text) as Record<string, unknown>;
        const row = String(event.partnerId).startsWith("R-") && (event.type === "sale" || event.type === "order") ? csvRow(event) : undefined;
        if (row !== undefined) {
          pos.line(row);
          continue;
        }
        const month = String(event.occurredAt).slice(0, 7);
        let out = months.get(month);
        if (!out) months.set(month, (out = new Out(join(partial, "events", `orders-${month}.ndjson`))));
        out.line(line.text);
      }
    }
    for (const out of months.values()) out.close();
    pos.close();
    late.close();
    const lateOut = new Out(join(partial, "events", "late-arrivals.ndjson"));
    shuffleInto(join(tmp, "late"), lateOut, next);
    lateOut.close();
  } else {
    // Dealt into buckets of at most ~250k lines, each bucket shuffled into one of the parts.
    let total = 0;
    for (const file of sources) total += statSync(file).size;
    const bucketsPerPart = Math.max(1, Math.ceil(total / 60e6 / parts));
    const buckets = Array.from({ length: parts * bucketsPerPart }, (_, i) => new Out(join(tmp, String(i))));
    for (const file of sources) {
      for await (const line of readFileLines(file, 1 << 20)) {
        if ("text" in line && line.text !== "") (buckets[Math.floor(next() * buckets.length)] as Out).line(line.text);
      }
    }
    for (const bucket of buckets) bucket.close();
    for (let p = 0; p < parts; p++) {
      const out = new Out(join(partial, "events", `dump-${String(p + 1).padStart(3, "0")}.ndjson`));
      // The buckets of one part interleave over the whole year: shuffled together, a bucket at a time is enough
      // to leave no order (each bucket covers the whole span).
      for (let b = 0; b < bucketsPerPart; b++) shuffleInto(join(tmp, String(p * bucketsPerPart + b)), out, next);
      out.close();
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  renameSync(partial, target);
  return target;
}

if (process.argv[1]?.endsWith("layouts.ts")) {
  const { values } = parseArgs({
    options: {
      events: { type: "string", default: "1000000" },
      seed: { type: "string", default: "1" },
      shape: { type: "string", default: "multi" },
      parts: { type: "string", default: "4" },
    },
  });
  const dir = benchDataset(Number(values.events), String(values.seed));
  console.log(await writeLayout(dir, values.shape as "multi" | "unordered", Number(values.parts)));
}
