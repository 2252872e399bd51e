import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ChannelConflictError, DatasetError, LimitError } from "../errors.js";
import type { EventBatch } from "./eventBatches.js";
import { EventUnpacker } from "./eventCodec.js";
import type { BatchMessage, EventWorkerData } from "./eventWorker.js";

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

/**
 * Validated event batches read by a worker thread, in file and line order, with back-pressure. Leaving
 * the loop early (an out-of-order dataset) stops the worker.
 */
export async function* readEventsInWorker(path: string, data: Omit<EventWorkerData, "window">): AsyncGenerator<EventBatch> {
  // Only plain data crosses to the worker: `limits` may be a caller's whole options object (with an
  // onProgress function, which cannot be cloned).
  const workerData: EventWorkerData = {
    files: data.files,
    limits: { maxRecordBytes: data.limits.maxRecordBytes, maxJsonFileBytes: data.limits.maxJsonFileBytes },
    partnerIds: data.partnerIds,
    skus: data.skus,
    window: 8,
  };
  const worker = new Worker(path, { workerData, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  const queue: Array<{ type: "done" } | { type: "error"; error?: Parameters<typeof rebuildError>[0] } | BatchMessage> = [];
  const unpacker = new EventUnpacker();
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  worker.on("message", (message) => {
    queue.push(message);
    wake?.();
  });
  worker.on("error", (error) => {
    failure = error;
    wake?.();
  });
  worker.on("exit", (code) => {
    if (code !== 0 && !failure) failure = new ChannelConflictError("READ_FAILED", `the event reader stopped with exit code ${code}`);
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift();
      if (!message) throw failure;
      if (message.type === "done") return;
      if (message.type === "error") throw rebuildError(message.error ?? {});
      worker.postMessage({ type: "ack" });
      yield { events: unpacker.unpack(message.packed), rejected: message.rejected, read: message.read };
    }
  } finally {
    await worker.terminate();
  }
}
