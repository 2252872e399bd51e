import { LimitError } from "../errors.js";

/** Most code units a `CharArena` stores (its offsets are 32-bit). */
const MAX_CODE_UNITS = 2 ** 31 - 2;

/**
 * Strings kept as UTF-16 code units in one growing typed array, each as its length (two code units:
 * low, high) and its units: millions of keys cost the garbage collector nothing — no live strings to
 * copy from generation to generation — and stay off V8's heap.
 */
export class CharArena {
  private chars = new Uint16Array(1 << 12);
  private used = 0;

  /** `full` makes the error thrown when the arena would pass its 32-bit limit (some hundred million keys). */
  constructor(private readonly full: () => Error) {}

  /** Copies `key` to the end; returns where it starts. */
  append(key: string): number {
    const length = key.length;
    const offset = this.used;
    // Offsets live in Int32Arrays: past 2^31 code units they would wrap.
    if (offset + 2 + length > MAX_CODE_UNITS) throw this.full();
    if (offset + 2 + length > this.chars.length) {
      const grown = new Uint16Array(Math.max(this.chars.length * 2, offset + 2 + length));
      grown.set(this.chars.subarray(0, offset));
      this.chars = grown;
    }
    const chars = this.chars;
    chars[offset] = length & 0xffff;
    chars[offset + 1] = length >>> 16;
    for (let i = 0; i < length; i++) chars[offset + 2 + i] = key.charCodeAt(i);
    this.used = offset + 2 + length;
    return offset;
  }

  /** Whether the key stored at `offset` is `key`. */
  equals(offset: number, key: string): boolean {
    const chars = this.chars;
    const length = key.length;
    if ((chars[offset] as number) + (chars[offset + 1] as number) * 0x10000 !== length) return false;
    for (let i = 0; i < length; i++) if (chars[offset + 2 + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  /** The key stored at `offset`. */
  read(offset: number): string {
    const chars = this.chars;
    const length = (chars[offset] as number) + (chars[offset + 1] as number) * 0x10000;
    let text = "";
    // In slices: String.fromCharCode takes its units as arguments.
    for (let from = offset + 2, end = from + length; from < end; from += 8192) {
      text += String.fromCharCode(...chars.subarray(from, Math.min(end, from + 8192)));
    }
    return text;
  }
}

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
    const slots = this.slots;
    let at = hash & this.mask;
    for (;;) {
      const stored = slots[2 * at + 1] as number;
      if (stored === 0) break;
      if (slots[2 * at] === hash && this.arena.equals(this.starts[stored - 1] as number, key)) return stored - 1;
      at = (at + 1) & this.mask;
    }
    const number = this.count;
    if (number === this.starts.length) {
      const starts = new Int32Array(number * 2);
      starts.set(this.starts);
      this.starts = starts;
    }
    this.starts[number] = this.arena.append(key);
    slots[2 * at] = hash;
    slots[2 * at + 1] = number + 1;
    if (++this.count * 2 > this.mask) this.grow();
    return number;
  }

  /** The number of `key`, or −1 when it was never interned. */
  find(key: string): number {
    const hash = hashOf(key);
    const slots = this.slots;
    let at = hash & this.mask;
    for (;;) {
      const stored = slots[2 * at + 1] as number;
      if (stored === 0) return -1;
      if (slots[2 * at] === hash && this.arena.equals(this.starts[stored - 1] as number, key)) return stored - 1;
      at = (at + 1) & this.mask;
    }
  }

  /** The key numbered `number`. */
  keyAt(number: number): string {
    return this.arena.read(this.starts[number] as number);
  }

  /** Doubles the table (kept at most half full), placing each stored hash again. */
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

/** FNV-1a over the UTF-16 code units. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash;
}

/** A set of strings for millions of fresh ids (a `StringIndex` that only tells new from seen). */
export class StringSet {
  private readonly index = new StringIndex(
    () =>
      new LimitError(
        "eventIds",
        `the event ids of this scan passed ${MAX_CODE_UNITS} characters; scan the events as a stream (scanStream, --events -), which keeps only recent ids`,
      ),
  );

  get size(): number {
    return this.index.size;
  }

  /** Adds `key`; returns false when it was already in the set. */
  add(key: string): boolean {
    const before = this.index.size;
    return this.index.intern(key) === before;
  }
}
