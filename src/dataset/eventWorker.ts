// Worker thread: reads, parses and checks against the event schema a dataset's event files, and posts
// the events in packed batches to the scan in the main thread, so reading and scanning use both cores.
// Started by `EventReaderThread` before the main thread loads the reference data, which it does not
// need: the main thread accepts the events against it (known partner and sku, new id). Most lines are
// read from their bytes (EventJsonScanner), which leaves this thread room to mark the events whose id
// came before, so the main thread need not keep every id.
import { parentPort, Worker, workerData } from "node:worker_threads";
import { EventJsonScanner } from "../fast/EventJsonScanner.js";
import { readFileByteLineBatches, splitByteLineBatches, type ByteLines } from "../io/lines.js";
import { InvalidTextError, textEncoding, UTF8 } from "../io/encoding.js";
import { DatasetError } from "../core/errors.js";
import { readCollectionBatches, type ReadLimits } from "../io/readRecords.js";
import type { CollectionFile } from "../io/sources.js";
import { RawEvent } from "../fast/FastEventReader.js";
import { validateLines, type LineReader, type RecordSink } from "./eventBatches.js";
import { EventPacker, type PackedEvents } from "../fast/eventCodec.js";
import { isRejectionReason } from "../core/rejectionReasons.js";
import { type Rejection } from "../core/records.js";
import { rejectionOf } from "../messages/rejections/renderRejection.js";
import { EventSchemaReader } from "./validateRecords.js";
import { timeZoneOf, type TimeZone } from "../core/zonedTime.js";
import { mergeEventFiles, sortForReader, type MergeSettings, type SortedMessage, type SortHelperSettings } from "./mergeEventFiles.js";

/** What the main thread hands the worker. */
export interface EventWorkerData {
  readonly files: readonly CollectionFile[];
  readonly limits: ReadLimits;
  /**
   * Batches posted and not yet taken before the worker waits, until the scan takes its first batch
   * (the reference data is loading: read ahead), then `window`.
   */
  readonly readAhead: number;
  readonly window: number;
  /** The dataset's IANA time zone, of times without an offset. */
  readonly timeZone: string;
  /** Merge the files by time (`mergeEventFiles`) instead of posting them one after another. */
  readonly merge?: MergeSettings;
  /** Be a sort helper (`sortForReader`) of the reader's worker that started this one, on these files. */
  readonly helper?: SortHelperSettings;
  /**
   * Read NDJSON from this thread's stdin (the main thread's stream, written to `worker.stdin`) instead of
   * `files`, as the stream `name`; rejections name the event when its id can be read.
   */
  readonly stdin?: { readonly name: string };
}

/**
 * A batch as the worker posts it: the events of one file packed, with the line or index of each in
 * the file (for the rejections the main thread adds), and the rejections so far.
 */
export interface BatchMessage {
  readonly type: "batch";
  readonly packed: PackedEvents;
  readonly file: string;
  readonly positions: Int32Array<ArrayBuffer>;
  readonly at: "line" | "index";
  readonly rejected: Rejection[];
  readonly read: number;
  /** Merged batches: the index in the worker's files of each event's file (`file` and `at` then say nothing). */
  readonly fileIndexes?: Int32Array<ArrayBuffer>;
}

/** A batch checked against the schema and packed, with the line or index of each of its events in its file. */
export interface PackedBatch {
  readonly packed: PackedEvents;
  readonly positions: readonly number[];
  readonly at: "line" | "index";
  readonly rejected: Rejection[];
  readonly read: number;
}

/** Takes parsed records into the batch being packed: what the fast reader is sure of from its fields, the rest through zod. */
function taker(schema: EventSchemaReader, packer: EventPacker): RecordSink {
  return (value) => {
    const fields = schema.fast.fields(value);
    if (fields !== undefined) {
      packer.addFields(fields);
      return undefined;
    }
    const event = schema.zod(value);
    if (isRejectionReason(event)) return event;
    packer.add(event);
    return undefined;
  };
}

function linesOf(file: CollectionFile, limits: ReadLimits, schema: EventSchemaReader, packer: EventPacker): AsyncGenerator<PackedBatch> {
  const encoding = textEncoding(file.encoding ?? "utf-8");
  // The manifest was checked: a label TextDecoder does not know never gets here.
  if (!encoding) throw new DatasetError(file.name, `the encoding "${file.encoding}" is not known`);
  return byteLinesOf(file.name, readFileByteLineBatches(file.path, limits.maxRecordBytes, encoding), limits, schema, packer, false);
}

/** The events of NDJSON lines (`name`: the file or stream, in rejections; `ids`: rejections name the event when they can). */
async function* byteLinesOf(
  name: string,
  batches: AsyncIterable<ByteLines>,
  limits: ReadLimits,
  schema: EventSchemaReader,
  packer: EventPacker,
  ids: boolean,
): AsyncGenerator<PackedBatch> {
  // What the fast reader is sure of goes from its fields into the batch, with no event object; most
  // lines straight from their bytes, without JSON.parse.
  const scanner = new EventJsonScanner();
  const raw = new RawEvent();
  const fast: LineReader = (bytes, text, start, end) => {
    if (!scanner.scan(bytes, text, start, end, raw)) return false;
    const fields = schema.fast.fieldsOfScanned(raw);
    if (fields === undefined) return false;
    packer.addFields(fields);
    return true;
  };
  const take = taker(schema, packer);
  // The byte reader reads UTF-8 (a UTF-16 file comes transcoded): lines in another encoding are decoded and parsed.
  const decoded: LineReader = () => false;
  try {
    for await (const lines of batches) {
      const positions: number[] = [];
      packer.begin(lines.numbers.length);
      const reader = (lines.encoding ?? UTF8).name === "utf-8" ? fast : decoded;
      const { rejected, read } = validateLines(lines, name, limits, { fast: reader, take, ids }, positions);
      yield { packed: packer.finish(), positions, at: "line", rejected, read };
    }
  } catch (error) {
    // Invalid UTF-16 stops the transcoder: an error of the whole file.
    if (error instanceof InvalidTextError) throw new DatasetError(name, `${error.message}; check the encoding named in channel-conflict.yaml`, { cause: error });
    throw error;
  }
}

async function* recordsOf(file: CollectionFile, limits: ReadLimits, schema: EventSchemaReader, packer: EventPacker, zone: TimeZone): AsyncGenerator<PackedBatch> {
  // JSON arrays and Parquet files number their records by index, CSV by line.
  const at = file.format === "json" || file.format === "parquet" ? "index" : "line";
  // Each record's fields go into the batch as NDJSON lines' do, with no event object in between.
  const take = taker(schema, packer);
  for await (const raws of readCollectionBatches(file, limits, zone)) {
    const positions: number[] = [];
    const rejected: Rejection[] = [];
    packer.begin(raws.length);
    for (const raw of raws) {
      const reason = "error" in raw ? raw.error : take(raw.value);
      if (reason === undefined) positions.push(raw.origin[at] ?? 0);
      else rejected.push(rejectionOf(raw.origin, reason));
    }
    yield { packed: packer.finish(), positions, at, rejected, read: raws.length };
  }
}

async function main(port: NonNullable<typeof parentPort>, data: EventWorkerData): Promise<void> {
  const zone = timeZoneOf(data.timeZone);
  const schema = new EventSchemaReader(zone);
  if (data.merge || data.helper) {
    // The merge marks repeated ids itself, in merged order; the packer packs the files' events.
    const packer = new EventPacker();
    const batchesOf = (file: CollectionFile): AsyncGenerator<PackedBatch> =>
      file.format === "ndjson" && !file.fields ? linesOf(file, data.limits, schema, packer) : recordsOf(file, data.limits, schema, packer, zone);
    if (data.helper) await sortForReader(port, data.files, data.helper, packer, batchesOf);
    else await mergeEventFiles(port, data, data.merge as MergeSettings, packer, batchesOf, (settings) => startSortHelper(data, settings));
    return;
  }
  let inFlight = 0;
  let window = data.readAhead;
  let wake: (() => void) | undefined;
  port.on("message", (message: { type: "ack" }) => {
    if (message.type === "ack") {
      inFlight--;
      window = data.window;
      wake?.();
      wake = undefined;
    }
  });
  // The packer marks repeated ids, so the main thread need not keep every id to find duplicates; a
  // stream's duplicates are judged by the scanner's window of recent ids instead.
  const packer = new EventPacker({ markRepeats: data.stdin === undefined });
  const stream = data.stdin;
  const sources: Array<{ readonly name: string; readonly batches: () => AsyncGenerator<PackedBatch> }> = stream
    ? [
        {
          name: stream.name,
          batches: () => byteLinesOf(stream.name, splitByteLineBatches(process.stdin as AsyncIterable<Buffer>, data.limits.maxRecordBytes), data.limits, schema, packer, true),
        },
      ]
    : data.files.map((file) => ({
        name: file.name,
        // NDJSON lines are read from their bytes, unless the manifest maps their fields from columns of other names.
        batches: () => (file.format === "ndjson" && !file.fields ? linesOf(file, data.limits, schema, packer) : recordsOf(file, data.limits, schema, packer, zone)),
      }));
  for (const source of sources) {
    for await (const { packed, positions, at, rejected, read } of source.batches()) {
      if (read === 0) continue;
      const message: BatchMessage = { type: "batch", packed, file: source.name, positions: Int32Array.from(positions), at, rejected, read };
      port.postMessage(message, [packed.ints.buffer, packed.nums.buffer, message.positions.buffer]);
      inFlight++;
      // Back-pressure: never more than `window` batches ahead of the scan.
      while (inFlight >= window) await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  port.postMessage({ type: "done" });
}

/**
 * Starts this script again as a sort helper of `settings.fileIndexes`; its answer, or its error as the
 * reader's own errors cross to the main thread (name, message, file, limit). A helper still running when
 * this worker is terminated is terminated with it.
 */
function startSortHelper(data: EventWorkerData, settings: SortHelperSettings): Promise<SortedMessage> {
  const script = JSON.stringify(import.meta.url);
  const main = `import(${script}).catch((error) => queueMicrotask(() => { throw error; }));`;
  const { merge: _merge, ...rest } = data;
  const worker = new Worker(main, { eval: true, workerData: { ...rest, helper: settings } satisfies EventWorkerData, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  return new Promise<SortedMessage>((resolve, reject) => {
    worker.on("message", (message: SortedMessage | { type: "error"; error: Record<string, string | undefined> }) => {
      if (message.type === "sorted") resolve(message);
      else reject(Object.assign(new Error(message.error.message ?? "the sort helper failed"), message.error));
    });
    worker.on("error", reject);
    // After an answer this changes nothing.
    worker.on("exit", (code) => reject(new Error(`the sort helper stopped with exit code ${code} before it answered`)));
  });
}

if (parentPort) {
  const port = parentPort;
  main(port, workerData as EventWorkerData).catch((error: unknown) => {
    const e = error as { name?: string; message?: string; code?: string; file?: string; limit?: string };
    port.postMessage({ type: "error", error: { name: e.name, message: e.message, code: e.code, file: e.file, limit: e.limit } });
  });
}
