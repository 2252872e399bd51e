import { LimitError } from "../core/errors.js";

/** Most bytes a `CharArena` stores (its offsets are 32-bit). */
const MAX_BYTES = 2 ** 31 - 2;

/**
 * Strings kept in one growing byte array: each as a 4-byte header (its length, and whether it is wide)
 * followed by its UTF-16 code units, one byte each when all are below 256 (ids and codes nearly always
 * are), else two. Millions of keys cost the garbage collector nothing — no live strings to copy from
 * generation to generation — and stay off V8's heap.
 */
export class CharArena {
  private bytes = new Uint8Array(1 << 13);
  private used = 0;

  /** `full` makes the error thrown when the arena would pass its 32-bit limit (some hundred million keys). */
  constructor(private readonly full: () => Error) {}

  /** Copies `key` to the end; returns where it starts. */
  append(key: string): number {
    const length = key.length;
    const offset = this.used;
    // Room for the wide form; offsets live in Int32Arrays: past 2^31 bytes they would wrap.
    if (offset + 4 + 2 * length > MAX_BYTES) throw this.full();
    if (offset + 4 + 2 * length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, offset + 4 + 2 * length));
      grown.set(this.bytes.subarray(0, offset));
      this.bytes = grown;
    }
    // One pass for the usual narrow key; a wide unit starts it over in the wide form.
    const bytes = this.bytes;
    const start = offset + 4;
    let wide: 0 | 1 = 0;
    for (let i = 0; i < length; i++) {
      const unit = key.charCodeAt(i);
      if (unit > 0xff) {
        wide = 1;
        break;
      }
      bytes[start + i] = unit;
    }
    if (wide) this.writeUnits(start, key, 1);
    this.writeHeader(offset, length, wide);
    this.used = start + (wide + 1) * length;
    return offset;
  }

  /** Stores `key` over the key at `offset` when it takes exactly as many bytes; false (nothing changed) otherwise. */
  overwrite(offset: number, key: string): boolean {
    const wide = isWide(key);
    if (4 + (wide + 1) * key.length !== this.sizeAt(offset)) return false;
    this.writeUnits(offset + 4, key, wide);
    this.writeHeader(offset, key.length, wide);
    return true;
  }

  /** Writes the units of `key` from `start`, one byte each or (wide) two, low byte first. */
  private writeUnits(start: number, key: string, wide: 0 | 1): void {
    const bytes = this.bytes;
    if (wide) {
      for (let i = 0; i < key.length; i++) {
        const unit = key.charCodeAt(i);
        bytes[start + 2 * i] = unit & 0xff;
        bytes[start + 2 * i + 1] = unit >>> 8;
      }
    } else {
      for (let i = 0; i < key.length; i++) bytes[start + i] = key.charCodeAt(i);
    }
  }

  /** Writes the 4-byte header at `offset`: length × 2, plus 1 when wide, low byte first. */
  private writeHeader(offset: number, length: number, wide: 0 | 1): void {
    const header = length * 2 + wide;
    const bytes = this.bytes;
    bytes[offset] = header & 0xff;
    bytes[offset + 1] = (header >>> 8) & 0xff;
    bytes[offset + 2] = (header >>> 16) & 0xff;
    bytes[offset + 3] = header >>> 24;
  }

  /** The header at `offset`: length × 2, plus 1 when wide. */
  private header(offset: number): number {
    const bytes = this.bytes;
    return (bytes[offset] as number) | ((bytes[offset + 1] as number) << 8) | ((bytes[offset + 2] as number) << 16) | ((bytes[offset + 3] as number) << 24);
  }

  /** Whether the key stored at `offset` is `key`. */
  equals(offset: number, key: string): boolean {
    const header = this.header(offset);
    const length = key.length;
    if (header >>> 1 !== length) return false;
    const bytes = this.bytes;
    const start = offset + 4;
    if ((header & 1) === 0) {
      // A unit above 0xff in `key` never equals a byte.
      for (let i = 0; i < length; i++) if (bytes[start + i] !== key.charCodeAt(i)) return false;
    } else {
      for (let i = 0; i < length; i++) if (((bytes[start + 2 * i] as number) | ((bytes[start + 2 * i + 1] as number) << 8)) !== key.charCodeAt(i)) return false;
    }
    return true;
  }

  /** Drops every key stored before `offset` (the next ones move down); returns by how much offsets moved. */
  dropBefore(offset: number): number {
    this.bytes.copyWithin(0, offset, this.used);
    this.used -= offset;
    // Give back what a burst took: keep twice what is left.
    if (this.bytes.length > 1 << 16 && this.used * 4 < this.bytes.length) this.bytes = this.bytes.slice(0, Math.max(this.used * 2, 1 << 13));
    return offset;
  }

  /** The bytes the key at `offset` takes, header included. */
  sizeAt(offset: number): number {
    const header = this.header(offset);
    return 4 + ((header & 1) + 1) * (header >>> 1);
  }

  /** Copies the key at `offset` to the end of `target`; returns where it starts there. */
  copyTo(offset: number, target: CharArena): number {
    return target.appendBytes(this.bytes.subarray(offset, offset + this.sizeAt(offset)));
  }

  private appendBytes(entry: Uint8Array): number {
    const offset = this.used;
    if (offset + entry.length > MAX_BYTES) throw this.full();
    if (offset + entry.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, offset + entry.length));
      grown.set(this.bytes.subarray(0, offset));
      this.bytes = grown;
    }
    this.bytes.set(entry, offset);
    this.used = offset + entry.length;
    return offset;
  }

  /** Bytes in use. */
  get size(): number {
    return this.used;
  }

  /** The key stored at `offset`. */
  read(offset: number): string {
    const header = this.header(offset);
    const length = header >>> 1;
    const start = offset + 4;
    let units: Uint8Array | Uint16Array = this.bytes.subarray(start, start + length);
    if ((header & 1) === 1) {
      // Stored low byte first whatever the machine's byte order.
      units = new Uint16Array(length);
      for (let i = 0; i < length; i++) units[i] = (this.bytes[start + 2 * i] as number) | ((this.bytes[start + 2 * i + 1] as number) << 8);
    }
    let text = "";
    // In slices: String.fromCharCode takes its units as arguments.
    for (let from = 0; from < length; from += 8192) text += String.fromCharCode(...units.subarray(from, Math.min(length, from + 8192)));
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
    if (++this.count * 2 > this.mask) this.grow();
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

/** 1 when some unit of `key` is above 0xff (it is stored two bytes a unit), else 0. */
function isWide(key: string): 0 | 1 {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0xff) return 1;
  return 0;
}

/** FNV-1a over the UTF-16 code units. */
export function hashOf(key: string): number {
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
        `the event ids of this scan passed 2 GiB; scan the events as a stream (scanStream, --events -), which keeps only recent ids`,
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

  /** Whether `key` is in the set. */
  has(key: string): boolean {
    return this.index.find(key) >= 0;
  }
}
