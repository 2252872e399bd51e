// The event reader's merge (worker thread): the dataset's event files read at once and merged by time
// as they are read, so the scan gets every event in time order whatever the layout — monthly parts,
// a POS export beside them, a late file. A file whose first chunk is in time order is a source of the
// merge as it is read; a file that is not (or that an earlier pass found out of order later on) is read
// whole first and sorted in bounded memory (`ExternalSorter`: runs of `budgetBytes` spilled to the sort
// folder in the codec's binary form). Several big files to sort are shared with a sort helper thread
// (`sortForReader`), so both cores read while nothing can be scanned yet; its runs come back with its
// packer's table, mapped into this one's. A file that goes back in time after its first chunk stops the
// merge: the scan starts over with that file sorted (`UnorderedFileMessage`).
import type { MessagePort } from "node:worker_threads";
import type { Rejection } from "../core/records.js";
import { statSync } from "node:fs";
import { markRepeat, packedIdOf, packedTimeOf, PackedEventsBuilder, type EventPacker } from "../fast/eventCodec.js";
import { StringSet } from "../fast/StringSet.js";
import type { CollectionFile } from "../io/sources.js";
import { ExternalSorter, RunFileSource } from "./externalSort.js";
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
  /**
   * Bytes on disk from which two or more files to sort are shared with a sort helper (a second worker
   * reading and sorting some of them meanwhile, each side with half the budget); absent: never.
   */
  readonly helperFromBytes?: number;
}

/** What a sort helper is told: the files it sorts (indexes in the reader's files, in increasing order). */
export interface SortHelperSettings {
  readonly sortFolder: string;
  readonly budgetBytes: number;
  readonly fileIndexes: readonly number[];
}

/** What a sort helper posts when done: its runs on disk, its packer's table, and what it read besides. */
export interface SortedMessage {
  readonly type: "sorted";
  readonly runs: readonly string[];
  readonly table: readonly string[];
  readonly rejected: Rejection[];
  readonly read: number;
}

/** Starts a sort helper on some files; its answer, or its error. */
export type StartSortHelper = (settings: SortHelperSettings) => Promise<SortedMessage>;

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

  /** Takes what `other` holds. */
  absorb(other: Pending): void {
    for (const text of other.added) this.added.push(text);
    for (const rejection of other.rejected) this.rejected.push(rejection);
    this.read += other.read;
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
    /** Where what is read besides the events goes (a scratch one for the first chunk, which may be read again). */
    public pending: Pending,
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
 * `unordered` when a file tried as it came goes back in time. Files out of order in their first chunk
 * (and `sortFiles`) are sorted first — shared with a sort helper when they are big enough — and merged
 * back with the files read as they come.
 */
export async function mergeEventFiles(
  port: MessagePort,
  data: EventWorkerData,
  settings: MergeSettings,
  packer: EventPacker,
  batchesOf: (file: CollectionFile) => AsyncGenerator<PackedBatch>,
  startHelper: StartSortHelper,
): Promise<void> {
  const pending = new Pending();
  const sources: MergeSource[] = [];
  const toSort: number[] = [];
  for (const [index, file] of data.files.entries()) {
    if (settings.sortFiles.includes(index)) {
      toSort.push(index);
      continue;
    }
    const batches = batchesOf(file);
    const first = new Pending();
    const source = new FileSource(batches, index, first);
    try {
      const some = await source.next();
      pending.absorb(first);
      source.pending = pending;
      if (some) sources.push(source);
    } catch (error) {
      if (!(error instanceof UnorderedFile)) throw error;
      // Out of order in its first chunk: sorted from the start, that chunk read again. The strings it
      // added to the table stay there, so they still go to the scan.
      pending.added.push(...first.added);
      await batches.return(undefined);
      toSort.push(index);
    }
  }
  const { local, helped } = shareSort(toSort, data.files, settings.helperFromBytes);
  const budget = helped.length > 0 ? Math.floor(settings.budgetBytes / 2) : settings.budgetBytes;
  const helper = helped.length > 0 ? startHelper({ sortFolder: settings.sortFolder, budgetBytes: budget, fileIndexes: helped }) : undefined;
  // Its failure is thrown when awaited below; until then it must not count as unhandled.
  helper?.catch(() => undefined);
  const sorter = new ExternalSorter(() => settings.sortFolder, budget);
  for (const index of local) {
    for await (const batch of batchesOf(data.files[index] as CollectionFile)) {
      pending.collect(batch);
      sorter.add(chunkOf(batch, index));
    }
  }
  sources.push(...sorter.finish());
  if (helper) {
    const sorted = await helper;
    for (const rejection of sorted.rejected) pending.rejected.push(rejection);
    pending.read += sorted.read;
    // The helper's runs reference its own table: each of its strings is given this packer's index.
    const table = { remap: Int32Array.from(sorted.table, (text) => packer.intern(text)), strings: sorted.table };
    pending.added.push(...packer.takeAdded());
    for (const path of sorted.runs) sources.push(new RunFileSource(path, table));
  }
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

/**
 * The files to sort, shared between this thread and a helper when two or more come to `fromBytes` on
 * disk: the biggest first, each to the side with fewer bytes so far; each side in file order (a run's
 * events of one instant are in the order added, which must be file order).
 */
export function shareSort(
  toSort: readonly number[],
  files: readonly CollectionFile[],
  fromBytes: number | undefined,
): { local: number[]; helped: number[] } {
  const sizes = new Map(toSort.map((index) => [index, sizeOf(files[index] as CollectionFile)]));
  let total = 0;
  for (const size of sizes.values()) total += size;
  if (fromBytes === undefined || toSort.length < 2 || total < fromBytes) return { local: [...toSort], helped: [] };
  const local: number[] = [];
  const helped: number[] = [];
  let localBytes = 0;
  let helpedBytes = 0;
  for (const index of [...toSort].sort((a, b) => (sizes.get(b) as number) - (sizes.get(a) as number) || a - b)) {
    const size = sizes.get(index) as number;
    if (localBytes <= helpedBytes) {
      local.push(index);
      localBytes += size;
    } else {
      helped.push(index);
      helpedBytes += size;
    }
  }
  return { local: local.sort((a, b) => a - b), helped: helped.sort((a, b) => a - b) };
}

function sizeOf(file: CollectionFile): number {
  try {
    return statSync(file.path).size;
  } catch {
    // Unreadable: its reading says so; for sharing, it weighs nothing.
    return 0;
  }
}

/**
 * A sort helper's work (a second worker thread, started by the reader's when several files must be
 * sorted): reads its files, sorts them into runs in the sort folder (all on disk: memory does not cross
 * threads) and posts them with its packer's table and what it read besides.
 */
export async function sortForReader(
  port: MessagePort,
  files: readonly CollectionFile[],
  settings: SortHelperSettings,
  packer: EventPacker,
  batchesOf: (file: CollectionFile) => AsyncGenerator<PackedBatch>,
): Promise<void> {
  const sorter = new ExternalSorter(() => settings.sortFolder, settings.budgetBytes, "helper-run");
  const rejected: Rejection[] = [];
  let read = 0;
  for (const index of settings.fileIndexes) {
    for await (const batch of batchesOf(files[index] as CollectionFile)) {
      for (const rejection of batch.rejected) rejected.push(rejection);
      read += batch.read;
      sorter.add(chunkOf(batch, index));
    }
  }
  const runs = sorter.finishToDisk();
  port.postMessage({ type: "sorted", runs, table: packer.tableStrings(), rejected, read } satisfies SortedMessage);
}
