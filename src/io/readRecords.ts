import { readFile, stat } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { DatasetError, LimitError } from "../core/errors.js";
import { csvRowToRecord } from "../schema/csvShape.js";
import type { CollectionName } from "../schema/dataset.js";
import type { CollectionFile } from "./sources.js";
import type { RecordOrigin } from "../core/records.js";
import { readFileLineBatches, readFileLines, splitLineBatches, type TextLine } from "./lines.js";
import { readCsvRecords } from "./readCsvRecords.js";
import { readParquetBatches, readParquetRecords } from "./readParquet.js";

/** One record as read, before validation, or a record that could not even be parsed. */
export type RawRecord =
  | { readonly origin: RecordOrigin; readonly value: unknown }
  | { readonly origin: RecordOrigin; readonly error: string };

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
  if ("tooLong" in item) return { origin, error: `line is longer than maxRecordBytes (${limits.maxRecordBytes} bytes)` };
  if (item.text.trim() === "") return undefined;
  try {
    return { origin, value: JSON.parse(item.text) };
  } catch (error) {
    return { origin, error: `not valid JSON (${(error as Error).message})` };
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
  let text = await readFile(source.path, "utf8");
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

async function* readCsv(source: CollectionFile, collection: CollectionName, limits: ReadLimits): AsyncGenerator<RawRecord> {
  let header: string[] | undefined;
  try {
    const chunks = createReadStream(source.path, { highWaterMark: 1 << 16 });
    for await (const record of readCsvRecords(chunks, limits.maxRecordBytes)) {
      const origin = { file: source.name, line: record.line };
      if (!header) {
        // Without its header no row of the file can be read.
        if ("error" in record) throw new DatasetError(`${source.name}:${record.line}`, `the header row cannot be read: ${record.error}`);
        header = record.cells.map((cell) => cell.trim());
        const twice = header.find((name, i) => name !== "" && header?.indexOf(name) !== i);
        if (twice !== undefined) {
          throw new DatasetError(`${source.name}:${record.line}`, `the header names column "${twice}" twice; expected each column once`);
        }
        continue;
      }
      if ("error" in record) {
        yield { origin, error: record.error };
        continue;
      }
      const { cells } = record;
      // A row of empty cells (`,,,`, as spreadsheets leave below the data) holds no record: skipped like a blank line.
      if (cells.every((cell) => cell.trim() === "")) continue;
      if (cells.length !== header.length) {
        yield { origin, error: `CSV row has ${cells.length} cells; expected ${header.length}, one per header column` };
        continue;
      }
      const row: Record<string, string> = Object.create(null);
      header.forEach((name, i) => {
        row[name] = cells[i] as string;
      });
      yield { origin, value: csvRowToRecord(collection, row) };
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(source.name, `cannot read CSV (${(error as Error).message})`, { cause: error });
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

/** `readCollectionFile` in batches of records (the NDJSON reader makes one batch per chunk read). */
export function readCollectionBatches(source: CollectionFile, limits: ReadLimits = DEFAULT_READ_LIMITS): AsyncGenerator<RawRecord[]> {
  if (source.format === "ndjson") return parseNdjsonBatches(readFileLineBatches(source.path, limits.maxRecordBytes), source.name, limits);
  if (source.format === "parquet") return readParquetBatches(source, BATCH_SIZE);
  return batched(readCollectionFile(source, limits));
}

/** Reads the records of one collection file, whatever its format, as a stream where the format allows. */
export function readCollectionFile(source: CollectionFile, limits: ReadLimits = DEFAULT_READ_LIMITS): AsyncGenerator<RawRecord> {
  switch (source.format) {
    case "ndjson":
      return parseNdjsonLines(readFileLines(source.path, limits.maxRecordBytes), source.name, limits);
    case "csv":
      return readCsv(source, source.collection, limits);
    case "json":
      return readJsonArray(source, limits);
    case "parquet":
      return readParquetRecords(source, BATCH_SIZE);
  }
}
