// Invariant: every key appended stays readable at the offset `append` returned until `dropBefore` passes it;
// offsets stay below 2^31 (a LimitError otherwise).
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

  /** The bytes in use, copied (for checkpoints): offsets into them stay valid in an arena made `fromState` of them. */
  toState(): Uint8Array {
    return this.bytes.slice(0, this.used);
  }

  /** Holds the bytes of `state` (from `toState`) instead of its own. */
  fromState(state: Uint8Array): void {
    this.bytes = new Uint8Array(Math.max(1 << 13, state.length * 2));
    this.bytes.set(state);
    this.used = state.length;
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

/** 1 when some unit of `key` is above 0xff (it is stored two bytes a unit), else 0. */
function isWide(key: string): 0 | 1 {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0xff) return 1;
  return 0;
}
