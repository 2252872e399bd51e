// Invariant: the ring holds the ids added since the last `expire`, oldest first, each once, and the table
// maps each to its ring position (no tombstones: deletion shifts entries back).
import { LimitError } from "../core/errors.js";
import { CharArena } from "./CharArena.js";
import { hashOf } from "./hashOf.js";
import { unrollRing } from "./unrollRing.js";

/** The ids of a `RecentIds`, oldest first, and when each was added. */
export interface RecentIdsState {
  readonly times: Float64Array;
  readonly ids: readonly string[];
}

/**
 * The ids of a window of events, in arrival order, off V8's heap: a ring of (time, hash, where the id
 * starts) over a `CharArena` whose front is dropped as ids expire, and an open-addressing table of ring
 * positions (deletion by backward shift, so no tombstones). A window of a day holds tens of thousands of
 * ids that would otherwise live just long enough to be copied to the old generation and die there.
 */
export class RecentIds {
  private times = new Float64Array(1 << 10);
  private hashes = new Int32Array(1 << 10);
  private starts = new Int32Array(1 << 10);
  private head = 0;
  private count = 0;
  /** Ring position + 1 of each id, by hash; 0 is empty. Twice the ring's size: at most half full. */
  private slots = new Int32Array(1 << 11);
  private readonly arena = new CharArena(
    () => new LimitError("eventIds", "the event ids of one duplicate window passed 2 GiB; lower duplicateWindowDays"),
  );

  /** Adds `id` at `at`; false when it is in the window already. */
  add(id: string, at: number): boolean {
    const hash = hashOf(id);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const stored = this.slots[slot] as number;
      if (stored === 0) break;
      if (this.hashes[stored - 1] === hash && this.arena.equals(this.starts[stored - 1] as number, id)) return false;
      slot = (slot + 1) & mask;
    }
    if (this.count === this.times.length) {
      this.resize(this.times.length * 2);
      return this.add(id, at);
    }
    const position = (this.head + this.count) & (this.times.length - 1);
    this.times[position] = at;
    this.hashes[position] = hash;
    this.starts[position] = this.arena.append(id);
    this.slots[slot] = position + 1;
    this.count++;
    return true;
  }

  /** The ids in the window, oldest first, with the time each was added at (for checkpoints). */
  toState(): RecentIdsState {
    const mask = this.times.length - 1;
    const times = new Float64Array(this.count);
    const ids: string[] = new Array(this.count);
    for (let k = 0; k < this.count; k++) {
      const position = (this.head + k) & mask;
      times[k] = this.times[position] as number;
      ids[k] = this.arena.read(this.starts[position] as number);
    }
    return { times, ids };
  }

  /** A window holding the ids of `state` (from `toState`), in the same order. */
  static fromState(state: RecentIdsState): RecentIds {
    const recent = new RecentIds();
    for (let k = 0; k < state.ids.length; k++) recent.add(state.ids[k] as string, state.times[k] as number);
    return recent;
  }

  /** Forgets the ids added before `before`. */
  expire(before: number): void {
    const ringMask = this.times.length - 1;
    while (this.count > 0 && (this.times[this.head] as number) < before) {
      this.remove(this.head);
      this.head = (this.head + 1) & ringMask;
      this.count--;
    }
    // After a burst, give the memory back (the ring and table at a quarter full halve).
    if (this.times.length > 1 << 10 && this.count * 4 < this.times.length) this.resize(this.times.length / 2);
    // The arena's front holds expired ids only: drop it once it is most of the arena.
    const live = this.count === 0 ? this.arena.size : (this.starts[this.head] as number);
    if (live > 1 << 16 && live * 2 > this.arena.size) {
      const shift = this.arena.dropBefore(live);
      const mask = this.times.length - 1;
      for (let k = 0; k < this.count; k++) {
        const position = (this.head + k) & mask;
        this.starts[position] = (this.starts[position] as number) - shift;
      }
    }
  }

  /** Takes ring position `position` out of the table, shifting back the entries its removal would strand. */
  private remove(position: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let hole = (this.hashes[position] as number) & mask;
    while (slots[hole] !== position + 1) hole = (hole + 1) & mask;
    let next = hole;
    for (;;) {
      next = (next + 1) & mask;
      const stored = slots[next] as number;
      if (stored === 0) break;
      const home = (this.hashes[stored - 1] as number) & mask;
      // The entry at `next` may move into the hole unless its home lies cyclically in (hole, next].
      const stays = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (!stays) {
        slots[hole] = stored;
        hole = next;
      }
    }
    slots[hole] = 0;
  }

  /** Moves the ring to `capacity` positions (oldest first at 0) and rebuilds the table at twice that. */
  private resize(capacity: number): void {
    this.times = unrollRing(this.times, this.head, this.count, capacity);
    this.hashes = unrollRing(this.hashes, this.head, this.count, capacity);
    this.starts = unrollRing(this.starts, this.head, this.count, capacity);
    this.head = 0;
    this.rebuild(capacity * 2);
  }

  /** Places every id of the ring again in a table of `size` slots. */
  private rebuild(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    const ringMask = this.times.length - 1;
    for (let k = 0; k < this.count; k++) {
      const position = (this.head + k) & ringMask;
      let at = (this.hashes[position] as number) & mask;
      while (slots[at] !== 0) at = (at + 1) & mask;
      slots[at] = position + 1;
    }
    this.slots = slots;
  }
}
