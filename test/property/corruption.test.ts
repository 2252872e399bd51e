// Corruption property test (CONTRACT §2, §8; README "Datasets"): fixtures/demo is written out in
// random layouts (JSON arrays, NDJSON, CSV; events split into parts of mixed formats), then random
// records are broken and random harmless noise is added. Whatever happens:
//   - nothing throws, and every collection has read = accepted + rejected;
//   - every rejection names its file, its line (NDJSON, CSV) or index (JSON arrays) and a reason that
//     names a field or the syntax problem;
//   - every broken record is rejected at its exact line / index, naming the broken field;
//   - the findings (and skipped checks) equal those of the clean records with exactly the broken ones
//     removed, and every other rejection is one the removed variant makes too (a rejected partner
//     also rejects the records that reference it, in both variants);
//   - with only harmless noise, the report is byte-identical to the clean dataset's.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatasetError, loadDataset, scan, type ScanReport } from "../../src/index.js";
import { formatJson } from "../../src/report/formatJson.js";
import {
  CLI,
  COLLECTIONS,
  DEMO,
  REFERENCE_NAMES,
  ROOT,
  runCli,
  csvCell,
  csvHeader,
  demoCollections,
  flatten,
  removeTempDirs,
  tempDir,
  writeFiles,
  type CollectionName,
  type Collections,
  type Format,
  type Json,
  type JsonRecord,
  type ReferenceName,
} from "../security/support.js";

// ------------------------------------------------------------------ field catalogue (CONTRACT §2)

type Kind = "id" | "ref" | "str" | "enum" | "currency" | "date" | "pos" | "money" | "frac" | "bool" | "list" | "enumList" | "type" | "shipTo";
interface FieldSpec {
  readonly kind: Kind;
  readonly required?: boolean;
}

const REQ = true;
const f = (kind: Kind, required = false): FieldSpec => ({ kind, required });

const REFERENCE_FIELDS: Record<ReferenceName, Record<string, FieldSpec>> = {
  partners: { id: f("id", REQ), name: f("str"), channel: f("enum", REQ), parentId: f("ref"), homeRegion: f("id") },
  regions: { code: f("id", REQ), name: f("str"), parent: f("ref") },
  territories: {
    id: f("id", REQ),
    partnerId: f("ref", REQ),
    region: f("ref", REQ),
    exclusive: f("bool"),
    skus: f("list"),
    categories: f("list"),
    validFrom: f("date"),
    validTo: f("date"),
  },
  products: { sku: f("id", REQ), name: f("str"), category: f("id"), listPrice: f("money"), currency: f("currency") },
  pricePolicies: {
    id: f("id", REQ),
    sku: f("id", REQ),
    channel: f("enum"),
    listPrice: f("money"),
    floorPrice: f("money"),
    map: f("money"),
    currency: f("currency", REQ),
    validFrom: f("date"),
    validTo: f("date"),
  },
  promotions: {
    id: f("id", REQ),
    skus: f("list"),
    channels: f("enumList"),
    partnerIds: f("list"),
    maxDiscount: f("frac", REQ),
    validFrom: f("date", REQ),
    validTo: f("date", REQ),
  },
  registrations: {
    id: f("id", REQ),
    customerId: f("id", REQ),
    partnerId: f("ref", REQ),
    status: f("enum", REQ),
    registeredAt: f("date", REQ),
    expiresAt: f("date"),
  },
  customers: { id: f("id", REQ), name: f("str"), region: f("id"), segment: f("str") },
};

const EVENT_BASE: Record<string, FieldSpec> = {
  id: f("id", REQ),
  type: f("type", REQ),
  occurredAt: f("date", REQ),
  partnerId: f("ref", REQ),
  sku: f("ref", REQ),
};
const EVENT_FIELDS: Record<string, Record<string, FieldSpec>> = {
  sale: {
    ...EVENT_BASE,
    customerId: f("id"),
    quantity: f("pos", REQ),
    unitPrice: f("money", REQ),
    currency: f("currency", REQ),
    shipTo: f("shipTo"),
    "shipTo.region": f("id", REQ),
    "shipTo.country": f("str"),
    "shipTo.postalCode": f("str"),
    lot: f("id"),
    promotionId: f("id"),
  },
  listing: { ...EVENT_BASE, price: f("money", REQ), currency: f("currency", REQ), url: f("str") },
  allocation: { ...EVENT_BASE, lot: f("id", REQ), quantity: f("pos", REQ) },
};
EVENT_FIELDS.order = EVENT_FIELDS.sale as Record<string, FieldSpec>;

function fieldsOf(collection: CollectionName, record: JsonRecord): Record<string, FieldSpec> {
  if (collection === "events") return EVENT_FIELDS[record.type as string] ?? EVENT_BASE;
  return REFERENCE_FIELDS[collection];
}

// ------------------------------------------------------------------ breaking corruptions

const BAD_DATES = [
  "2025-02-30",
  "2025-02-29",
  "2025-13-01",
  "2025-00-10",
  "2025-04-31",
  "2025-03-01T12:60:00Z",
  "2025-03-01T25:00:00Z",
  "2025/03/01",
  "01-03-2025",
  "2025-3-1",
  "yesterday",
  "2025-03-01T09:00:00ZZ",
  "2025-03-01 09:00:00",
  " 2025-03-01",
];

const JSON_BAD: Record<Kind, readonly string[]> = {
  id: ["42", "true", "null", "{}", '["x"]', '"   "', '""'],
  ref: ["42", "false", "null", "{}", "[]", '"\\t"', '""'],
  str: ["42", "true", "null", "{}", '["x"]'],
  enum: ['"bogus"', '"Direct"', '"direct "', "42", "null", '["direct"]'],
  currency: ['"cny"', '"CNYX"', '"C1Y"', '"€"', "156", "null"],
  date: [...BAD_DATES.map((d) => JSON.stringify(d)), "20250301", "null", "{}"],
  pos: ['"12"', '"NaN"', '"12abc"', "true", "null", "[1]", "{}", "0", "-1", "-0.5", "1e400", "-1e400"],
  money: ['"12"', '"NaN"', '"12abc"', '"Infinity"', "true", "null", "[1]", "-1", "-0.01", "1e400", "-1e400", "1e12"],
  frac: ['"0.1"', "-0.1", "1.5", "2", "1e400", "null", '"NaN"'],
  bool: ['"true"', "1", "0", "null", '"yes"'],
  list: ['"LA-H100"', "42", "{}", "[1]", '[""]', "[null]", "null"],
  enumList: ['"ecommerce"', '["bogus"]', "[1]", "null"],
  type: ['"refund"', '"ORDER"', '"Sale"', '"sales"', '"listing "', "42", "null"],
  shipTo: ['"CN-GD"', "42", "[]", "{}", "null", '{"country":"CN"}'],
};

const CSV_BAD: Record<Kind, readonly string[]> = {
  id: ["   ", "\t"],
  ref: [" ", "\t \t"],
  str: [],
  enum: ["bogus", "Direct", "direct ", " retail"],
  currency: ["cny", "CNYX", "C1Y", "usd "],
  date: BAD_DATES,
  pos: ["abc", "NaN", "12abc", "Infinity", "0x1F", "1_000", "0", "-1", "-0.5", "1e400", "--1", "1.2.3", "١٢", "1,5"],
  money: ["abc", "NaN", "12abc", "Infinity", "-1", "-0.01", "1e400", "1e12", "+-1", "12 34"],
  frac: ["-0.1", "1.5", "abc", "1e400", "NaN"],
  // Not `TRUE`: CSV booleans are read in any case, as Excel writes them (CONTRACT §2).
  bool: ["yes", "1", "tru", "truee"],
  list: [" ", "|", "LA-H100||LA-H200"],
  enumList: ["bogus", "ecommerce|bogus", "|"],
  type: ["refund", "ORDER", "Sale", "listing "],
  shipTo: [],
};

/** Kinds whose value must match something (an enum, a pattern, a date, a reference): one bad byte breaks them. */
const GARBLE_KINDS: ReadonlySet<Kind> = new Set<Kind>(["ref", "enum", "currency", "date", "type"]);

type Patch =
  | { readonly op: "set"; readonly path: string; readonly raw: string }
  | { readonly op: "delete"; readonly path: string }
  | { readonly op: "garble"; readonly path: string; readonly pos: number }
  | { readonly op: "truncate"; readonly at: number };

interface Breaking {
  readonly patch: Patch;
  /** The field the reason must name; `(syntax)` for a line that no longer parses. */
  readonly field: string;
}

function getPath(record: JsonRecord, path: string): Json | undefined {
  let current: Json | undefined = record;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = (current as JsonRecord)[part];
  }
  return current;
}

/** Every breaking corruption that applies to `record` written as `format` (param picks positions). */
function breakingOptions(collection: CollectionName, record: JsonRecord, format: Format, param: number): Breaking[] {
  const out: Breaking[] = [];
  for (const [path, spec] of Object.entries(fieldsOf(collection, record))) {
    const value = getPath(record, path);
    const present = value !== undefined;
    const parentPresent = !path.includes(".") || getPath(record, path.split(".")[0] as string) !== undefined;
    if (!parentPresent) continue;
    if (spec.required) {
      if (format !== "csv") out.push({ patch: { op: "delete", path }, field: path });
      else if (!path.startsWith("shipTo.")) out.push({ patch: { op: "delete", path }, field: path });
      else if (Object.keys(record.shipTo as JsonRecord).length > 1) out.push({ patch: { op: "delete", path }, field: path });
    }
    if (!present) continue;
    if (format === "csv" && spec.kind === "shipTo") continue;
    for (const raw of (format === "csv" ? CSV_BAD : JSON_BAD)[spec.kind]) out.push({ patch: { op: "set", path, raw }, field: path });
    // Bytes invalid in UTF-8 reject the line or CSV record that holds them; a JSON array file, read whole, would fail whole.
    if (format !== "json" && GARBLE_KINDS.has(spec.kind) && typeof value === "string") {
      out.push({ patch: { op: "garble", path, pos: param % (value.length + 1) }, field: path });
    }
  }
  if (format !== "json") out.push({ patch: { op: "truncate", at: param }, field: "(syntax)" });
  return out;
}

// ------------------------------------------------------------------ invalid UTF-8

/** Placeholder for invalid bytes in the text; replaced when the file is turned into bytes. */
const BAD_BYTES_MARK = "\uE000";
const BAD_BYTE_SEQUENCES: readonly number[][] = [[0xff], [0xfe], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3]];

function toBytes(text: string, seed: number): Buffer {
  const pieces = text.split(BAD_BYTES_MARK);
  const out: Buffer[] = [];
  pieces.forEach((piece, i) => {
    if (i > 0) out.push(Buffer.from(BAD_BYTE_SEQUENCES[(seed + i) % BAD_BYTE_SEQUENCES.length] as number[]));
    out.push(Buffer.from(piece, "utf8"));
  });
  return Buffer.concat(out);
}

// ------------------------------------------------------------------ layouts and noise

interface Layout {
  readonly formats: Record<ReferenceName, Format>;
  readonly eventParts: readonly Format[];
  readonly eventsFolder: boolean;
  /** Part of each event (index mod parts). */
  readonly assignment: readonly number[];
}

interface FileNoise {
  readonly bom: boolean;
  readonly crlf: boolean;
  readonly extraFields: boolean;
  readonly blankLines: number;
  readonly trailingNewline: boolean;
  readonly shuffleKeys: boolean;
}

interface Noise {
  readonly files: readonly FileNoise[];
  /** Seed of the per-record choices: bad bytes in unused fields, extra-field values, blank-line places. */
  readonly seed: number;
}

interface Ticket {
  readonly pick: number;
  readonly option: number;
  readonly param: number;
}

const formatArb = fc.constantFrom<Format>("json", "ndjson", "csv");
const layoutArb: fc.Arbitrary<Layout> = fc.record({
  formats: fc.record(Object.fromEntries(REFERENCE_NAMES.map((n) => [n, formatArb])) as Record<ReferenceName, fc.Arbitrary<Format>>),
  eventParts: fc.array(fc.constantFrom<Format>("ndjson", "csv", "ndjson", "csv", "json"), { minLength: 1, maxLength: 4 }),
  eventsFolder: fc.boolean(),
  assignment: fc.array(fc.nat(7), { minLength: 1, maxLength: 90 }),
});
const fileNoiseArb: fc.Arbitrary<FileNoise> = fc.record({
  bom: fc.boolean(),
  crlf: fc.boolean(),
  extraFields: fc.boolean(),
  blankLines: fc.nat(4),
  trailingNewline: fc.boolean(),
  shuffleKeys: fc.boolean(),
});
const noiseArb: fc.Arbitrary<Noise> = fc.record({ files: fc.array(fileNoiseArb, { minLength: 14, maxLength: 14 }), seed: fc.nat() });
const NO_NOISE: Noise = {
  files: Array.from({ length: 14 }, () => ({ bom: false, crlf: false, extraFields: false, blankLines: 0, trailingNewline: true, shuffleKeys: false })),
  seed: 0,
};
const ticketArb: fc.Arbitrary<Ticket> = fc.record({ pick: fc.nat(), option: fc.nat(), param: fc.nat(1000) });

/** A small deterministic generator for the per-record noise choices. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Fields no finding reads, where other text must change nothing. */
// Region and product names are not in this list: messages name regions and products by them.
const UNUSED_TEXT_FIELDS: Partial<Record<CollectionName, string>> = { customers: "segment" };

// ------------------------------------------------------------------ writing a dataset

/** Identity of a record: its collection and its position in the demo's records. */
type Identity = string;

interface Where {
  readonly file: string;
  readonly line?: number;
  readonly index?: number;
}

interface Written {
  readonly dir: string;
  /** Where each record was written. */
  readonly where: Map<Identity, Where>;
  /** `file:line` or `file[index]` → identity. */
  readonly at: Map<string, Identity>;
  /** Records written per collection. */
  readonly counts: Map<CollectionName, number>;
}

const key = (w: Where) => (w.line !== undefined ? `${w.file}:${w.line}` : `${w.file}[${w.index}]`);

interface FilePlan {
  readonly name: string;
  readonly collection: CollectionName;
  readonly format: Format;
  readonly ids: Identity[];
}

function planFiles(collections: Collections, layout: Layout): FilePlan[] {
  const plans: FilePlan[] = [];
  for (const name of REFERENCE_NAMES) {
    const records = collections[name] ?? [];
    const format = layout.formats[name];
    plans.push({ name: `${name}.${format}`, collection: name, format, ids: records.map((_, i) => `${name}#${i}`) });
  }
  const events = collections.events ?? [];
  const parts = layout.eventParts;
  const single = parts.length === 1 && !layout.eventsFolder;
  const eventPlans = parts.map(
    (format, p): FilePlan => ({
      name: single ? `events.${format}` : `events/part-${String(p + 1).padStart(4, "0")}.${format}`,
      collection: "events",
      format,
      ids: [],
    }),
  );
  events.forEach((_, i) => {
    const part = (layout.assignment[i % layout.assignment.length] as number) % parts.length;
    (eventPlans[part] as FilePlan).ids.push(`events#${i}`);
  });
  return [...plans, ...eventPlans];
}

function recordOf(collections: Collections, id: Identity): JsonRecord {
  const [name, index] = id.split("#") as [CollectionName, string];
  return (collections[name] as JsonRecord[])[Number(index)] as JsonRecord;
}

function setPath(record: JsonRecord, path: string, value: Json | undefined): void {
  const parts = path.split(".");
  let target = record;
  for (const part of parts.slice(0, -1)) target = target[part] as JsonRecord;
  const last = parts[parts.length - 1] as string;
  if (value === undefined) delete target[last];
  else target[last] = value;
}

const RAW = "@@RAW@@";

function shuffledKeys(record: JsonRecord, random: () => number): JsonRecord {
  const entries = Object.entries(record).map(([k, v]) => [k, v && typeof v === "object" && !Array.isArray(v) ? shuffledKeys(v, random) : v] as const);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j] as (typeof entries)[number], entries[i] as (typeof entries)[number]];
  }
  return Object.fromEntries(entries);
}

/**
 * Text that is valid UTF-8 beyond ASCII (Chinese, an emoji, a character that was U+FFFD in a file): harmless
 * in a field no finding reads. Bytes invalid in UTF-8 are not noise — they reject their record (the garble damage).
 */
const WIDE_TEXT = "华南·✓😀\uFFFD";

/** A record with its harmless noise: extra unknown fields, non-ASCII text in an unused text field. */
function noisyRecord(collection: CollectionName, record: JsonRecord, noise: FileNoise, random: () => number): JsonRecord {
  const copy = JSON.parse(JSON.stringify(record)) as JsonRecord;
  const unused = UNUSED_TEXT_FIELDS[collection];
  if (unused !== undefined && typeof copy[unused] === "string" && random() < 0.5) {
    const text = copy[unused] as string;
    const pos = Math.floor(random() * (text.length + 1));
    copy[unused] = `${text.slice(0, pos)}${WIDE_TEXT}${text.slice(pos)}`;
  }
  if (noise.extraFields) {
    copy.zzNote = `note ${WIDE_TEXT} ${Math.floor(random() * 100)}`;
    copy.importedBy = "etl, v2 \"nightly\"";
  }
  return noise.shuffleKeys ? shuffledKeys(copy, random) : copy;
}

function jsonText(record: JsonRecord, breaking: Breaking | undefined): string {
  if (!breaking) return JSON.stringify(record);
  const copy = JSON.parse(JSON.stringify(record)) as JsonRecord;
  const { patch } = breaking;
  if (patch.op === "delete") {
    setPath(copy, patch.path, undefined);
    return JSON.stringify(copy);
  }
  if (patch.op === "garble") {
    const text = getPath(copy, patch.path) as string;
    setPath(copy, patch.path, `${text.slice(0, patch.pos)}${BAD_BYTES_MARK}${text.slice(patch.pos)}`);
    return JSON.stringify(copy);
  }
  if (patch.op === "set") {
    setPath(copy, patch.path, RAW);
    return JSON.stringify(copy).replace(JSON.stringify(RAW), patch.raw);
  }
  const text = JSON.stringify(copy);
  return text.slice(0, 1 + (patch.at % (text.length - 1)));
}

function csvRow(header: readonly string[], cells: Map<string, string>, breaking: Breaking | undefined): string {
  const row = new Map(cells);
  const patch = breaking?.patch;
  if (patch?.op === "delete") {
    for (const column of header) if (column === patch.path || column.startsWith(`${patch.path}.`)) row.set(column, "");
  } else if (patch?.op === "garble") {
    const text = row.get(patch.path) as string;
    row.set(patch.path, `${text.slice(0, patch.pos)}${BAD_BYTES_MARK}${text.slice(patch.pos)}`);
  } else if (patch?.op === "set") {
    row.set(patch.path, patch.raw);
  }
  const line = header.map((column) => csvCell(row.get(column) ?? "")).join(",");
  if (patch?.op !== "truncate") return line;
  // Cut at a separator outside quotes: the row keeps fewer cells than the header has.
  const separators: number[] = [];
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    // A cut at 0 would leave a blank line, which is skipped, not a broken record.
    else if (line[i] === "," && !quoted && i > 0) separators.push(i);
  }
  return line.slice(0, separators[patch.at % separators.length]);
}

function writeDataset(collections: Collections, layout: Layout, breaks: Map<Identity, Breaking>, noise: Noise): Written {
  const dir = tempDir("cc-corrupt-");
  const where = new Map<Identity, Where>();
  const at = new Map<string, Identity>();
  const counts = new Map<CollectionName, number>();
  const random = prng(noise.seed);
  const files: Record<string, Buffer> = {};
  planFiles(collections, layout).forEach((plan, fileNo) => {
    const fileNoise = noise.files[fileNo % noise.files.length] as FileNoise;
    const eol = fileNoise.crlf ? "\r\n" : "\n";
    counts.set(plan.collection, (counts.get(plan.collection) ?? 0) + plan.ids.length);
    const records = plan.ids.map((id) => noisyRecord(plan.collection, recordOf(collections, id), fileNoise, random));
    const place = (id: Identity, w: Where) => {
      where.set(id, w);
      at.set(key(w), id);
    };
    let text: string;
    if (plan.format === "json") {
      const elements = records.map((record, index) => {
        place(plan.ids[index] as Identity, { file: plan.name, index });
        return ` ${jsonText(record, breaks.get(plan.ids[index] as Identity))}`;
      });
      text = `[${eol}${elements.join(`,${eol}`)}${eol}]`;
    } else {
      // Lines, with blank lines sprinkled in (NDJSON: empty or whitespace; CSV: empty).
      const lines: Array<{ text: string; id?: Identity }> = [];
      if (plan.format === "csv") {
        const rows = records.map((record) => flatten(record));
        const header = csvHeader(rows);
        lines.push({ text: header.map(csvCell).join(",") });
        rows.forEach((row, i) => lines.push({ text: csvRow(header, row, breaks.get(plan.ids[i] as Identity)), id: plan.ids[i] as Identity }));
      } else {
        records.forEach((record, i) => {
          const trailing = random() < 0.2 ? " \t" : "";
          lines.push({ text: jsonText(record, breaks.get(plan.ids[i] as Identity)) + trailing, id: plan.ids[i] as Identity });
        });
      }
      const blanks = plan.format === "csv" ? [""] : ["", "   ", "\t", " \t "];
      for (let b = 0; b < fileNoise.blankLines; b++) {
        // Never before the CSV header.
        const min = plan.format === "csv" ? 1 : 0;
        const pos = min + Math.floor(random() * (lines.length + 1 - min));
        lines.splice(pos, 0, { text: blanks[Math.floor(random() * blanks.length)] as string });
      }
      let lineNo = 1;
      for (const line of lines) {
        if (line.id !== undefined) place(line.id, { file: plan.name, line: lineNo });
        lineNo += 1 + (line.text.match(/\n/g)?.length ?? 0);
      }
      text = lines.map((l) => l.text).join(eol);
    }
    if (fileNoise.trailingNewline || plan.format === "json") text += eol;
    if (fileNoise.bom) text = `\uFEFF${text}`;
    files[plan.name] = toBytes(text, noise.seed + fileNo);
  });
  writeFiles(dir, files);
  return { dir, where, at, counts };
}

// ------------------------------------------------------------------ the removed variant

/** The clean records minus `removed`, in memory, with a map from in-memory position back to identity. */
function withoutRecords(collections: Collections, removed: ReadonlySet<Identity>): { input: Collections; identityAt: Map<string, Identity> } {
  const input: Collections = {};
  const identityAt = new Map<string, Identity>();
  for (const name of COLLECTIONS) {
    const records = collections[name];
    if (!records) continue;
    const kept: JsonRecord[] = [];
    records.forEach((record, i) => {
      const id = `${name}#${i}`;
      if (removed.has(id)) return;
      identityAt.set(`${name}[${kept.length}]`, id);
      kept.push(record);
    });
    input[name] = kept;
  }
  return { input, identityAt };
}

// ------------------------------------------------------------------ checks

const REASON_SHAPE =
  /^(?:\(record\): |[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*: \S|not valid JSON \(|CSV(?: row has \d+ cells|: \S)|line is longer than maxRecordBytes|record is longer than maxRecordBytes|not valid UTF-8 \(byte 0x[0-9A-F]{2} at byte \d+ of the (?:line|record)\))/;

function collectionOfFile(file: string): CollectionName {
  return file.split(/[./]/)[0] as CollectionName;
}

/**
 * The scan of a written dataset or, when every record of some collection was rejected (a scan then fails,
 * CONTRACT §8), its records as a report: the rejections and counts are what these tests look at.
 */
async function scanOrRejections(dir: string): Promise<ScanReport> {
  try {
    return await scan(dir);
  } catch (error) {
    if (!(error instanceof DatasetError) || error.code !== "COLLECTION_REJECTED") throw error;
    const dataset = await loadDataset(dir);
    const events = dataset.counts.events;
    return { findings: [], summary: { records: dataset.counts, events: events.accepted, rejected: events.rejected }, rejected: dataset.rejected } as unknown as ScanReport;
  }
}

function expectWellFormed(report: ScanReport, written: Written): void {
  for (const name of COLLECTIONS) {
    const counts = report.summary.records[name];
    expect(counts.accepted + counts.rejected, `${name}: accepted + rejected = read`).toBe(counts.read);
    expect(counts.read, `${name}: every record written is read`).toBe(written.counts.get(name) ?? 0);
  }
  expect(report.summary.events + report.summary.rejected).toBe(report.summary.records.events.read);
  expect(report.summary.rejected).toBe(report.summary.records.events.rejected);
  const perCollection = new Map<CollectionName, number>();
  for (const rejection of report.rejected) {
    expect(typeof rejection.file).toBe("string");
    expect(rejection.line !== undefined || rejection.index !== undefined, `${rejection.file} has a line or index`).toBe(true);
    expect(rejection.reason, `${key(rejection)}: ${rejection.reason}`).toMatch(REASON_SHAPE);
    expect(written.at.has(key(rejection)), `${key(rejection)} is where a record was written`).toBe(true);
    const name = collectionOfFile(rejection.file);
    perCollection.set(name, (perCollection.get(name) ?? 0) + 1);
  }
  for (const name of COLLECTIONS) expect(perCollection.get(name) ?? 0, `${name}: rejections listed`).toBe(report.summary.records[name].rejected);
}

/** The reason names the broken field (or the syntax problem, or an unresolved reference when that is what broke). */
function expectReasonNames(reason: string, breaking: Breaking): void {
  if (breaking.field === "(syntax)") {
    expect(reason).toMatch(/^(?:not valid JSON \(|CSV(?: row has \d+ cells|: ))/);
    return;
  }
  if (breaking.patch.op === "garble") {
    expect(reason, reason).toMatch(/^not valid UTF-8 \(byte 0x[0-9A-F]{2} at byte \d+ of the (?:line|record)\)/);
    return;
  }
  const head = breaking.field.startsWith("shipTo") ? "shipTo" : breaking.field;
  const issues = reason.split("; ");
  expect(
    issues.some((issue) => issue.startsWith(`${head}:`) || issue.startsWith(`${head}.`) || issue.startsWith(`${head}[`)),
    `reason "${reason}" names ${breaking.field}`,
  ).toBe(true);
}

function summaryParts(report: ScanReport) {
  return { findings: JSON.stringify(report.findings), skipped: report.summary.skipped, events: report.summary.events };
}

// ------------------------------------------------------------------ the tests

let demo: Collections;
let cleanJson: string;

beforeAll(async () => {
  demo = await demoCollections();
  cleanJson = formatJson(await scan(DEMO));
});
afterAll(() => removeTempDirs());
const ALL_NDJSON: Layout = {
  formats: Object.fromEntries(REFERENCE_NAMES.map((n) => [n, "ndjson"])) as Record<ReferenceName, Format>,
  eventParts: ["ndjson"],
  eventsFolder: false,
  assignment: [0],
};

function chooseBreaks(collections: Collections, layout: Layout, tickets: readonly Ticket[]): Map<Identity, Breaking> {
  const all: Identity[] = COLLECTIONS.flatMap((name) => (collections[name] ?? []).map((_, i) => `${name}#${i}`));
  const formatOf = new Map<Identity, Format>();
  for (const plan of planFiles(collections, layout)) for (const id of plan.ids) formatOf.set(id, plan.format);
  const breaks = new Map<Identity, Breaking>();
  for (const ticket of tickets) {
    // Half the tickets hit events, half any record.
    const pool = ticket.pick % 2 === 0 ? all.filter((id) => id.startsWith("events#")) : all;
    const id = pool[Math.floor(ticket.pick / 2) % pool.length] as Identity;
    if (breaks.has(id)) continue;
    const [name] = id.split("#") as [CollectionName];
    const options = breakingOptions(name, recordOf(collections, id), formatOf.get(id) as Format, ticket.param);
    // First the kind of damage (set a bad value, drop, bad bytes, truncate), then one of that kind.
    const ops = [...new Set(options.map((o) => o.patch.op))];
    const op = ops[ticket.option % ops.length];
    const ofOp = options.filter((o) => o.patch.op === op);
    breaks.set(id, ofOp[(Math.floor(ticket.option / ops.length) + ticket.param) % ofOp.length] as Breaking);
  }
  return breaks;
}

async function checkCorrupted(layout: Layout, tickets: readonly Ticket[], noise: Noise): Promise<void> {
  const breaks = chooseBreaks(demo, layout, tickets);
  const written = writeDataset(demo, layout, breaks, noise);
  const report = await scan(written.dir).catch((error: unknown) => {
    if (error instanceof DatasetError && error.code === "COLLECTION_REJECTED") return undefined;
    throw error;
  });
  if (report === undefined) {
    // Every record of some collection broke: such a dataset cannot be scanned (CONTRACT §8), and
    // that must be why the scan failed.
    const dataset = await loadDataset(written.dir);
    expect(COLLECTIONS.some((name) => dataset.counts[name].read > 0 && dataset.counts[name].accepted === 0)).toBe(true);
    return;
  }
  expectWellFormed(report, written);

  // Every broken record is rejected exactly where it was written, naming what broke.
  const rejectedAt = new Map(report.rejected.map((r) => [key(r), r.reason]));
  for (const [id, breaking] of breaks) {
    const w = written.where.get(id) as Where;
    const reason = rejectedAt.get(key(w));
    expect(reason, `${id} (${JSON.stringify(breaking.patch)}) is rejected at ${key(w)}`).toBeDefined();
    expectReasonNames(reason as string, breaking);
  }

  // Rejected records are equivalent to absent ones: the same findings, skipped checks, and the same
  // knock-on rejections (records referring to a rejected record) as the clean records without them.
  const { input, identityAt } = withoutRecords(demo, new Set(breaks.keys()));
  const removed = await scan(input as never);
  expect(summaryParts(report)).toEqual(summaryParts(removed));
  // The field each knock-on rejection names (a region under a rejected ancestor may be described
  // differently — "ancestor … has an unknown parent" instead of "unknown region" — but names parent).
  const fieldOf = (reason: string) => reason.slice(0, reason.indexOf(":"));
  const knockOn = new Map(removed.rejected.map((r) => [identityAt.get(key(r)) as Identity, fieldOf(r.reason)]));
  const others = new Map(
    report.rejected.map((r) => [written.at.get(key(r)) as Identity, fieldOf(r.reason)] as const).filter(([id]) => !breaks.has(id)),
  );
  expect(Object.fromEntries(others)).toEqual(Object.fromEntries(knockOn));
}

describe("corrupted datasets (fixtures/demo in random layouts)", () => {
  it("a clean rewrite in any layout gives the demo's report byte for byte", async () => {
    await fc.assert(
      fc.asyncProperty(layoutArb, async (layout) => {
        const written = writeDataset(demo, layout, new Map(), NO_NOISE);
        expect(formatJson(await scan(written.dir))).toBe(cleanJson);
      }),
      { numRuns: 12 },
    );
  });

  it("harmless noise (BOM, CRLF, blank lines, extra fields and columns, non-ASCII text in unused fields, key order) changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(layoutArb, noiseArb, async (layout, noise) => {
        const written = writeDataset(demo, layout, new Map(), noise);
        const report = await scanOrRejections(written.dir);
        expectWellFormed(report, written);
        expect(formatJson(report)).toBe(cleanJson);
      }),
      { numRuns: 30 },
    );
  });

  it("broken records are rejected at their line, nothing else changes, and the rest reads as if they were absent", async () => {
    await fc.assert(
      fc.asyncProperty(layoutArb, fc.array(ticketArb, { minLength: 1, maxLength: 6 }), noiseArb, async (layout, tickets, noise) => {
        await checkCorrupted(layout, tickets, noise);
      }),
      { numRuns: 60 },
    );
  });

  it("every breaking corruption of the catalogue, in every format, is rejected at its exact place naming its field", async () => {
    // Every record of every collection broken at once, cycling through the catalogue so that each
    // option is used on some record: rounds × formats scans in all.
    for (const format of ["ndjson", "csv", "json"] as const) {
      const layout: Layout = {
        formats: Object.fromEntries(REFERENCE_NAMES.map((n) => [n, format])) as Record<ReferenceName, Format>,
        eventParts: [format, format === "csv" ? "ndjson" : "csv"],
        eventsFolder: true,
        assignment: [0, 0, 0, 1],
      };
      const formatOf = new Map<Identity, Format>();
      for (const plan of planFiles(demo, layout)) for (const id of plan.ids) formatOf.set(id, plan.format);
      const used = new Set<string>();
      for (let round = 0; round < 8; round++) {
        const breaks = new Map<Identity, Breaking>();
        for (const name of COLLECTIONS) {
          (demo[name] ?? []).forEach((record, i) => {
            const id = `${name}#${i}`;
            const options = breakingOptions(name, record, formatOf.get(id) as Format, i * 7 + round);
            const breaking = options[(i * 3 + round * 5) % options.length] as Breaking;
            used.add(`${formatOf.get(id)}:${breaking.patch.op}:${"raw" in breaking.patch ? breaking.patch.raw : ""}`);
            breaks.set(id, breaking);
          });
        }
        const written = writeDataset(demo, layout, breaks, NO_NOISE);
        const report = await scanOrRejections(written.dir);
        expectWellFormed(report, written);
        const rejectedAt = new Map(report.rejected.map((r) => [key(r), r.reason]));
        for (const [id, breaking] of breaks) {
          const w = written.where.get(id) as Where;
          const reason = rejectedAt.get(key(w));
          expect(reason, `${id} (${formatOf.get(id)}: ${JSON.stringify(breaking.patch)}) is rejected at ${key(w)}`).toBeDefined();
          expectReasonNames(reason as string, breaking);
        }
        // Everything is broken: nothing is left to find anything in.
        expect(report.findings).toEqual([]);
        expect(report.summary.events).toBe(0);
      }
      expect(used.size).toBeGreaterThan(40);
    }
  });

  it("a stray BOM, CRLF and blank lines around a broken line do not move its line number", async () => {
    const noise: Noise = {
      files: Array.from({ length: 14 }, () => ({ bom: true, crlf: true, extraFields: true, blankLines: 4, trailingNewline: false, shuffleKeys: true })),
      seed: 7,
    };
    await checkCorrupted(ALL_NDJSON, [{ pick: 0, option: 0, param: 3 }, { pick: 10, option: 5, param: 9 }, { pick: 1, option: 2, param: 1 }], noise);
  });

  it("events piped to the CLI (--events -) with the same damage are rejected at the same lines for the same reasons", () => {
    // One NDJSON events file in time order (a stream must be), with a BOM, CRLF, blank lines, bad
    // bytes in extra fields and broken records; the reference data beside it, clean.
    const layout: Layout = { ...ALL_NDJSON, formats: { ...ALL_NDJSON.formats, customers: "csv", territories: "csv" } };
    const noise: Noise = {
      files: Array.from({ length: 14 }, (_, i) => ({ bom: i === 8, crlf: i === 8, extraFields: i === 8, blankLines: i === 8 ? 4 : 0, trailingNewline: true, shuffleKeys: false })),
      seed: 3,
    };
    const events = (demo.events ?? []).map((_, i) => `events#${i}`);
    const tickets = [3, 17, 30, 44, 61].map((i, k) => ({ pick: events.indexOf(`events#${i}`) * 2, option: k, param: 7 * k + 1 }));
    const breaks = chooseBreaks(demo, layout, tickets);
    const written = writeDataset(demo, layout, breaks, noise);
    const batch = runCli(["scan", written.dir, "--format", "json"]);
    const batchReport = JSON.parse(batch.stdout) as { rejected: Array<{ file: string; line: number; reason: string }>; findings: Array<{ id: string }> };
    expect(batchReport.rejected.length).toBeGreaterThanOrEqual(breaks.size);
    const input = readFileSync(join(written.dir, "events.ndjson"));
    const stream = spawnSync(process.execPath, [CLI, "scan", written.dir, "--events", "-", "--format", "json"], { input, encoding: "utf8", cwd: ROOT });
    expect(stream.status).toBe(0);
    // A stream's rejection also names the event's id when it can be read (`stdin:7: event "o-1": …`).
    const withoutIds = stream.stderr.trimEnd().split("\n").map((line) => line.replace(/^(stdin:\d+: )event "[^"]*": /, "$1"));
    expect(withoutIds).toEqual(batchReport.rejected.map((r) => `stdin:${r.line}: ${r.reason}`));
    const streamReport = JSON.parse(stream.stdout) as { findings: Array<{ id: string }> };
    expect(streamReport.findings.map((f) => f.id)).toEqual(batchReport.findings.map((f) => f.id));
  });

  // BUG: with events streamed (`scanStream`, and the CLI's `--events -`) the rejected records of the
  // *reference* data are listed nowhere: not in the report's `rejected`, not on stderr, not through
  // `onRejected` — only `summary.records.<collection>.rejected` counts them. A batch scan of the same
  // folder lists them. Repro: partners.json = [{"id":"P1","channel":"retail"},{"id":"P2","channel":"bogus"}],
  // then `channel-conflict scan <dir> --events - --format json < events.ndjson` → "rejected" has only stdin lines.
  it("a stream lists the rejected records of its reference data, as a batch scan does", () => {
    const dir = tempDir("cc-corrupt-");
    writeFiles(dir, { "partners.json": '[{"id":"P1","channel":"retail"},{"id":"P2","channel":"bogus"}]' });
    const line = JSON.stringify({ id: "e1", type: "listing", occurredAt: "2025-01-01", partnerId: "P1", sku: "S", price: 1, currency: "USD" });
    const stream = spawnSync(process.execPath, [CLI, "scan", dir, "--events", "-", "--format", "json"], { input: `${line}\n`, encoding: "utf8", cwd: ROOT });
    const report = JSON.parse(stream.stdout) as { rejected: Array<{ file: string; index?: number; reason: string }>; summary: { records: { partners: { rejected: number } } } };
    expect(report.summary.records.partners.rejected).toBe(1);
    expect(report.rejected).toEqual([{ file: "partners.json", index: 1, reason: expect.stringMatching(/^channel: must be one of /), code: "invalid_fields", args: { issues: [expect.objectContaining({ path: "channel", code: "invalid_value" })] } }]);
  });

  // BUG: a missing enum field is described as `got undefined undefined` (formatIssues' invalid_value
  // branch prints `typeof input` and `String(input)`; its invalid_type branch says "nothing (the field
  // is missing)"). Seen as `channel: must be one of "direct", …, got undefined undefined`.
  it("a missing enum field (partner channel, registration status) is described as missing", async () => {
    // No events, and every registration rejected: such a dataset cannot be scanned (CONTRACT §8), so it is read.
    const report = await loadDataset({
      partners: [{ id: "P1" }, { id: "P2", channel: "direct" }],
      registrations: [{ id: "G1", customerId: "C1", partnerId: "P2", registeredAt: "2025-01-01" }],
    } as never);
    expect(report.rejected.map((r) => [r.file, r.index, r.reason.split(":")[0]])).toEqual([
      ["partners", 0, "channel"],
      ["registrations", 0, "status"],
    ]);
    for (const rejection of report.rejected) {
      expect(rejection.reason).not.toContain("undefined undefined");
      expect(rejection.reason).toMatch(/got nothing \(the field is missing\)$/);
    }
  });

  // BUG: a CSV header that names a column twice (`id,channel,id`, or `id` and ` id`, equal once
  // trimmed) is read silently, the last cell winning: the row "P1,retail,P2" becomes partner P2 (P1 is
  // lost without a word) and "P3,direct," is rejected for a missing id although its first id cell is
  // P3. CONTRACT §8: nothing is lost and nothing is silent — the file (or each row) should be refused
  // naming the duplicated column.
  it("a CSV header that names a column twice is reported, never resolved silently", async () => {
    const dir = tempDir("cc-corrupt-");
    writeFiles(dir, {
      "partners.csv": "id,channel,id\nP1,retail,P2\nP3,direct,\n",
      "customers.csv": "id,name, id\nC1,One,C9\n",
    });
    const result = await scan(dir).then(
      (report) => ({ report }),
      (error: unknown) => ({ error: error as Error }),
    );
    if ("error" in result) {
      expect(result.error.message).toMatch(/duplicate|twice|more than once/i);
    } else {
      expect(result.report.summary.records.partners.accepted).toBe(0);
      expect(result.report.summary.records.customers.accepted).toBe(0);
      for (const rejection of result.report.rejected) expect(rejection.reason).toMatch(/duplicate|twice|more than once/i);
    }
  });

  // BUG: UTC offsets outside ±23:59 are accepted — "2025-03-01T09:00:00+99:00" is read as
  // 2025-02-25T06:00Z (parseIsoTime hands offset hours past 23 to date-fns parseISO, which applies
  // them). README promises strict ISO 8601; such an event silently moves days in time.
  it("an occurredAt with an impossible UTC offset (+25:00, +99:00, -30:00) is rejected", async () => {
    // The other events stay: a dataset whose every event is rejected cannot be scanned (CONTRACT §8).
    const broken = (demo.events ?? []).slice(0, 3).map((e, i) => ({ ...e, occurredAt: ["2025-01-06T01:00:00+25:00", "2025-01-07T01:00:00+99:00", "2025-01-08T01:00:00-30:00"][i] as string }));
    const events = [...broken, ...(demo.events ?? []).slice(3)];
    const report = await scan({ ...demo, events } as never);
    expect(report.rejected.map((r) => [r.index, r.reason.split(":")[0]])).toEqual([
      [0, "occurredAt"],
      [1, "occurredAt"],
      [2, "occurredAt"],
    ]);
  });
});
