// Worker thread: reads, parses and checks against the event schema a dataset's event files and posts
// the events in packed batches to the scan in the main thread, so reading and scanning use both cores.
// Started by `EventReaderThread`; it needs no reference data, so it starts while the main thread loads it.
import { parentPort, workerData } from "node:worker_threads";
import { readFileLineBatches } from "../io/lines.js";
import { readCollectionBatches, type ReadLimits } from "../io/readRecords.js";
import type { CollectionFile } from "../io/sources.js";
import { validateBatch, validateLines, type EventBatch } from "./eventBatches.js";
import { EventPacker, type PackedEvents } from "./eventCodec.js";
import type { Rejection } from "./types.js";
import { EventSchemaReader } from "./validateRecords.js";

/** What the main thread hands the worker. */
export interface EventWorkerData {
  readonly files: readonly CollectionFile[];
  readonly limits: ReadLimits;
  /**
   * Batches posted and not yet taken before the worker waits, until the scan takes its first batch
   * (the reference data is loading: read ahead), then `window`.
   */
  readonly startWindow: number;
  readonly window: number;
}

/** A batch as the worker posts it: the events of one file packed, with where each came from, and the rejections. */
export interface BatchMessage {
  readonly type: "batch";
  readonly packed: PackedEvents;
  readonly file: string;
  /** Per event, its line (NDJSON, CSV) or its index (JSON array) in `file`, as `at` says. */
  readonly positions: Int32Array<ArrayBuffer>;
  readonly at: "line" | "index";
  readonly rejected: Rejection[];
  readonly read: number;
}

async function* linesOf(file: CollectionFile, limits: ReadLimits, schema: EventSchemaReader): AsyncGenerator<[EventBatch, number[]]> {
  for await (const lines of readFileLineBatches(file.path, limits.maxRecordBytes)) {
    const lineOf: number[] = [];
    yield [validateLines(lines, file.name, limits, schema, lineOf), lineOf];
  }
}

async function* recordsOf(file: CollectionFile, limits: ReadLimits, schema: EventSchemaReader): AsyncGenerator<[EventBatch, number[]]> {
  for await (const raws of readCollectionBatches(file, limits)) {
    const batch = validateBatch(raws, schema, true);
    yield [batch, (batch.origins ?? []).map((origin) => origin.line ?? origin.index ?? 0)];
  }
}

async function main(port: NonNullable<typeof parentPort>, data: EventWorkerData): Promise<void> {
  const schema = new EventSchemaReader();
  let inFlight = 0;
  let window = data.startWindow;
  let wake: (() => void) | undefined;
  port.on("message", (message: { type: string }) => {
    if (message.type === "ack") {
      inFlight--;
      window = data.window;
      wake?.();
      wake = undefined;
    }
  });
  const packer = new EventPacker();
  for (const file of data.files) {
    const at = file.format === "json" ? "index" : "line";
    const batches = file.format === "ndjson" ? linesOf(file, data.limits, schema) : recordsOf(file, data.limits, schema);
    for await (const [batch, positions] of batches) {
      if (batch.read === 0) continue;
      const packed = packer.pack(batch.events);
      const message: BatchMessage = {
        type: "batch",
        packed,
        file: file.name,
        positions: Int32Array.from(positions),
        at,
        rejected: batch.rejected,
        read: batch.read,
      };
      port.postMessage(message, [packed.ints.buffer, packed.nums.buffer, message.positions.buffer]);
      inFlight++;
      // Back-pressure: never more than `window` batches ahead of the scan.
      while (inFlight >= window) await new Promise<void>((resolve) => (wake = resolve));
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
