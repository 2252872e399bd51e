// Invariant: the events come out in (occurredAt, file, line or index) order — the order of a stable sort
// by time of every file's events in file order — whatever the sources' sizes and how their events
// interleave, provided each source holds its events in that order (a file in time order, a sorted run).
import { PACKED_NUM_STRIDE, packedTimeOf, type PackedEvents } from "../fast/eventCodec.js";

/** A batch of packed events a merge source holds, in (time, file, position) order. */
export interface Chunk {
  readonly packed: Pick<PackedEvents, "count" | "ints" | "nums" | "oneOff">;
  /** Line or index of each event in its file. */
  readonly positions: ArrayLike<number>;
  /** Index of the file of every event (a chunk read from one file)… */
  readonly file: number;
  /** …or of each event (a chunk of a sorted run). */
  readonly files?: ArrayLike<number> | undefined;
}

/** Where a merge takes events from: the chunk it is at, and how to get the next one. */
export interface MergeSource {
  chunk: Chunk | undefined;
  index: number;
  /** Loads the next chunk into `chunk` (index 0); false at the end. */
  next(): boolean | Promise<boolean>;
}

/** Where a merge puts events: ranges of the sources' chunks, in merged order. */
export interface MergeOutput {
  /** Takes events `from` … `to − 1` of `chunk`, which stays the source's until `to` is its end. */
  take(chunk: Chunk, from: number, to: number): void;
  /** Called after each step of the merge: a chance to pass full batches on (and wait for the consumer). */
  step(): void | Promise<void>;
}

const fileOf = (chunk: Chunk, i: number): number => (chunk.files === undefined ? chunk.file : (chunk.files[i] as number));

/** Whether event `i` of `a` comes before event `j` of `b`: by time, then file, then position. */
function before(a: Chunk, i: number, b: Chunk, j: number): boolean {
  const ta = packedTimeOf(a.packed, i);
  const tb = packedTimeOf(b.packed, j);
  if (ta !== tb) return ta < tb;
  const fa = fileOf(a, i);
  const fb = fileOf(b, j);
  if (fa !== fb) return fa < fb;
  return (a.positions[i] as number) < (b.positions[j] as number);
}

/** Whether source `a`'s next event comes before source `b`'s. */
const ahead = (a: MergeSource, b: MergeSource): boolean => before(a.chunk as Chunk, a.index, b.chunk as Chunk, b.index);

/** Moves the source at `at` down the heap until neither child is ahead of it. */
function siftDown(heap: MergeSource[], at: number): void {
  const n = heap.length;
  const source = heap[at] as MergeSource;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= n) break;
    if (child + 1 < n && ahead(heap[child + 1] as MergeSource, heap[child] as MergeSource)) child++;
    if (!ahead(heap[child] as MergeSource, source)) break;
    heap[at] = heap[child] as MergeSource;
    at = child;
  }
  heap[at] = source;
}

/**
 * Merges sources whose events are each in (time, file, position) order into `out`, in that order
 * overall: a k-way merge over a heap of the sources by their next event, that takes from the earliest
 * source, in one step, every event before the next earliest source's next — a whole chunk when sources
 * do not interleave (parts that follow each other). The order is total (no two events share a file and
 * position), so the result does not depend on how the heap breaks ties.
 */
export async function mergeByTime(sources: readonly MergeSource[], out: MergeOutput): Promise<void> {
  const heap = sources.filter((source) => source.chunk !== undefined && source.index < source.chunk.packed.count);
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
  while (heap.length > 0) {
    const source = heap[0] as MergeSource;
    // The next earliest source is the root's earlier child.
    const other = heap.length < 2 ? undefined : heap.length > 2 && ahead(heap[2] as MergeSource, heap[1] as MergeSource) ? heap[2] : heap[1];
    const chunk = source.chunk as Chunk;
    const count = chunk.packed.count;
    let end = count;
    if (other !== undefined) {
      const next = other.chunk as Chunk;
      const at = other.index;
      // The whole rest of the chunk when its last event comes before the other source's next.
      if (!before(chunk, count - 1, next, at)) {
        // Events earlier than the other's next come before it whatever their file; ties go by `before`.
        const limit = packedTimeOf(next.packed, at);
        const nums = chunk.packed.nums;
        end = source.index + 1;
        while (end < count && (nums[end * PACKED_NUM_STRIDE] as number) < limit) end++;
        while (end < count && before(chunk, end, next, at)) end++;
      }
    }
    out.take(chunk, source.index, end);
    source.index = end;
    if (end === count) {
      let more = source.next();
      if (typeof more !== "boolean") more = await more;
      if (!more) {
        const last = heap.pop() as MergeSource;
        if (heap.length > 0) heap[0] = last;
      }
    }
    if (heap.length > 0) siftDown(heap, 0);
    const stepped = out.step();
    if (stepped !== undefined) await stepped;
  }
}
