import { readFile, stat } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { DatasetError, LimitError } from "../core/errors.js";
import { renderReason } from "../messages/rejections/renderRejection.js";
import { reason, type RejectionReason } from "../core/rejectionReasons.js";
import { csvRowReader } from "../schema/csvShape.js";
import type { CollectionName } from "../schema/dataset.js";
import type { CollectionFile } from "./sources.js";
import type { RecordOrigin } from "../core/records.js";
import { readFileLineBatches, readFileLines, splitLineBatches, type TextLine } from "./lines.js";
import { readCsvRecordBatches } from "./readCsvRecords.js";
import { readParquetBatches, readParquetRecords } from "./readParquet.js";
import { InvalidTextError, textEncoding, UTF8, type TextEncoding } from "./encoding.js";
import { FieldMapper } from "../schema/fieldMap.js";
import { UTC_ZONE, type TimeZone } from "../core/zonedTime.js";

/** One record as read, before validation, or a record that could not even be parsed. */
export type RawRecord =
  | { readonly origin: RecordOrigin; readonly value: unknown }
  | { readonly origin: RecordOrigin; readonly error: RejectionReason };

/** Limits that keep reading bounded whatever the input. */
export interface ReadLimits {
  /** Longest NDJSON line or CSV record, in bytes; longer ones are rejected. */
  readonly maxRecordBytes: number;
  /** Largest JSON (array) file read whole, in bytes. */
  readonly maxJsonFileBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxRecordBytes: 1 << 20,
  maxJsonFileBytes: 256 << 20,
};

/** Parses one NDJSON line: blank lines give nothing, a line that is not JSON a parse error. */
export function parseNdjsonLine(item: TextLine, file: string, limits: ReadLimits): RawRecord | undefined {
  const origin = { file, line: item.line };
  if ("tooLong" in item) return { origin, error: reason("too_long", { unit: "line", maxRecordBytes: limits.maxRecordBytes }) };
  if ("invalid" in item) return { origin, error: item.invalid };
  if (item.text.trim() === "") return undefined;
  try {
    return { origin, value: JSON.parse(item.text) };
  } catch (error) {
    return { origin, error: reason("not_json", { detail: (error as Error).message }) };
  }
}

/** Parses NDJSON lines; blank lines are skipped, a line that is not JSON becomes a parse error. */
export async function* parseNdjsonLines(
  lines: AsyncIterable<TextLine>,
  file: string,
  limits: ReadLimits,
): AsyncGenerator<RawRecord> {
  for await (const item of lines) {
    const record = parseNdjsonLine(item, file, limits);
    if (record) yield record;
  }
}

/** `parseNdjsonLines` over batches of lines, giving batches of records. */
async function* parseNdjsonBatches(batches: AsyncIterable<TextLine[]>, file: string, limits: ReadLimits): AsyncGenerator<RawRecord[]> {
  for await (const lines of batches) {
    const records: RawRecord[] = [];
    for (const item of lines) {
      const record = parseNdjsonLine(item, file, limits);
      if (record) records.push(record);
    }
    if (records.length > 0) yield records;
  }
}

/** NDJSON records of any byte or string stream, e.g. stdin, in batches as chunks arrive (one async step per chunk, not per record). */
export function readNdjsonStreamBatches(
  chunks: AsyncIterable<Buffer | string>,
  file: string,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): AsyncGenerator<RawRecord[]> {
  return parseNdjsonBatches(splitLineBatches(chunks, limits.maxRecordBytes), file, limits);
}

async function* readJsonArray(source: CollectionFile, limits: ReadLimits): AsyncGenerator<RawRecord> {
  const size = (await stat(source.path)).size;
  if (size > limits.maxJsonFileBytes) {
    throw new LimitError(
      "maxJsonFileBytes",
      `${source.name}: the JSON file is ${size} bytes, over maxJsonFileBytes (${limits.maxJsonFileBytes}); split it or write it as NDJSON, which is read line by line`,
    );
  }
  const bytes = await readFile(source.path);
  const encoding = encodingOf(source);
  let text = encoding.decode(bytes, 0, bytes.length);
  if (text === undefined) {
    throw new DatasetError(source.name, `${invalidFileReason(encoding)}; a JSON file is read whole, so no record of it can be read`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(source.name, `not valid JSON (${(error as Error).message}); expected an array of records`, {
      cause: error,
    });
  }
  if (!Array.isArray(parsed)) {
    throw new DatasetError(source.name, `expected a JSON array of records, got ${parsed === null ? "null" : typeof parsed}`);
  }
  for (let index = 0; index < parsed.length; index++) {
    yield { origin: { file: source.name, index }, value: parsed[index] };
  }
}

/** The encoding a file is read in: the manifest's, else UTF-8. */
export function encodingOf(source: CollectionFile): TextEncoding {
  if (source.encoding === undefined) return UTF8;
  const encoding = textEncoding(source.encoding);
  // The manifest was checked: a label TextDecoder does not know never gets here.
  if (!encoding) throw new DatasetError(source.name, `the encoding "${source.encoding}" is not known`);
  return encoding;
}

function invalidFileReason(encoding: TextEncoding): string {
  return `not valid ${encoding.label}${encoding.name === "utf-8" ? "; if this file is GB18030 or another encoding, name it in channel-conflict.yaml (encoding: gb18030)" : "; check the encoding named in channel-conflict.yaml"}`;
}

/** The mapper of a file whose manifest maps its fields, else undefined. */
function mapperOf(source: CollectionFile, zone: TimeZone): FieldMapper | undefined {
  return source.fields ? new FieldMapper(source.collection, source.fields, zone) : undefined;
}

async function* readCsvBatches(source: CollectionFile, collection: CollectionName, limits: ReadLimits, zone: TimeZone): AsyncGenerator<RawRecord[]> {
  let header: string[] | undefined;
  let mapRow: ((cells: readonly string[]) => { value: Record<string, unknown> } | { error: RejectionReason }) | undefined;
  let readRow: ((cells: readonly string[]) => Record<string, unknown>) | undefined;
  const mapper = mapperOf(source, zone);
  let skip = source.skipRows ?? 0;
  try {
    const chunks = createReadStream(source.path, { highWaterMark: 1 << 16 });
    const options = { encoding: encodingOf(source), ...(source.delimiter !== undefined ? { delimiter: source.delimiter } : {}) };
    for await (const records of readCsvRecordBatches(chunks, limits.maxRecordBytes, options)) {
      const out: RawRecord[] = [];
      for (const record of records) {
        if (skip > 0) {
          skip--;
          continue;
        }
        if (!header) {
          // Without its header no row of the file can be read.
          if ("error" in record) throw new DatasetError(`${source.name}:${record.line}`, `the header row cannot be read: ${renderReason(record.error)}`);
          header = record.cells.map((cell) => cell.trim());
          const twice = header.find((name, i) => name !== "" && header?.indexOf(name) !== i);
          if (twice !== undefined) {
            throw new DatasetError(`${source.name}:${record.line}`, `the header names column "${twice}" twice; expected each column once`);
          }
          if (mapper) {
            const reader = mapper.forHeader(header);
            if (typeof reader !== "function") {
              const near = reader.closest === undefined ? "" : `; the closest is "${reader.closest}"`;
              throw new DatasetError(
                `${source.name}:${record.line}`,
                `the header has no column "${reader.missing}", which channel-conflict.yaml maps a field of ${collection} to${near}`,
              );
            }
            mapRow = reader;
          }
          continue;
        }
        const origin = { file: source.name, line: record.line };
        if ("error" in record) {
          out.push({ origin, error: record.error });
          continue;
        }
        const { cells } = record;
        // A row of empty cells (`,,,`, as spreadsheets leave below the data) holds no record: skipped like a blank line.
        if (cells.every((cell) => cell.trim() === "")) continue;
        if (cells.length !== header.length) {
          out.push({ origin, error: reason("csv_cells", { cells: cells.length, expected: header.length }) });
          continue;
        }
        if (mapRow) {
          const mapped = mapRow(cells);
          out.push("error" in mapped ? { origin, error: mapped.error } : { origin, value: mapped.value });
          continue;
        }
        readRow ??= csvRowReader(collection, header);
        out.push({ origin, value: readRow(cells) });
      }
      if (out.length > 0) yield out;
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(source.name, `cannot read CSV (${(error as Error).message})`, { cause: error });
  }
}

/** Records mapped by the manifest's fields (JSON, NDJSON and Parquet records are keyed by their source columns). */
async function* mappedBatches(batches: AsyncIterable<RawRecord[]>, mapper: FieldMapper): AsyncGenerator<RawRecord[]> {
  for await (const batch of batches) {
    const out: RawRecord[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const record = batch[i] as RawRecord;
      if ("error" in record) {
        out[i] = record;
        continue;
      }
      const mapped = mapper.fromObject(record.value);
      out[i] = "error" in mapped ? { origin: record.origin, error: mapped.error } : { origin: record.origin, value: mapped.value };
    }
    yield out;
  }
}

/** How many records a batch holds when records are grouped (NDJSON batches follow the chunks read). */
export const BATCH_SIZE = 512;

/** Groups items into arrays of `BATCH_SIZE`, so consumers cross an async boundary once per batch. */
export function* batchesOf<T>(items: Iterable<T>): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length >= BATCH_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** `batchesOf` for an async stream of records. */
async function* batched(records: AsyncIterable<RawRecord>): AsyncGenerator<RawRecord[]> {
  let batch: RawRecord[] = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length >= BATCH_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * `readCollectionFile` in batches of records (the NDJSON reader makes one batch per chunk read). `zone` is
 * the dataset's time zone, for the date formats of the manifest's fields.
 */
export function readCollectionBatches(source: CollectionFile, limits: ReadLimits = DEFAULT_READ_LIMITS, zone: TimeZone = UTC_ZONE): AsyncGenerator<RawRecord[]> {
  const mapper = source.format === "csv" ? undefined : mapperOf(source, zone);
  const batches = unmappedBatches(source, limits, zone);
  return mapper ? mappedBatches(batches, mapper) : batches;
}

/** A file whose text cannot be decoded at all (invalid UTF-16, which is transcoded whole) fails naming the file. */
async function* namingFile<T>(source: CollectionFile, items: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* items;
  } catch (error) {
    if (error instanceof InvalidTextError) throw new DatasetError(source.name, error.message, { cause: error });
    throw error;
  }
}

function unmappedBatches(source: CollectionFile, limits: ReadLimits, zone: TimeZone): AsyncGenerator<RawRecord[]> {
  if (source.format === "ndjson") {
    return namingFile(source, parseNdjsonBatches(readFileLineBatches(source.path, limits.maxRecordBytes, encodingOf(source)), source.name, limits));
  }
  if (source.format === "parquet") return readParquetBatches(source, BATCH_SIZE);
  if (source.format === "csv") return readCsvBatches(source, source.collection, limits, zone);
  return batched(unmappedRecords(source, limits, zone));
}

async function* flattened<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}

/** Reads the records of one collection file, whatever its format, as a stream where the format allows. */
export async function* readCollectionFile(source: CollectionFile, limits: ReadLimits = DEFAULT_READ_LIMITS, zone: TimeZone = UTC_ZONE): AsyncGenerator<RawRecord> {
  for await (const batch of readCollectionBatches(source, limits, zone)) yield* batch;
}

function unmappedRecords(source: CollectionFile, limits: ReadLimits, zone: TimeZone): AsyncGenerator<RawRecord> {
  switch (source.format) {
    case "ndjson":
      return namingFile(source, parseNdjsonLines(readFileLines(source.path, limits.maxRecordBytes, encodingOf(source)), source.name, limits));
    case "csv":
      return flattened(readCsvBatches(source, source.collection, limits, zone));
    case "json":
      return readJsonArray(source, limits);
    case "parquet":
      return readParquetRecords(source, BATCH_SIZE);
  }
}
