import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ChannelConflictError, DatasetError, LimitError } from "../core/errors.js";
import { acceptBatch, type EventBatch } from "./eventBatches.js";
import { EventUnpacker, isRepeat } from "../fast/eventCodec.js";
import type { BatchMessage, EventWorkerData } from "./eventWorker.js";
import type { EventAcceptor } from "./validateRecords.js";

/** The built worker beside this module, or undefined when running from sources (tests). */
export function eventWorkerPath(): string | undefined {
  const path = join(dirname(fileURLToPath(import.meta.url)), "eventWorker.js");
  return existsSync(path) ? path : undefined;
}

function rebuildError(error: { name?: string; message?: string; code?: string; file?: string; limit?: string }): Error {
  if (error.name === "LimitError" && error.limit) return new LimitError(error.limit, error.message ?? "");
  if (error.name === "DatasetError" && error.file !== undefined) {
    // DatasetError prefixes its message with the file: take the prefix off to build it again.
    const message = error.message ?? "";
    const prefix = `${error.file}: `;
    return new DatasetError(error.file, message.startsWith(prefix) ? message.slice(prefix.length) : message);
  }
  return new ChannelConflictError(error.code ?? "READ_FAILED", error.message ?? "reading events failed");
}

type WorkerMessage = { type: "done" } | { type: "error"; error?: Parameters<typeof rebuildError>[0] } | BatchMessage;

/**
 * A worker thread that reads, parses and schema-checks a dataset's event files from the moment it is
 * made, so it runs while this thread loads the reference data; `batches` then takes its events in file
 * and line order, with back-pressure, and accepts them against the reference (known partner and sku,
 * new id). Call `close` when done with it (taking the batches to the end closes it too).
 */
export class EventReaderThread {
  private readonly worker: Worker;
  private readonly queue: WorkerMessage[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  private taken = false;

  constructor(path: string, files: EventWorkerData["files"], limits: EventWorkerData["limits"]) {
    // Only plain data crosses to the worker: the limits may come in a caller's whole options object
    // (with an onProgress function, which cannot be cloned). The worker reads ahead while the reference
    // data loads, then stays up to 128 batches ahead (a batch is a chunk of 64 KiB read): enough to
    // absorb either thread's hiccups (a collection, a slow chunk) without the other waiting.
    const workerData: EventWorkerData = {
      files,
      limits: { maxRecordBytes: limits.maxRecordBytes, maxJsonFileBytes: limits.maxJsonFileBytes },
      readAhead: 256,
      window: 128,
    };
    this.worker = new Worker(path, { workerData, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    this.worker.on("message", (message: WorkerMessage) => {
      this.queue.push(message);
      this.wake?.();
    });
    this.worker.on("error", (error) => {
      this.failure = error;
      this.wake?.();
    });
    this.worker.on("exit", (code) => {
      if (code !== 0 && !this.failure) this.failure = new ChannelConflictError("READ_FAILED", `the event reader stopped with exit code ${code}`);
      this.wake?.();
    });
  }

  /** The validated event batches; once per thread. Leaving the loop early (an out-of-order dataset) stops the worker. */
  async *batches(acceptor: EventAcceptor): AsyncGenerator<EventBatch> {
    if (this.taken) throw new Error("EventReaderThread.batches: the batches were already taken");
    this.taken = true;
    const unpacker = new EventUnpacker();
    try {
      for (;;) {
        while (this.queue.length === 0 && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
        const message = this.queue.shift();
        if (!message) throw this.failure;
        if (message.type === "done") return;
        if (message.type === "error") throw rebuildError(message.error ?? {});
        this.worker.postMessage({ type: "ack" });
        const { packed } = message;
        if (!packed.repeatsMarked) throw new Error("EventReaderThread: the worker did not mark repeated ids, which the acceptor needs");
        const batch = { events: unpacker.unpack(packed), rejected: message.rejected, read: message.read };
        // The worker marked the events whose id came before: the acceptor keeps few ids.
        yield acceptBatch(batch, message.positions, message.file, message.at, (event, i) => acceptor.rejectMarked(event, isRepeat(packed, i)));
      }
    } finally {
      await this.close();
    }
  }

  /** Stops the worker (again, harmlessly, after the batches ran out). */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
