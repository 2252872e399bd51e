// Invariant: the sources `finish` gives hold every event added, each source in (time, file, position)
// order (a stable sort by time of the events in the order added), while the events held in memory
// never pass the budget by more than one chunk.
import { join } from "node:path";
import { PACKED_INT_STRIDE, PACKED_NUM_STRIDE, PackedEventsBuilder, packedTimeOf, remapSharedRefs } from "../fast/eventCodec.js";
import { RunReader, RunWriter, type RunBlock } from "../io/runFile.js";
import type { Chunk, MergeSource } from "./mergeByTime.js";

/** Events per block of a run, as written and read back. */
const BLOCK = 512;

/** About what a chunk's events take in memory: their slots, their position and file, their one-off strings. */
function bytesOf(chunk: Chunk): number {
  let bytes = chunk.packed.count * (PACKED_INT_STRIDE * 4 + PACKED_NUM_STRIDE * 8 + 8);
  for (const text of chunk.packed.oneOff) bytes += 32 + 2 * text.length;
  return bytes;
}

/**
 * The events of `chunks` in (time, order added) order: the chunk and the index in it of each. A stable
 * sort by time; the ties — the events of one instant — keep the order they were added in.
 */
function sortedOrder(chunks: readonly Chunk[]): { chunkOf: Uint32Array; indexOf: Uint32Array } {
  let total = 0;
  for (const chunk of chunks) total += chunk.packed.count;
  const times = new Float64Array(total);
  const chunkAt = new Uint32Array(total);
  const indexAt = new Uint32Array(total);
  let k = 0;
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c] as Chunk;
    for (let i = 0; i < chunk.packed.count; i++, k++) {
      times[k] = packedTimeOf(chunk.packed, i);
      chunkAt[k] = c;
      indexAt[k] = i;
    }
  }
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
  const chunkOf = new Uint32Array(total);
  const indexOf = new Uint32Array(total);
  for (let i = 0; i < total; i++) {
    const at = order[i] as number;
    chunkOf[i] = chunkAt[at] as number;
    indexOf[i] = indexAt[at] as number;
  }
  return { chunkOf, indexOf };
}

/** Copies events `from` … `to − 1` of a sorted order into one block (its own one-off strings). */
function blockOf(chunks: readonly Chunk[], chunkOf: Uint32Array, indexOf: Uint32Array, from: number, to: number, builder: PackedEventsBuilder): RunBlock {
  const positions = new Int32Array(to - from);
  const files = new Int32Array(to - from);
  for (let k = from; k < to; k++) {
    const chunk = chunks[chunkOf[k] as number] as Chunk;
    const i = indexOf[k] as number;
    builder.copy(chunk.packed, i);
    positions[k - from] = chunk.positions[i] as number;
    files[k - from] = chunk.files === undefined ? chunk.file : (chunk.files[i] as number);
  }
  const packed = builder.finish([], false);
  return { count: packed.count, ints: packed.ints, nums: packed.nums, oneOff: packed.oneOff, positions, files };
}

const chunkOfBlock = (block: RunBlock): Chunk => ({ packed: block, positions: block.positions, file: -1, files: block.files });

/** Another packer's shared table, mapped into this side's (`remapSharedRefs`): the runs of a sort helper. */
export interface TableRemap {
  readonly remap: Int32Array;
  readonly strings: readonly string[];
}

/** A run written to disk, read back a block at a time. */
export class RunFileSource implements MergeSource {
  chunk: Chunk | undefined;
  index = 0;
  private readonly reader: RunReader;

  constructor(
    path: string,
    private readonly table?: TableRemap,
  ) {
    this.reader = new RunReader(path);
    this.next();
  }

  next(): boolean {
    const block = this.reader.next();
    if (block && this.table) remapSharedRefs(block, this.table.remap, this.table.strings);
    this.chunk = block ? chunkOfBlock(block) : undefined;
    this.index = 0;
    return block !== undefined;
  }
}

/** The last run, never written: its sorted order over the chunks still in memory, a block at a time. */
class MemoryRunSource implements MergeSource {
  chunk: Chunk | undefined;
  index = 0;
  private at = 0;
  private readonly builder = new PackedEventsBuilder(BLOCK);

  constructor(
    private chunks: readonly Chunk[],
    private readonly chunkOf: Uint32Array,
    private readonly indexOf: Uint32Array,
  ) {
    this.next();
  }

  next(): boolean {
    const total = this.chunkOf.length;
    this.index = 0;
    if (this.at >= total) {
      this.chunk = undefined;
      this.chunks = [];
      return false;
    }
    const to = Math.min(this.at + BLOCK, total);
    this.chunk = chunkOfBlock(blockOf(this.chunks, this.chunkOf, this.indexOf, this.at, to, this.builder));
    this.at = to;
    return true;
  }
}

/**
 * An external merge sort of packed events by time: chunks are added (in file, then line order) until
 * they hold about `budgetBytes`, then sorted and written as a run to `folder` in the codec's binary
 * form; `finish` gives one merge source per run, the last one still in memory.
 */
export class ExternalSorter {
  private chunks: Chunk[] = [];
  private bytes = 0;
  private readonly runs: string[] = [];
  private readonly builder = new PackedEventsBuilder(BLOCK);
  /** Bytes written to runs so far. */
  written = 0;

  /** `prefix`: of the run files' names, apart from another sorter's in the same folder. */
  constructor(
    private readonly folder: () => string,
    private readonly budgetBytes: number,
    private readonly prefix = "run",
  ) {}

  /** Runs written to disk so far. */
  get spilled(): number {
    return this.runs.length;
  }

  add(chunk: Chunk): void {
    if (chunk.packed.count === 0) return;
    this.chunks.push(chunk);
    this.bytes += bytesOf(chunk);
    if (this.bytes >= this.budgetBytes) this.spill();
  }

  private spill(): void {
    const { chunkOf, indexOf } = sortedOrder(this.chunks);
    const path = join(this.folder(), `${this.prefix}-${String(this.runs.length).padStart(5, "0")}.bin`);
    const writer = new RunWriter(path);
    try {
      for (let from = 0; from < chunkOf.length; from += BLOCK) {
        writer.write(blockOf(this.chunks, chunkOf, indexOf, from, Math.min(from + BLOCK, chunkOf.length), this.builder));
      }
    } finally {
      writer.close();
    }
    this.written += writer.bytes;
    this.runs.push(path);
    this.chunks = [];
    this.bytes = 0;
  }

  /** Every run on disk, the last one written now: their paths, in order (a sort helper's, for another thread). */
  finishToDisk(): string[] {
    if (this.chunks.length > 0) this.spill();
    return [...this.runs];
  }

  /** One merge source per run: those on disk, and the one still in memory. */
  finish(): MergeSource[] {
    const sources: MergeSource[] = this.runs.map((path) => new RunFileSource(path));
    if (this.chunks.length > 0) {
      const { chunkOf, indexOf } = sortedOrder(this.chunks);
      sources.push(new MemoryRunSource(this.chunks, chunkOf, indexOf));
      this.chunks = [];
      this.bytes = 0;
    }
    return sources;
  }
}
