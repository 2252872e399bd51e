// Worker thread: reads, parses and checks a dataset's event files and posts the events in packed
// batches to the scan in the main thread, so reading and scanning use both cores. Started by
// `EventReaderThread` before the main thread loads the reference data: it reads ahead and checks the
// event schema meanwhile, and rejects events of unknown partners and skus once the main thread sends
// their ids (the main thread rejects duplicate ids: the work is split so neither thread waits much).
import { parentPort, workerData } from "node:worker_threads";
import { readFileLineBatches } from "../io/lines.js";
import { readCollectionBatches, type ReadLimits } from "../io/readRecords.js";
import type { CollectionFile } from "../io/sources.js";
import { acceptBatch, validateBatch, validateLines, type EventBatch } from "./eventBatches.js";
import { EventPacker, type PackedEvents } from "./eventCodec.js";
import type { ReferenceRecords, Rejection } from "./types.js";
import { EventAcceptor, EventSchemaReader } from "./validateRecords.js";

/** What the main thread hands the worker. */
export interface EventWorkerData {
  readonly files: readonly CollectionFile[];
  readonly limits: ReadLimits;
  /** Batches read ahead before the ids to accept against arrive. */
  readonly readAhead: number;
  /** Batches posted and not yet taken before the worker waits. */
  readonly window: number;
}

/** The ids events are accepted against, sent when the main thread has loaded the reference data. */
export interface AcceptMessage {
  readonly type: "accept";
  readonly partnerIds: readonly string[];
  /** Known skus, or null when the dataset has no products collection. */
  readonly skus: readonly string[] | null;
}

/**
 * A batch as the worker posts it: the events of one file packed, with the line or index of each in
 * the file (the main thread rejects duplicate ids), and the rejections so far.
 */
export interface BatchMessage {
  readonly type: "batch";
  readonly packed: PackedEvents;
  readonly file: string;
  readonly positions: Int32Array<ArrayBuffer>;
  readonly at: "line" | "index";
  readonly rejected: Rejection[];
  readonly read: number;
}

/** A batch checked against the schema, with the line or index of each of its events in its file. */
interface SchemaBatch {
  readonly batch: EventBatch;
  readonly file: string;
  readonly positions: readonly number[];
  readonly at: "line" | "index";
}

async function* linesOf(file: CollectionFile, limits: ReadLimits, schema: EventSchemaReader): AsyncGenerator<SchemaBatch> {
  for await (const lines of readFileLineBatches(file.path, limits.maxRecordBytes)) {
    const positions: number[] = [];
    yield { batch: validateLines(lines, file.name, limits, schema, positions), file: file.name, positions, at: "line" };
  }
}

async function* recordsOf(file: CollectionFile, limits: ReadLimits, schema: EventSchemaReader): AsyncGenerator<SchemaBatch> {
  const at = file.format === "json" ? "index" : "line";
  for await (const raws of readCollectionBatches(file, limits)) {
    const batch = validateBatch(raws, schema, true);
    yield { batch, file: file.name, positions: (batch.origins ?? []).map((origin) => origin[at] ?? 0), at };
  }
}

async function main(port: NonNullable<typeof parentPort>, data: EventWorkerData): Promise<void> {
  const schema = new EventSchemaReader();
  let acceptor: EventAcceptor | undefined;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  port.on("message", (message: { type: "ack" } | AcceptMessage) => {
    if (message.type === "accept") {
      const reference = {
        partners: message.partnerIds.map((id) => ({ id })),
        products: (message.skus ?? []).map((sku) => ({ sku })),
      } as unknown as ReferenceRecords;
      acceptor = new EventAcceptor(reference, message.skus !== null);
    } else {
      inFlight--;
    }
    wake?.();
    wake = undefined;
  });
  const packer = new EventPacker();
  const held: SchemaBatch[] = [];
  const post = async (read: SchemaBatch, accepting: EventAcceptor) => {
    const { batch, positions } = acceptBatch(read.batch, read.positions, read.file, read.at, (event) => accepting.unknown(event));
    const packed = packer.pack(batch.events);
    const message: BatchMessage = {
      type: "batch",
      packed,
      file: read.file,
      positions: Int32Array.from(positions),
      at: read.at,
      rejected: batch.rejected,
      read: batch.read,
    };
    port.postMessage(message, [packed.ints.buffer, packed.nums.buffer, message.positions.buffer]);
    inFlight++;
    // Back-pressure: never more than `window` batches ahead of the scan.
    while (inFlight >= data.window) await new Promise<void>((resolve) => (wake = resolve));
  };
  for (const file of data.files) {
    const batches = file.format === "ndjson" ? linesOf(file, data.limits, schema) : recordsOf(file, data.limits, schema);
    for await (const read of batches) {
      if (read.batch.read === 0) continue;
      held.push(read);
      if (acceptor === undefined) {
        // The reference data is still loading: read ahead, up to a point.
        while (acceptor === undefined && held.length >= data.readAhead) await new Promise<void>((resolve) => (wake = resolve));
        if (acceptor === undefined) continue;
      }
      for (const next of held.splice(0)) await post(next, acceptor);
    }
  }
  while (acceptor === undefined) await new Promise<void>((resolve) => (wake = resolve));
  for (const next of held.splice(0)) await post(next, acceptor);
  port.postMessage({ type: "done" });
}

if (parentPort) {
  const port = parentPort;
  main(port, workerData as EventWorkerData).catch((error: unknown) => {
    const e = error as { name?: string; message?: string; code?: string; file?: string; limit?: string };
    port.postMessage({ type: "error", error: { name: e.name, message: e.message, code: e.code, file: e.file, limit: e.limit } });
  });
}
