// Parquet files, read with hyparquet (pure JS; hyparquet-compressors for zstd, gzip, brotli and lz4, and
// snappy in WASM). hyparquet's row API assembles every column through its general nested-data path
// (definition levels pushed value by value, structs inverted, a Date per timestamp, a TextDecoder call
// per string), which took 5–9 µs a row on the 1M-event benchmark: more than the whole NDJSON scan spends.
// So the columns without repetition (plain columns and structs of them: what exports write) are decoded
// here, page by page, with hyparquet's page-header, decompression and plain decoders, straight into one
// array per column aligned with the rows of the row group; only columns with lists or maps go through
// hyparquet's general path (`parquetScan`). The page-level modules are imported by their path in the
// package (`hyparquet/src/*.js`, which its exports map offers), which is why package.json pins the
// version they were written against.
import { Buffer } from "node:buffer";
import { open, type FileHandle } from "node:fs/promises";
import * as zlib from "node:zlib";
import type {
  AsyncBuffer,
  ColumnChunk,
  ColumnMetaData,
  Compressors,
  DataPageHeader,
  DecodedArray,
  FileMetaData,
  ParquetParsers,
  SchemaElement,
  SchemaTree,
} from "hyparquet";
import type { ColumnDecoder } from "hyparquet/src/types.js";
import { DatasetError } from "../core/errors.js";
import { csvShapeOf } from "../schema/csvShape.js";
import { mappedColumns } from "../schema/fieldMap.js";
import { reason, type RejectionReason } from "../core/rejectionReasons.js";
import type { RawRecord } from "./readRecords.js";
import type { CollectionFile } from "./sources.js";

/** A value that has no form in the contract's JSON: its row is rejected with `reason`. */
class Unreadable {
  constructor(
    readonly problem: "time_range" | "integer_range",
    readonly value: string,
  ) {}

  /** The rejection of a row whose `column` holds this value. */
  reasonIn(column: string): RejectionReason {
    return reason("unrepresentable_value", { column, problem: this.problem, value: this.value });
  }
}

/** hyparquet's modules, loaded with the first Parquet file (they are ESM only: the CommonJS build cannot `require` them). */
interface Hyparquet {
  readonly parquetMetadataAsync: typeof import("hyparquet").parquetMetadataAsync;
  readonly parquetSchema: typeof import("hyparquet").parquetSchema;
  readonly parquetScan: typeof import("hyparquet").parquetScan;
  readonly parquetHeader: typeof import("hyparquet/src/column.js").parquetHeader;
  readonly decompressPage: typeof import("hyparquet/src/datapage.js").decompressPage;
  readonly readDataPage: typeof import("hyparquet/src/datapage.js").readDataPage;
  readonly readDataPageV2: typeof import("hyparquet/src/datapage.js").readDataPageV2;
  readonly readRleBitPackedHybrid: typeof import("hyparquet/src/encoding.js").readRleBitPackedHybrid;
  readonly readPlain: typeof import("hyparquet/src/plain.js").readPlain;
  readonly convert: typeof import("hyparquet/src/convert.js").convert;
  readonly parseDecimal: typeof import("hyparquet/src/convert.js").parseDecimal;
  readonly compressors: Compressors;
  /** hyparquet's parsers with ours over them. */
  readonly parsers: ParquetParsers;
}

/** Node's own gzip and brotli: 5–15× faster than their JS ports in hyparquet-compressors (Node 20 has no zstd of its own). */
const NATIVE_COMPRESSORS: Compressors = {
  GZIP: (input) => zlib.unzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
};

let loading: Promise<Hyparquet> | undefined;

function hyparquet(): Promise<Hyparquet> {
  loading ??= Promise.all([
    import("hyparquet"),
    import("hyparquet/src/column.js"),
    import("hyparquet/src/datapage.js"),
    import("hyparquet/src/encoding.js"),
    import("hyparquet/src/plain.js"),
    import("hyparquet/src/convert.js"),
    import("hyparquet-compressors"),
  ]).then(([main, column, datapage, encoding, plain, convert, compressors]) => ({
    parquetMetadataAsync: main.parquetMetadataAsync,
    parquetSchema: main.parquetSchema,
    parquetScan: main.parquetScan,
    parquetHeader: column.parquetHeader,
    decompressPage: datapage.decompressPage,
    readDataPage: datapage.readDataPage,
    readDataPageV2: datapage.readDataPageV2,
    readRleBitPackedHybrid: encoding.readRleBitPackedHybrid,
    readPlain: plain.readPlain,
    convert: convert.convert,
    parseDecimal: convert.parseDecimal,
    compressors: { ...compressors.compressors, ...NATIVE_COMPRESSORS },
    parsers: { ...convert.DEFAULT_PARSERS, ...PARSERS },
  }));
  return loading;
}

const DAY_MS = 86_400_000;
/** The largest |epoch ms| a Date holds. */
const MAX_DATE_MS = 8.64e15;

/** The day `isoOfMs` formatted last, and the char codes of its `YYYY-MM-DDT` (empty for a year beyond 0000–9999). */
let isoDay = Number.NaN;
let isoDate: number[] = [];

/** `ms` as ISO 8601 UTC with milliseconds, as the contract writes times (`2025-03-01T10:00:00.000Z`). */
function isoOfMs(ms: number): string | Unreadable {
  if (!(Math.abs(ms) <= MAX_DATE_MS)) return new Unreadable("time_range", String(ms));
  // What toISOString gives, ~7× faster and as one flat string: the date once per day (exports come in
  // time order), the time by arithmetic.
  const day = Math.floor(ms / DAY_MS);
  if (day !== isoDay) {
    const date = new Date(day * DAY_MS).toISOString();
    isoDay = day;
    isoDate = date.length === 24 ? Array.from(date.slice(0, 11), (c) => c.charCodeAt(0)) : [];
  }
  const d = isoDate;
  if (d.length === 0) return new Date(ms).toISOString();
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const u = rest - s * 1000;
  return String.fromCharCode(
    d[0] as number, d[1] as number, d[2] as number, d[3] as number, d[4] as number, d[5] as number, d[6] as number, d[7] as number, d[8] as number, d[9] as number, d[10] as number,
    48 + Math.floor(h / 10), 48 + (h % 10), 58, 48 + Math.floor(m / 10), 48 + (m % 10), 58, 48 + Math.floor(s / 10), 48 + (s % 10), 46,
    48 + Math.floor(u / 100), 48 + (Math.floor(u / 10) % 10), 48 + (u % 10), 90,
  );
}

/** `value / unit` rounded down (toward earlier times), for a safe integer `value`. */
function floorDiv(value: number, unit: number): number {
  // Both exact as doubles: the rounded quotient can only be one too high, when it rounds up to an integer.
  const q = Math.floor(value / unit);
  return q * unit > value ? q - 1 : q;
}

/** A time `value` units of 1/`unit` ms from 1970, as ISO 8601 UTC. */
function timeOf(value: number | bigint, unit: number): string | Unreadable {
  if (typeof value === "number") return isoOfMs(floorDiv(value, unit));
  const big = BigInt(unit);
  const q = value / big;
  return isoOfMs(Number(value % big < 0n ? q - 1n : q));
}

/** Timestamps as ISO 8601 UTC strings and dates as `YYYY-MM-DD` where hyparquet converts them (INT96, metadata), not Dates. */
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (ms: bigint) => timeOf(ms, 1),
  timestampFromMicroseconds: (us: bigint) => timeOf(us, 1000),
  timestampFromNanoseconds: (ns: bigint) => timeOf(ns, 1_000_000),
  dateFromDays: (days: number) => dateOf(days),
};

function dateOf(days: number): string | Unreadable {
  const iso = isoOfMs(days * DAY_MS);
  return typeof iso === "string" ? iso.slice(0, -14) : iso;
}

const utf8 = new TextDecoder();

/** An integer as a number when it is one exactly. */
function safeNumber(value: bigint | number): number | Unreadable {
  if (typeof value === "number") return value;
  if (value >= -Number.MAX_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER) return Number(value);
  return new Unreadable("integer_range", String(value));
}

/** The INT64s of `data`, each as a number when exact (|v| < 2^53), else as a bigint, without a bigint for the first kind. */
function int64s(data: DecodedArray): (i: number) => number | bigint {
  if (data instanceof BigInt64Array && data.byteOffset % 4 === 0) {
    // Little-endian words, as hyparquet reads them; a high word within ±2^21 makes a value within ±2^53.
    const words = new Int32Array(data.buffer, data.byteOffset, data.length * 2);
    return (i) => {
      const high = words[2 * i + 1] as number;
      return high >= -0x200000 && high < 0x200000 ? high * 4294967296 + ((words[2 * i] as number) >>> 0) : (data[i] as bigint);
    };
  }
  return (i) => data[i] as number | bigint;
}

/** What one leaf column's values become, read off its schema element. */
type LeafKind =
  | { readonly kind: "string" }
  | { readonly kind: "decimal"; readonly factor: number }
  /** `local`: a timestamp not adjusted to UTC (DuckDB's TIMESTAMP, Spark's TIMESTAMP_NTZ), a wall time in the dataset's time zone. */
  | { readonly kind: "timestamp"; readonly unit: number; readonly local: boolean }
  | { readonly kind: "date" }
  | { readonly kind: "int64"; readonly unsigned: boolean }
  | { readonly kind: "binary" }
  | { readonly kind: "hyparquet" };

function leafKindOf(element: SchemaElement): LeafKind {
  const logical = element.logical_type;
  const converted = element.converted_type;
  if (converted === "DECIMAL" || logical?.type === "DECIMAL") {
    const scale = element.scale ?? (logical?.type === "DECIMAL" ? logical.scale : 0) ?? 0;
    return { kind: "decimal", factor: 10 ** scale };
  }
  if (logical?.type === "TIMESTAMP") {
    return { kind: "timestamp", unit: logical.unit === "MILLIS" ? 1 : logical.unit === "MICROS" ? 1000 : 1_000_000, local: !logical.isAdjustedToUTC };
  }
  // The legacy converted types are instants (adjusted to UTC), as the format's spec says.
  if (converted === "TIMESTAMP_MILLIS") return { kind: "timestamp", unit: 1, local: false };
  if (converted === "TIMESTAMP_MICROS") return { kind: "timestamp", unit: 1000, local: false };
  if (converted === "DATE" || logical?.type === "DATE") return { kind: "date" };
  if (element.type === "INT64") return { kind: "int64", unsigned: converted === "UINT_64" || (logical?.type === "INTEGER" && !logical.isSigned) };
  if (element.type === "BYTE_ARRAY" && (converted === undefined || converted === "UTF8" || converted === "ENUM")) {
    if (logical === undefined || logical.type === "STRING" || logical.type === "ENUM") return { kind: "string" };
  }
  if (element.type === "FIXED_LEN_BYTE_ARRAY" && logical?.type !== "UUID" && logical?.type !== "FLOAT16") return { kind: "binary" };
  // INT96 timestamps, JSON, UUID, FLOAT16, the other integers, floats and booleans are hyparquet's to convert.
  return { kind: "hyparquet" };
}

/** One plain or struct leaf column, decoded here. */
interface Leaf {
  /** The leaf's position in the values of a row group. */
  readonly slot: number;
  /** The field it gives, dotted: how rejections name it. */
  readonly name: string;
  readonly pathInSchema: readonly string[];
  readonly schemaPath: SchemaTree[];
  readonly element: SchemaElement;
  readonly maxDefinition: number;
  readonly kind: LeafKind;
}

/** A top-level column with lists or maps, assembled by hyparquet. */
interface Assembled {
  readonly slot: number;
  /** The column's name in the file. */
  readonly name: string;
  /** The field it gives, dotted: how rejections name it. */
  readonly field: string;
}

/** One field of the records made: a column's values (`slot`), or an object of fields. */
interface OutField {
  readonly key: string;
  slot?: number;
  readonly fields: OutField[];
}

/** How a file's columns become records. */
interface Plan {
  readonly leaves: Leaf[];
  readonly assembled: Assembled[];
  readonly fields: OutField[];
  readonly slots: number;
}

function hasRepetition(tree: SchemaTree): boolean {
  const { element } = tree;
  if (element.repetition_type === "REPEATED") return true;
  // Lists, maps and variants are assembled by hyparquet whatever their repetition says.
  if (tree.children.length > 0 && (element.logical_type !== undefined || element.converted_type !== undefined)) return true;
  return tree.children.some(hasRepetition);
}

/** A column as messages name it: its path in the schema, dotted, a name that has a dot quoted (`shipTo.region` is a struct's field, `"shipTo.region"` a column). */
function columnName(path: readonly string[]): string {
  return path.map((part) => (part.includes(".") ? JSON.stringify(part) : part)).join(".");
}

function maxDefinitionOf(schemaPath: readonly SchemaTree[]): number {
  let level = 0;
  for (const node of schemaPath.slice(1)) if (node.element.repetition_type !== "REQUIRED") level++;
  return level;
}

/**
 * The plan of a file: which columns to read and where each goes in a record. A dotted top-level name
 * nests (`shipTo.region`), as in CSV headers; a struct's fields nest under its name. Only columns that
 * give a field of the collection, or an object holding one, are decoded (validation drops the rest);
 * below a known field, everything is read, for validation to say what is wrong with it.
 */
function planOf(fileName: string, root: SchemaTree, known: ReadonlySet<string>, prefixes: ReadonlySet<string>): Plan {
  const leaves: Leaf[] = [];
  const assembled: Assembled[] = [];
  const fields: OutField[] = [];
  // The column that gives each field, and the first column below each object.
  const valueOf = new Map<string, string>();
  const below = new Map<string, string>();
  let slots = 0;
  const place = (path: readonly string[], column: string): number => {
    const dotted = path.join(".");
    const clash = (other: string, field: string) =>
      new DatasetError(fileName, `columns ${other} and ${column} both give the field ${field}; expected each field from one column`);
    for (let i = 1; i <= path.length; i++) {
      const at = path.slice(0, i).join(".");
      const other = valueOf.get(at);
      if (other !== undefined) throw clash(other, at);
    }
    const under = below.get(dotted);
    if (under !== undefined) throw clash(under, dotted);
    valueOf.set(dotted, column);
    for (let i = 1; i < path.length; i++) {
      const at = path.slice(0, i).join(".");
      if (!below.has(at)) below.set(at, column);
    }
    let level = fields;
    for (let i = 0; i < path.length; i++) {
      const key = path[i] as string;
      let field = level.find((f) => f.key === key);
      if (!field) {
        field = { key, fields: [] };
        level.push(field);
      }
      if (i === path.length - 1) field.slot = slots;
      level = field.fields;
    }
    return slots++;
  };
  const visit = (tree: SchemaTree, path: readonly string[], schemaPath: SchemaTree[], all: boolean): void => {
    const dotted = path.join(".");
    const wanted = all || known.has(dotted);
    if (tree.children.length === 0) {
      if (!wanted && !prefixes.has(dotted)) return;
      leaves.push({
        slot: place(path, columnName(tree.path)),
        name: dotted,
        pathInSchema: tree.path,
        schemaPath,
        element: tree.element,
        maxDefinition: maxDefinitionOf(schemaPath),
        kind: leafKindOf(tree.element),
      });
      return;
    }
    if (!wanted && !prefixes.has(dotted)) return;
    for (const child of tree.children) visit(child, [...path, child.element.name], [...schemaPath, child], wanted);
  };
  for (const column of root.children) {
    const path = column.element.name.split(".");
    const dotted = path.join(".");
    if (hasRepetition(column)) {
      if (known.has(dotted) || prefixes.has(dotted)) assembled.push({ slot: place(path, columnName(column.path)), name: column.element.name, field: dotted });
    } else {
      visit(column, path, [root, column], false);
    }
  }
  return { leaves, assembled, fields, slots };
}

/**
 * The columns read (dotted): the known fields of the collection, or the columns the manifest maps its
 * fields to; and every object that holds one.
 */
function fieldsOf(source: CollectionFile): { known: Set<string>; prefixes: Set<string> } {
  const known = source.fields
    ? new Set(mappedColumns(source.fields))
    : new Set(csvShapeOf(source.collection).keys());
  const prefixes = new Set<string>();
  for (const name of known) {
    const parts = name.split(".");
    for (let i = 1; i < parts.length; i++) prefixes.add(parts.slice(0, i).join("."));
  }
  return { known, prefixes };
}

/** A value hyparquet assembled (lists, maps, structs inside them) as JSON: null fields absent, bigints as numbers. */
function jsonOf(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  switch (typeof value) {
    case "bigint":
      return safeNumber(value);
    case "object":
      break;
    default:
      return value;
  }
  if (value instanceof Unreadable) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const json = jsonOf(item);
      if (json instanceof Unreadable) return json;
      items.push(json === undefined ? null : json);
    }
    return items;
  }
  if (value instanceof Uint8Array) return utf8.decode(value);
  if (ArrayBuffer.isView(value)) return jsonOf(Array.from(value as unknown as ArrayLike<unknown>));
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [key, item] of Object.entries(value)) {
    const json = jsonOf(item);
    if (json instanceof Unreadable) return json;
    if (json !== undefined) {
      setField(out, key, json);
      any = true;
    }
  }
  return any ? out : undefined;
}

function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  // A column named __proto__ is a field like any other, not the object's prototype.
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A file as hyparquet reads it: slices of it, read when asked. */
function fileBuffer(handle: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size) {
      const bytes = await readBytes(handle, start, end - start);
      return bytes.buffer as ArrayBuffer;
    },
  };
}

async function readBytes(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(bytes, done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`the file ends at byte ${position + done}; expected column data up to byte ${position + length}`);
    done += bytesRead;
  }
  return bytes;
}

/** Where a column chunk's bytes are in the file (its dictionary page first, when it has one). */
function chunkRange(meta: ColumnMetaData): { start: number; end: number } {
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  return { start, end: start + Number(meta.total_compressed_size) };
}

/**
 * `count` PLAIN byte arrays from `bytes[offset…]` as strings. They are cut from one latin1 string of the
 * page when the page is ASCII (a TextDecoder call per value costs ~6× more), else decoded as UTF-8.
 */
function readStrings(bytes: Uint8Array, offset: number, count: number): string[] {
  const out = new Array<string>(count);
  let ascii = true;
  for (let i = offset; i < bytes.length; i++) {
    if ((bytes[i] as number) > 127) {
      ascii = false;
      break;
    }
  }
  const text = ascii ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1", offset) : "";
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.length) throw new Error(`a page ends inside its string ${i}; expected ${count} strings`);
    const length = view.getUint32(at, true);
    at += 4;
    if (at + length > bytes.length) throw new Error(`string ${i} of a page runs past its end; expected ${count} strings`);
    out[i] = ascii ? text.slice(at - offset, at - offset + length) : utf8.decode(bytes.subarray(at, at + length));
    at += length;
  }
  return out;
}

/** The values of a leaf's page (or dictionary) `data` as the contract reads them. */
function convertValues(hp: Hyparquet, data: DecodedArray, leaf: Leaf, decoder: ColumnDecoder): ArrayLike<unknown> {
  const { kind } = leaf;
  const n = data.length;
  switch (kind.kind) {
    case "string": {
      // Strings cut by readStrings come as they are; byte arrays from hyparquet's decoders are decoded.
      if (n === 0 || typeof data[0] === "string") return data;
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = utf8.decode(data[i] as Uint8Array);
      return out;
    }
    case "decimal": {
      const out = new Array<unknown>(n);
      const at = int64s(data);
      // Dividing by 10^scale (exact up to 10^22) rounds once, as JSON.parse reads the decimal's text.
      for (let i = 0; i < n; i++) {
        const v = data[i];
        out[i] = v instanceof Uint8Array ? hp.parseDecimal(v) / kind.factor : Number(at(i)) / kind.factor;
      }
      return out;
    }
    case "timestamp": {
      const out = new Array<unknown>(n);
      const at = int64s(data);
      for (let i = 0; i < n; i++) out[i] = timeOf(at(i), kind.unit);
      if (kind.local) {
        // A wall time: the ISO text without its `Z`, read in the dataset's time zone like any time without an offset.
        for (let i = 0; i < n; i++) {
          const text = out[i];
          if (typeof text === "string") out[i] = text.slice(0, -1);
        }
      }
      return out;
    }
    case "date": {
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = dateOf(Number(data[i]));
      return out;
    }
    case "int64": {
      const out = new Array<unknown>(n);
      const at = int64s(data);
      for (let i = 0; i < n; i++) {
        const v = at(i);
        out[i] = safeNumber(kind.unsigned && typeof v === "bigint" ? BigInt.asUintN(64, v) : v);
      }
      return out;
    }
    case "binary": {
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = utf8.decode(data[i] as Uint8Array);
      return out;
    }
    case "hyparquet":
      return hp.convert(data, decoder);
  }
}

/** A data page's definition levels (undefined: every row has a value) and its values, or dictionary indexes. */
interface Page {
  readonly levels: ArrayLike<number> | undefined;
  readonly values: ArrayLike<unknown>;
  readonly indexes: boolean;
}

/**
 * A version 1 data page of a leaf without repetition: its levels into a byte array and its values by
 * our readers, or, for encodings other than PLAIN and dictionary indexes, by hyparquet's.
 */
function readPageV1(hp: Hyparquet, page: Uint8Array, header: DataPageHeader, leaf: Leaf, decoder: ColumnDecoder): Page {
  const { encoding } = header;
  const count = header.num_values;
  const dictionary = encoding === "PLAIN_DICTIONARY" || encoding === "RLE_DICTIONARY";
  if (encoding !== "PLAIN" && !dictionary) {
    const { definitionLevels, dataPage } = hp.readDataPage(page, header, decoder);
    return { levels: definitionLevels?.length ? definitionLevels : undefined, values: convertValues(hp, dataPage, leaf, decoder), indexes: false };
  }
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const reader = { view, offset: 0 };
  let levels: Uint8Array | undefined;
  let present = count;
  if (leaf.maxDefinition > 0) {
    levels = new Uint8Array(count);
    hp.readRleBitPackedHybrid(reader, 32 - Math.clz32(leaf.maxDefinition), levels);
    present = 0;
    for (let i = 0; i < count; i++) if (levels[i] === leaf.maxDefinition) present++;
    if (present === count) levels = undefined;
  }
  if (dictionary) {
    const width = view.getUint8(reader.offset++);
    const indexes = new Uint32Array(present);
    if (width > 0 && present > 0) hp.readRleBitPackedHybrid(reader, width, indexes, page.byteLength - reader.offset);
    return { levels, values: indexes, indexes: true };
  }
  if (leaf.kind.kind === "string") return { levels, values: readStrings(page, reader.offset, present), indexes: false };
  return { levels, values: convertValues(hp, hp.readPlain(reader, decoder.type, present, leaf.element.type_length), leaf, decoder), indexes: false };
}

/**
 * Decodes one leaf's column chunk into an array of its value at each row of the row group, undefined
 * where it is null (or a struct holding it is), and records in `problems` the rows whose value has no
 * JSON form.
 */
function decodeLeaf(hp: Hyparquet, bytes: Uint8Array, leaf: Leaf, meta: ColumnMetaData, rows: number, problems: Map<number, RejectionReason>): unknown[] {
  const decoder: ColumnDecoder = {
    pathInSchema: leaf.pathInSchema as string[],
    type: leaf.element.type as NonNullable<SchemaElement["type"]>,
    element: leaf.element,
    schemaPath: leaf.schemaPath,
    codec: meta.codec,
    parsers: hp.parsers,
    compressors: hp.compressors,
    utf8: true,
  };
  const out = new Array<unknown>(rows);
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  const { kind } = leaf.kind;
  // The kinds whose values may have no JSON form.
  const checked = kind === "timestamp" || kind === "date" || kind === "int64" || leaf.element.type === "INT96";
  let dictionary: ArrayLike<unknown> | undefined;
  let row = 0;
  while (row < rows && reader.offset < bytes.byteLength) {
    const header = hp.parquetHeader(reader);
    const size = header.compressed_page_size;
    if (!(size >= 0 && reader.offset + size <= bytes.length)) {
      throw new Error(`a page header of column "${leaf.name}" is damaged; expected a page size within the column's ${bytes.length} bytes, got ${size}`);
    }
    const pageBytes = bytes.subarray(reader.offset, reader.offset + size);
    reader.offset += size;
    let page: Page;
    let count: number;
    if (header.type === "DICTIONARY_PAGE" && header.dictionary_page_header) {
      const entries = hp.decompressPage(pageBytes, header.uncompressed_page_size, meta.codec, hp.compressors);
      const length = header.dictionary_page_header.num_values;
      const plain =
        kind === "string"
          ? readStrings(entries, 0, length)
          : hp.readPlain({ view: new DataView(entries.buffer, entries.byteOffset, entries.byteLength), offset: 0 }, decoder.type, length, leaf.element.type_length);
      dictionary = convertValues(hp, plain, leaf, decoder);
      continue;
    } else if (header.type === "DATA_PAGE" && header.data_page_header) {
      const data = hp.decompressPage(pageBytes, header.uncompressed_page_size, meta.codec, hp.compressors);
      page = readPageV1(hp, data, header.data_page_header, leaf, decoder);
      count = header.data_page_header.num_values;
    } else if (header.type === "DATA_PAGE_V2" && header.data_page_header_v2) {
      const { definitionLevels, dataPage } = hp.readDataPageV2(pageBytes, header, decoder);
      const { encoding } = header.data_page_header_v2;
      const indexes = encoding === "PLAIN_DICTIONARY" || encoding === "RLE_DICTIONARY";
      page = {
        levels: definitionLevels?.some((level) => level !== leaf.maxDefinition) ? definitionLevels : undefined,
        values: indexes ? dataPage : convertValues(hp, dataPage, leaf, decoder),
        indexes,
      };
      count = header.data_page_header_v2.num_values;
    } else {
      // Index pages (and kinds unknown) hold no values.
      continue;
    }
    if (row + count > rows) throw new Error(`column "${leaf.name}" has more values than its row group's ${rows} rows`);
    const dict = page.indexes ? dictionary : undefined;
    if (page.indexes && dict === undefined) throw new Error(`column "${leaf.name}" has a dictionary-encoded page before any dictionary page`);
    const { levels, values } = page;
    const max = leaf.maxDefinition;
    let next = 0;
    // One loop per case, each as plain as it can be: this is the inner loop of reading a file.
    if (levels === undefined) {
      if (dict !== undefined) for (let i = 0; i < count; i++) out[row + i] = dict[values[i] as number];
      else for (let i = 0; i < count; i++) out[row + i] = values[i];
      next = count;
    } else if (dict !== undefined) {
      for (let i = 0; i < count; i++) if (levels[i] === max) out[row + i] = dict[values[next++] as number];
    } else {
      for (let i = 0; i < count; i++) if (levels[i] === max) out[row + i] = values[next++];
    }
    if (next !== values.length) throw new Error(`a page of column "${leaf.name}" has ${values.length} values; expected ${next}, one per row with a value`);
    if (checked) {
      for (let i = row; i < row + count; i++) {
        const value = out[i];
        if (value instanceof Unreadable) {
          // The first column found unreadable names the row's problem.
          if (!problems.has(i)) problems.set(i, value.reasonIn(leaf.name));
          out[i] = undefined;
        }
      }
    }
    row += count;
  }
  if (row !== rows) throw new Error(`column "${leaf.name}" has ${row} values; expected one per row of its row group (${rows})`);
  return out;
}

/** The record of row `row` of a row group (undefined for an object none of whose fields has a value). */
function recordOf(fields: readonly OutField[], values: readonly unknown[][], row: number): Record<string, unknown> | undefined {
  let record: Record<string, unknown> | undefined;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as OutField;
    const value = field.fields.length > 0 ? recordOf(field.fields, values, row) : (values[field.slot as number] as unknown[])[row];
    if (value === undefined) continue;
    record ??= {};
    setField(record, field.key, value);
  }
  return record;
}

/**
 * Reads a Parquet file's rows as raw records, in batches of at most `batchRows`, one row group decoded at
 * a time. Each record's origin is `{ file, index }`, the row's index in the file from 0. Null values are
 * absent fields; a struct none of whose fields has a value is absent; timestamps are ISO 8601 UTC strings,
 * dates `YYYY-MM-DD`, decimals and safe INT64s numbers, lists arrays. A row with a value that has no JSON
 * form (an INT64 beyond 2^53) is a record error naming the column. A file that cannot be read is a
 * `DatasetError` naming it.
 */
export async function* readParquetBatches(source: CollectionFile, batchRows: number): AsyncGenerator<RawRecord[]> {
  const file = source.name;
  const fail = (error: unknown, where?: string): never => {
    if (error instanceof DatasetError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DatasetError(where === undefined ? file : `${file}:${where}`, `cannot read Parquet (${message}); expected a Parquet file`, { cause: error });
  };
  const hp = await hyparquet();
  let handle: FileHandle | undefined;
  try {
    let metadata: FileMetaData;
    let plan: Plan;
    let scan: Awaited<ReturnType<Hyparquet["parquetScan"]>> | undefined;
    try {
      handle = await open(source.path, "r");
      const { size } = await handle.stat();
      const buffer = fileBuffer(handle, size);
      metadata = await hp.parquetMetadataAsync(buffer, { parsers: PARSERS });
      const { known, prefixes } = fieldsOf(source);
      plan = planOf(file, hp.parquetSchema(metadata), known, prefixes);
      if (plan.assembled.length > 0) {
        scan = await hp.parquetScan({ file: buffer, metadata, compressors: hp.compressors, parsers: PARSERS, columns: plan.assembled.map((a) => a.name) });
      }
    } catch (error) {
      return fail(error);
    }
    let groupStart = 0;
    for (let g = 0; g < metadata.row_groups.length; g++) {
      const group = metadata.row_groups[g] as FileMetaData["row_groups"][number];
      const rows = Number(group.num_rows);
      const values = new Array<unknown[]>(plan.slots);
      const problems = new Map<number, RejectionReason>();
      try {
        const chunks = new Map<string, ColumnChunk>();
        for (const chunk of group.columns) if (chunk.meta_data) chunks.set(chunk.meta_data.path_in_schema.join("\u0000"), chunk);
        const metas = plan.leaves.map((leaf) => {
          const meta = chunks.get(leaf.pathInSchema.join("\u0000"))?.meta_data;
          if (!meta) throw new Error(`no chunk of column "${leaf.name}"; expected one in every row group`);
          return meta;
        });
        // The group's chunks are read in one go: they sit together in the file.
        let start = Infinity;
        let end = 0;
        for (const meta of metas) {
          const range = chunkRange(meta);
          start = Math.min(start, range.start);
          end = Math.max(end, range.end);
        }
        const bytes = metas.length > 0 ? await readBytes(handle, start, end - start) : new Uint8Array(0);
        plan.leaves.forEach((leaf, i) => {
          const meta = metas[i] as ColumnMetaData;
          const range = chunkRange(meta);
          values[leaf.slot] = decodeLeaf(hp, bytes.subarray(range.start - start, range.end - start), leaf, meta, rows, problems);
        });
        for (const column of plan.assembled) {
          const decoded = await (scan as NonNullable<typeof scan>).readColumn({ column: column.name, rowStart: groupStart, rowEnd: groupStart + rows });
          const out = new Array<unknown>(rows);
          for (let row = 0; row < rows; row++) {
            const json = jsonOf(decoded[row]);
            if (json instanceof Unreadable) {
              if (!problems.has(row)) problems.set(row, json.reasonIn(column.field));
            } else {
              out[row] = json;
            }
          }
          values[column.slot] = out;
        }
      } catch (error) {
        fail(error, `row group ${g}`);
      }
      for (let from = 0; from < rows; from += batchRows) {
        const to = Math.min(rows, from + batchRows);
        const batch: RawRecord[] = new Array(to - from);
        for (let row = from; row < to; row++) {
          const origin = { file, index: groupStart + row };
          const problem = problems.size > 0 ? problems.get(row) : undefined;
          batch[row - from] = problem !== undefined ? { origin, error: problem } : { origin, value: recordOf(plan.fields, values, row) ?? {} };
        }
        yield batch;
      }
      groupStart += rows;
    }
  } finally {
    await handle?.close();
  }
}

/** `readParquetBatches` record by record. */
/**
 * The columns of a Parquet file as dotted names (a struct's children below it: `shipTo.region`), read from
 * its footer alone; undefined when it cannot be read (reading the file says why).
 */
export async function readParquetColumns(path: string): Promise<string[] | undefined> {
  let handle: FileHandle | undefined;
  try {
    const hp = await hyparquet();
    handle = await open(path, "r");
    const { size } = await handle.stat();
    const metadata = await hp.parquetMetadataAsync(fileBuffer(handle, size), { parsers: PARSERS });
    const out: string[] = [];
    const visit = (tree: SchemaTree, prefix: string): void => {
      for (const child of tree.children) {
        const name = prefix === "" ? child.element.name : `${prefix}.${child.element.name}`;
        if (child.children.length > 0 && child.element.repetition_type !== "REPEATED" && child.element.converted_type !== "LIST") visit(child, name);
        else out.push(name);
      }
    };
    visit(hp.parquetSchema(metadata), "");
    return out;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

export async function* readParquetRecords(source: CollectionFile, batchRows: number): AsyncGenerator<RawRecord> {
  for await (const batch of readParquetBatches(source, batchRows)) yield* batch;
}
