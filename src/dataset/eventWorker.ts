// Worker thread: reads, parses and validates a dataset's event files and posts validated batches to the
// scan in the main thread, so reading and scanning use both cores. Started by `readEventsInWorker`.
import { parentPort, workerData } from "node:worker_threads";
import { readCollectionBatches, type ReadLimits } from "../io/readRecords.js";
import type { CollectionFile } from "../io/sources.js";
import { readFileLineBatches } from "../io/lines.js";
import { validateBatch, validateLines, type EventBatch } from "./eventBatches.js";
import { EventPacker, type PackedEvents } from "./eventCodec.js";
import type { Rejection } from "./types.js";
import { EventValidator } from "./validateRecords.js";
import type { ReferenceRecords } from "./types.js";

/** What the main thread hands the worker. */
export interface EventWorkerData {
  readonly files: readonly CollectionFile[];
  readonly limits: ReadLimits;
  readonly partnerIds: readonly string[];
  /** Known skus, or null when the dataset has no products collection. */
  readonly skus: readonly string[] | null;
  /** Batches posted and not yet taken before the worker waits. */
  readonly window: number;
}

/** A batch as the worker posts it: events packed, rejections as they are. */
export interface BatchMessage {
  readonly type: "batch";
  readonly packed: PackedEvents;
  readonly rejected: Rejection[];
  readonly read: number;
}

async function* mapBatches<T>(batches: AsyncIterable<T>, validate: (batch: T) => EventBatch): AsyncGenerator<EventBatch> {
  for await (const batch of batches) yield validate(batch);
}

async function main(port: NonNullable<typeof parentPort>, data: EventWorkerData): Promise<void> {
  const reference = {
    partners: data.partnerIds.map((id) => ({ id })),
    products: (data.skus ?? []).map((sku) => ({ sku })),
  } as unknown as ReferenceRecords;
  const validator = new EventValidator(reference, data.skus !== null);
  let inFlight = 0;
  let wake: (() => void) | undefined;
  port.on("message", (message: { type: string }) => {
    if (message.type === "ack") {
      inFlight--;
      wake?.();
      wake = undefined;
    }
  });
  const packer = new EventPacker();
  for (const file of data.files) {
    const batches: AsyncIterable<EventBatch> =
      file.format === "ndjson"
        ? mapBatches(readFileLineBatches(file.path, data.limits.maxRecordBytes), (lines) => validateLines(lines, file.name, data.limits, validator))
        : mapBatches(readCollectionBatches(file, data.limits), (raws) => validateBatch(raws, validator, false));
    for await (const batch of batches) {
      if (batch.read === 0) continue;
      const packed = packer.pack(batch.events);
      const message: BatchMessage = { type: "batch", packed, rejected: batch.rejected, read: batch.read };
      port.postMessage(message, [packed.ints.buffer, packed.nums.buffer]);
      inFlight++;
      // Back-pressure: never more than `window` batches ahead of the scan.
      while (inFlight >= data.window) await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  port.postMessage({ type: "done" });
}

if (parentPort) {
  const port = parentPort;
  main(port, workerData as EventWorkerData).catch((error: unknown) => {
    const e = error as { name?: string; message?: string; code?: string; file?: string; limit?: string };
    port.postMessage({ type: "error", error: { name: e.name, message: e.message, code: e.code, file: e.file, limit: e.limit } });
  });
}
