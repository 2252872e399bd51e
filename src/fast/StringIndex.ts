// Invariant: the table is at most three quarters full, and each key keeps the number it was first given.
import { CharArena } from "./CharArena.js";
import { hashOf } from "./hashOf.js";

/** The keys of a `StringIndex` as bytes of its arena, and where each starts, by number. */
export interface StringIndexState {
  readonly arena: Uint8Array;
  readonly starts: Int32Array;
}

/**
 * The most keys a table of `capacity` slots holds: three quarters. Linear probing stays short there, and
 * against half full the table of ten million ids takes 128 MB instead of 256 (and 192 MB instead of 384
 * while it doubles).
 */
const fullAt = (capacity: number): number => (capacity >>> 2) * 3;

/**
 * Strings numbered 0, 1, 2… in the order first seen, for millions of keys: open addressing over one
 * Int32Array of (hash, number + 1) pairs, the keys in a `CharArena`. An insert touches one slot where a
 * `Map` touches buckets, entries and the key strings, and no key string is kept alive.
 */
export class StringIndex {
  private slots = new Int32Array(1 << 11);
  private mask = (1 << 10) - 1;
  /** Where each key starts in the arena, by number. */
  private starts = new Int32Array(1 << 10);
  private count = 0;
  private readonly arena: CharArena;

  constructor(full: () => Error) {
    this.arena = new CharArena(full);
  }

  get size(): number {
    return this.count;
  }

  /** The number of `key`, numbering it next when new. */
  intern(key: string): number {
    const hash = hashOf(key);
    const at = this.slotOf(key, hash);
    const slots = this.slots;
    const stored = slots[2 * at + 1] as number;
    if (stored !== 0) return stored - 1;
    const number = this.count;
    if (number === this.starts.length) {
      const starts = new Int32Array(number * 2);
      starts.set(this.starts);
      this.starts = starts;
    }
    this.starts[number] = this.arena.append(key);
    slots[2 * at] = hash;
    slots[2 * at + 1] = number + 1;
    if (++this.count > fullAt(this.mask + 1)) this.grow();
    return number;
  }

  /** The number of `key`, or −1 when it was never interned. */
  find(key: string): number {
    return (this.slots[2 * this.slotOf(key, hashOf(key)) + 1] as number) - 1;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  private slotOf(key: string, hash: number): number {
    const slots = this.slots;
    let at = hash & this.mask;
    for (;;) {
      const stored = slots[2 * at + 1] as number;
      if (stored === 0 || (slots[2 * at] === hash && this.arena.equals(this.starts[stored - 1] as number, key))) return at;
      at = (at + 1) & this.mask;
    }
  }

  /** The key numbered `number`. */
  keyAt(number: number): string {
    return this.arena.read(this.starts[number] as number);
  }

  /** The keys as bytes and where each starts, by number (for checkpoints; no string made per key). */
  toState(): StringIndexState {
    return { arena: this.arena.toState(), starts: this.starts.slice(0, this.count) };
  }

  /** Holds the keys of `state` (from `toState`) with the same numbers, instead of its own. */
  fromState(state: StringIndexState): void {
    this.arena.fromState(state.arena);
    const count = state.starts.length;
    let starts = 1 << 10;
    while (starts <= count) starts *= 2;
    this.starts = new Int32Array(starts);
    this.starts.set(state.starts);
    this.count = count;
    // The table at most three quarters full, as `intern` keeps it, each key placed again by its hash.
    let capacity = 1 << 10;
    while (count > fullAt(capacity)) capacity *= 2;
    const slots = new Int32Array(capacity * 2);
    const mask = capacity - 1;
    for (let number = 0; number < count; number++) {
      const hash = hashOf(this.arena.read(state.starts[number] as number));
      let at = hash & mask;
      while (slots[2 * at + 1] !== 0) at = (at + 1) & mask;
      slots[2 * at] = hash;
      slots[2 * at + 1] = number + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Doubles the table (kept at most three quarters full), placing each stored hash again. */
  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    const slots = new Int32Array(capacity * 2);
    const mask = capacity - 1;
    for (let s = 0; s < old.length; s += 2) {
      const stored = old[s + 1] as number;
      if (stored === 0) continue;
      const hash = old[s] as number;
      let at = hash & mask;
      while (slots[2 * at + 1] !== 0) at = (at + 1) & mask;
      slots[2 * at] = hash;
      slots[2 * at + 1] = stored;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
