import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { ChannelConflictError, DatasetError, LimitError } from "../core/errors.js";
import { acceptBatch, type EventBatch } from "./eventBatches.js";
import { compileEventWorker } from "./compileEventWorker.js";
import { EventUnpacker, isRepeat } from "../fast/eventCodec.js";
import type { BatchMessage, EventWorkerData } from "./eventWorker.js";
import type { UnorderedFileMessage } from "./mergeEventFiles.js";
import { SortFolder } from "../io/sortFolder.js";
import type { EventAcceptance } from "./validateRecords.js";

/**
 * The event reader's worker script: the built `eventWorker.js` beside this module, or, running from
 * sources (tests, `node --import tsx`), the sources' `eventWorker.ts` compiled as the build compiles it;
 * undefined when neither is there.
 */
export function eventWorkerPath(): string | undefined {
  const dir = dirname(fileURLToPath(import.meta.url));
  const built = join(dir, "eventWorker.js");
  if (existsSync(built)) return built;
  const source = join(dir, "eventWorker.ts");
  return existsSync(source) ? compileEventWorker(source) : undefined;
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

type WorkerMessage = { type: "done" } | { type: "error"; error?: Parameters<typeof rebuildError>[0] } | BatchMessage | UnorderedFileMessage;

/**
 * Thrown by `EventReaderThread.batches` when merging by time and an event file goes back in time after
 * its first chunk: read again with that file in `sortFiles`, it is sorted from the start.
 */
export class UnorderedEventFileError extends Error {
  constructor(
    /** The file's index in the reader's files. */
    readonly file: number,
    readonly fileName: string,
  ) {
    super(`${fileName}: the events are not in time order`);
  }
}

/** Merging a reader's files by time: the sort's memory, and the files to sort from the start. */
export interface MergeOptions {
  /** Bytes of events the external sort holds in memory before it writes a run to disk. */
  readonly sortBudgetBytes: number;
  /** Indexes of files (in the reader's files) to sort from the start. */
  readonly sortFiles?: readonly number[];
  /** Bytes on disk from which several files to sort are shared with a sort helper thread (default 8 MiB). */
  readonly helperFromBytes?: number;
}

/**
 * Files to sort that come to less than this are sorted by the reader alone: a helper thread takes some
 * 0.1–0.2 s to start, what reading 8 MiB costs.
 */
const SORT_HELPER_FROM_BYTES = 8 * 1024 * 1024;

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
  private closed = false;
  private stopPump: (() => void) | undefined;
  private readonly sortFolder: SortFolder | undefined;

  constructor(
    path: string,
    private readonly files: EventWorkerData["files"],
    limits: EventWorkerData["limits"],
    timeZone: string,
    merge?: MergeOptions,
    /** Read NDJSON from these chunks (written to the worker's stdin) instead of `files`, as the stream `name`: see `validated`. */
    stdin?: { readonly name: string; readonly chunks: AsyncIterable<Buffer | string> },
  ) {
    // Only plain data crosses to the worker: the limits may come in a caller's whole options object
    // (with an onProgress function, which cannot be cloned). The worker reads ahead while the reference
    // data loads, then stays up to 128 batches ahead (a batch is a chunk of 64 KiB read): enough to
    // absorb either thread's hiccups (a collection, a slow chunk) without the other waiting.
    let workerData: EventWorkerData = {
      files,
      limits: { maxRecordBytes: limits.maxRecordBytes, maxJsonFileBytes: limits.maxJsonFileBytes },
      // A stream has no reference data to wait for, and its memory is to stay flat: a short window (batches
      // queued here live long enough to reach V8's old generation; 4 against 16 took the 10M stream's
      // usual peak from ~340–410 to ~280 MB, at the same speed).
      readAhead: stdin ? 4 : 256,
      window: stdin ? 4 : 128,
      timeZone,
    };
    if (stdin) workerData = { ...workerData, stdin: { name: stdin.name } };
    if (merge) {
      // Made (and removed) here, not in the worker: a terminated worker runs no clean-up, and only this
      // thread sees the signals that stop the process.
      this.sortFolder = new SortFolder();
      workerData = {
        ...workerData,
        merge: {
          sortFolder: this.sortFolder.path,
          budgetBytes: merge.sortBudgetBytes,
          sortFiles: merge.sortFiles ?? [],
          helperFromBytes: merge.helperFromBytes ?? SORT_HELPER_FROM_BYTES,
        },
      };
    }
    // The worker inherits this process's Node options, and `node --input-type=module -e` makes a worker
    // whose main script is a file fail to start: its main script is code that imports the file instead,
    // and throws what stops the import as an uncaught error (the worker's "error"), whatever the
    // process does with unhandled rejections.
    const script = JSON.stringify(pathToFileURL(path).href);
    const main = `import(${script}).catch((error) => queueMicrotask(() => { throw error; }));`;
    this.worker = new Worker(main, { eval: true, workerData, stdin: stdin !== undefined, resourceLimits: { maxYoungGenerationSizeMb: stdin ? 16 : 64 } });
    if (stdin) void this.pump(stdin.chunks);
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

  /** Writes `chunks` to the worker's stdin as it takes them; a failure to read them fails the batches. */
  private async pump(chunks: AsyncIterable<Buffer | string>): Promise<void> {
    const input = this.worker.stdin as NonNullable<Worker["stdin"]>;
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    // Closing stops the reading at once (a stream that fails early must not wait for its next chunk).
    const iterator = chunks[Symbol.asyncIterator]();
    this.stopPump = () => {
      // A stream's iterator returns only after the read it waits for: the stream itself is destroyed.
      const stream = chunks as { destroy?: unknown };
      if (typeof stream.destroy === "function") (stream as { destroy(): void }).destroy();
      else void iterator.return?.()?.catch(() => undefined);
    };
    try {
      for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
        const chunk = step.value;
        if (this.closed) return;
        if (!input.write(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk)) {
          await Promise.race([new Promise<void>((resolve) => input.once("drain", () => resolve())), exited]);
        }
      }
      input.end();
    } catch (error) {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
      this.wake?.();
    }
  }

  /** The next batch the worker posted (acknowledged), or undefined when it is done; its errors thrown. */
  private async nextBatch(): Promise<BatchMessage | undefined> {
    while (this.queue.length === 0 && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve));
    const message = this.queue.shift();
    if (!message) throw this.failure;
    if (message.type === "done") return undefined;
    if (message.type === "error") throw rebuildError(message.error ?? {});
    if (message.type === "unordered") throw new UnorderedEventFileError(message.file, this.files[message.file]?.name ?? "events");
    this.worker.postMessage({ type: "ack" });
    return message;
  }

  /**
   * The events of the stream (`stdin`), checked against the schema, in the order read, with their lines:
   * not yet accepted against the reference (a stream scanner does that, with its window of recent ids).
   */
  async *validated(): AsyncGenerator<EventBatch> {
    if (this.taken) throw new Error("EventReaderThread.validated: the batches were already taken");
    this.taken = true;
    const unpacker = new EventUnpacker();
    try {
      for (let message = await this.nextBatch(); message !== undefined; message = await this.nextBatch()) {
        const { file, positions } = message;
        const events = unpacker.unpack(message.packed);
        const origins = Array.from(positions, (line) => ({ file, line }));
        yield { events, origins, rejected: message.rejected, read: message.read };
      }
    } finally {
      await this.close();
    }
  }

  /** The validated event batches; once per thread. Leaving the loop early (an out-of-order dataset) stops the worker. */
  async *batches(acceptance: EventAcceptance): AsyncGenerator<EventBatch> {
    if (this.taken) throw new Error("EventReaderThread.batches: the batches were already taken");
    this.taken = true;
    const unpacker = new EventUnpacker();
    try {
      for (let message = await this.nextBatch(); message !== undefined; message = await this.nextBatch()) {
        const { packed } = message;
        if (!packed.repeatsMarked) throw new Error("EventReaderThread: the worker did not mark repeated ids, which the acceptance needs");
        const batch = { events: unpacker.unpack(packed), rejected: message.rejected, read: message.read };
        const { fileIndexes, positions } = message;
        if (fileIndexes !== undefined) {
          const files = this.files;
          const originOf = (i: number) => {
            const file = files[fileIndexes[i] as number] as EventWorkerData["files"][number];
            return { file: file.name, [file.format === "json" || file.format === "parquet" ? "index" : "line"]: positions[i] as number };
          };
          yield acceptBatch(batch, acceptance, originOf, (i) => isRepeat(packed, i));
          continue;
        }
        const { file, at } = message;
        // The worker marked the events whose id came before: the acceptance keeps few ids.
        yield acceptBatch(batch, acceptance, (i) => ({ file, [at]: positions[i] as number }), (i) => isRepeat(packed, i));
      }
    } finally {
      await this.close();
    }
  }

  /** Stops the worker (again, harmlessly, after the batches ran out). */
  async close(): Promise<void> {
    this.closed = true;
    this.stopPump?.();
    try {
      await this.worker.terminate();
    } finally {
      this.sortFolder?.remove();
    }
  }
}
