// The event reader's merge (worker thread): the dataset's event files read at once and merged by time
// as they are read, so the scan gets every event in time order whatever the layout — monthly parts,
// a POS export beside them, a late file. A file whose first chunk is in time order is a source of the
// merge as it is read; a file that is not (or that an earlier pass found out of order later on) is read
// whole first and sorted in bounded memory (`ExternalSorter`: runs of `budgetBytes` spilled to the sort
// folder in the codec's binary form). A file that goes back in time after its first chunk stops the
// merge: the scan starts over with that file sorted (`UnorderedFileMessage`).
import type { MessagePort } from "node:worker_threads";
import type { Rejection } from "../core/records.js";
import { markRepeat, packedIdOf, packedTimeOf, PackedEventsBuilder } from "../fast/eventCodec.js";
import { StringSet } from "../fast/StringSet.js";
import type { CollectionFile } from "../io/sources.js";
import { ExternalSorter } from "./externalSort.js";
import { mergeByTime, type Chunk, type MergeOutput, type MergeSource } from "./mergeByTime.js";
import type { BatchMessage, EventWorkerData, PackedBatch } from "./eventWorker.js";

/** How the worker merges: where runs go, the sort's memory, and which files to sort from the start. */
export interface MergeSettings {
  /** The sort folder the main thread made (and removes, whatever happens here). */
  readonly sortFolder: string;
  /** Bytes of events the sort holds in memory before it writes a run. */
  readonly budgetBytes: number;
  /** Indexes (in the worker's files) of files to sort without trying them as they come. */
  readonly sortFiles: readonly number[];
}

/** Posted when file `file` went back in time after its first chunk: the scan starts over, sorting it. */
export interface UnorderedFileMessage {
  readonly type: "unordered";
  readonly file: number;
}

/** Thrown by a file's source when its events go back in time. */
class UnorderedFile extends Error {
  constructor(readonly file: number) {
    super(`event file ${file} is not in time order`);
  }
}

/** What was read besides the events: rejections, records read and strings new to the shared table, until posted. */
class Pending {
  added: string[] = [];
  rejected: Rejection[] = [];
  read = 0;

  collect(batch: PackedBatch): void {
    for (const text of batch.packed.added) this.added.push(text);
    for (const rejection of batch.rejected) this.rejected.push(rejection);
    this.read += batch.read;
  }
}

const chunkOf = (batch: PackedBatch, file: number): Chunk => ({ packed: batch.packed, positions: batch.positions, file });

/** A file in time order, read a chunk at a time as the merge needs it. */
class FileSource implements MergeSource {
  chunk: Chunk | undefined;
  index = 0;
  private last = -Infinity;

  constructor(
    private readonly batches: AsyncIterator<PackedBatch>,
    readonly file: number,
    private readonly pending: Pending,
  ) {}

  async next(): Promise<boolean> {
    this.index = 0;
    for (;;) {
      const step = await this.batches.next();
      if (step.done) {
        this.chunk = undefined;
        return false;
      }
      this.pending.collect(step.value);
      if (step.value.packed.count === 0) continue;
      const chunk = chunkOf(step.value, this.file);
      this.chunk = chunk;
      const { packed } = chunk;
      let last = this.last;
      for (let i = 0; i < packed.count; i++) {
        const time = packedTimeOf(packed, i);
        if (time < last) throw new UnorderedFile(this.file);
        last = time;
      }
      this.last = last;
      return true;
    }
  }

  /** The rest of the file, for the sort. */
  async *rest(): AsyncGenerator<PackedBatch> {
    for (;;) {
      const step = await this.batches.next();
      if (step.done) return;
      yield step.value;
    }
  }
}

/** Events per merged batch posted (when sources interleave; chunks that do not are posted whole). */
const MERGED_BATCH = 512;

/** Posts the merged events in batches, marking repeated ids in merged order, with back-pressure. */
class BatchPoster implements MergeOutput {
  private readonly builder = new PackedEventsBuilder(MERGED_BATCH);
  private positions: number[] = [];
  private files: number[] = [];
  private readonly ids = new StringSet();
  private inFlight = 0;
  private window: number;
  private wake: (() => void) | undefined;

  constructor(
    private readonly port: MessagePort,
    private readonly pending: Pending,
    data: EventWorkerData,
  ) {
    this.window = data.readAhead;
    port.on("message", (message: { type: string }) => {
      if (message.type !== "ack") return;
      this.inFlight--;
      this.window = data.window;
      this.wake?.();
      this.wake = undefined;
    });
  }

  take(chunk: Chunk, from: number, to: number): void {
    const { packed } = chunk;
    if (from === 0 && to === packed.count && this.builder.size === 0 && packed.count >= 64) {
      // A chunk that interleaves with no other source crosses as it was packed, its repeats marked in place.
      const whole = packed as BatchMessage["packed"];
      for (let i = 0; i < whole.count; i++) markRepeat(whole, i, !this.ids.add(packedIdOf(whole, i)));
      const fileIndexes = chunk.files === undefined ? new Int32Array(whole.count).fill(chunk.file) : Int32Array.from(chunk.files);
      this.post({ ...whole, added: [], repeatsMarked: true }, Int32Array.from(chunk.positions), fileIndexes);
      return;
    }
    for (let i = from; i < to; i++) {
      this.builder.copy(packed, i, !this.ids.add(packedIdOf(packed, i)));
      this.positions.push(chunk.positions[i] as number);
      this.files.push(chunk.files === undefined ? chunk.file : (chunk.files[i] as number));
    }
  }

  step(): void | Promise<void> {
    if (this.builder.size >= MERGED_BATCH) this.flush();
    if (this.inFlight >= this.window) return this.drain();
    return undefined;
  }

  private async drain(): Promise<void> {
    while (this.inFlight >= this.window) await new Promise<void>((resolve) => (this.wake = resolve));
  }

  /** Posts what is built, and what was read besides (also with no event: the last rejections). */
  flush(): void {
    if (this.builder.size === 0 && this.pending.read === 0 && this.pending.rejected.length === 0 && this.pending.added.length === 0) return;
    const positions = Int32Array.from(this.positions);
    const files = Int32Array.from(this.files);
    this.positions = [];
    this.files = [];
    this.post(this.builder.finish([], true), positions, files);
  }

  private post(packed: BatchMessage["packed"], positions: Int32Array<ArrayBuffer>, fileIndexes: Int32Array<ArrayBuffer>): void {
    const { pending } = this;
    const message: BatchMessage = {
      type: "batch",
      packed: { ...packed, added: pending.added },
      file: "",
      positions,
      at: "line",
      rejected: pending.rejected,
      read: pending.read,
      fileIndexes,
    };
    pending.added = [];
    pending.rejected = [];
    pending.read = 0;
    this.port.postMessage(message, [packed.ints.buffer, packed.nums.buffer, positions.buffer, fileIndexes.buffer]);
    this.inFlight++;
  }
}

/**
 * Reads the worker's event files merged by time and posts them as batches (then `done`), or posts
 * `unordered` when a file tried as it came goes back in time.
 */
export async function mergeEventFiles(
  port: MessagePort,
  data: EventWorkerData,
  settings: MergeSettings,
  batchesOf: (file: CollectionFile) => AsyncGenerator<PackedBatch>,
): Promise<void> {
  const pending = new Pending();
  const sorter = new ExternalSorter(() => settings.sortFolder, settings.budgetBytes);
  const sources: MergeSource[] = [];
  const sortFrom = async (file: number, batches: AsyncIterable<PackedBatch>): Promise<void> => {
    for await (const batch of batches) {
      pending.collect(batch);
      sorter.add(chunkOf(batch, file));
    }
  };
  for (const [index, file] of data.files.entries()) {
    const batches = batchesOf(file);
    if (settings.sortFiles.includes(index)) {
      await sortFrom(index, batches);
      continue;
    }
    const source = new FileSource(batches, index, pending);
    try {
      if (await source.next()) sources.push(source);
    } catch (error) {
      if (!(error instanceof UnorderedFile)) throw error;
      // Out of order in its first chunk: sorted, that chunk and the rest.
      sorter.add(source.chunk as Chunk);
      await sortFrom(index, source.rest());
    }
  }
  sources.push(...sorter.finish());
  const poster = new BatchPoster(port, pending, data);
  try {
    await mergeByTime(sources, poster);
  } catch (error) {
    if (!(error instanceof UnorderedFile)) throw error;
    port.postMessage({ type: "unordered", file: error.file } satisfies UnorderedFileMessage);
    return;
  }
  poster.flush();
  port.postMessage({ type: "done" });
}
