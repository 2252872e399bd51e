import { LimitError } from "../errors.js";

/**
 * Remembers event ids to reject duplicates. Without a window it remembers every id (a batch must catch
 * every duplicate). With a window — for streams, whose events come in time order — it forgets ids of
 * events older than the newest one minus the window, so memory follows the window, not the stream.
 */
export class DuplicateIds {
  private readonly seen = new Map<string, number>();
  private readonly all = new StringSet();
  // Ids and times in arrival order, as two arrays: a window can hold hundreds of thousands.
  private readonly ids: string[] = [];
  private readonly times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number = Infinity) {}

  /** Records the id; returns false when it was already seen (within the window). */
  add(id: string, at: number): boolean {
    if (this.windowMs === Infinity) {
      // Without a window a set will do, and is cheaper.
      return this.all.add(id);
    }
    this.expire(at - this.windowMs);
    if (this.seen.has(id)) return false;
    this.seen.set(id, at);
    this.ids.push(id);
    this.times.push(at);
    return true;
  }

  private expire(before: number): void {
    while (this.head < this.ids.length && (this.times[this.head] as number) < before) {
      const id = this.ids[this.head] as string;
      if (this.seen.get(id) === this.times[this.head]) this.seen.delete(id);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.ids.length) {
      this.ids.splice(0, this.head);
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** Most code units a `StringSet` stores (its offsets are 32-bit). */
const MAX_CODE_UNITS = 2 ** 31 - 2;

/**
 * A set of strings for millions of fresh ids: open addressing over one Int32Array of (hash, offset + 1)
 * pairs, the keys' UTF-16 code units copied into one growing Uint16Array. An insert touches one slot where
 * a `Set` touches buckets, entries and the key strings, and the set keeps no string alive: the ids of a
 * scan die young instead of being copied from generation to generation by the garbage collector.
 */
export class StringSet {
  private slots = new Int32Array(1 << 11);
  private mask = (1 << 10) - 1;
  /** Each key as its length (two code units: low, high) followed by its code units. */
  private chars = new Uint16Array(1 << 12);
  private used = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `key`; returns false when it was already in the set. */
  add(key: string): boolean {
    const length = key.length;
    // FNV-1a over the UTF-16 code units.
    let hash = 0x811c9dc5 | 0;
    for (let i = 0; i < length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    const slots = this.slots;
    let at = hash & this.mask;
    for (;;) {
      const stored = slots[2 * at + 1] as number;
      if (stored === 0) break;
      if (slots[2 * at] === hash && this.equals(stored - 1, key)) return false;
      at = (at + 1) & this.mask;
    }
    const offset = this.store(key);
    slots[2 * at] = hash;
    slots[2 * at + 1] = offset + 1;
    if (++this.count * 2 > this.mask) this.grow();
    return true;
  }

  /** Whether the key stored at `offset` is `key`. */
  private equals(offset: number, key: string): boolean {
    const chars = this.chars;
    const length = key.length;
    if ((chars[offset] as number) + (chars[offset + 1] as number) * 0x10000 !== length) return false;
    for (let i = 0; i < length; i++) if (chars[offset + 2 + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  /** Copies `key` to the end of the code units; returns where it starts. */
  private store(key: string): number {
    const length = key.length;
    const offset = this.used;
    // Offsets live in an Int32Array: past 2^31 code units (some hundred million ids) they would wrap.
    if (offset + 2 + length > MAX_CODE_UNITS) {
      throw new LimitError(
        "eventIds",
        `the event ids of this scan passed ${MAX_CODE_UNITS} characters; scan the events as a stream (scanStream, --events -), which keeps only recent ids`,
      );
    }
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
