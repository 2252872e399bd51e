// Invariant: `RunReader` gives back exactly the blocks `RunWriter` wrote, in order, each string as
// its own flat string (decoded from its own bytes), never a slice of a longer one. Strings are written
// as their code units (Latin-1 bytes, or UTF-16 when a block has a wider character) with their lengths:
// lone surrogates round-trip too, and reading makes no JSON.parse that would intern millions of ids.
import { closeSync, openSync, readSync, writeSync } from "node:fs";

/** One block of a sorted run: packed events (codec form), with each event's position and file. */
export interface RunBlock {
  readonly count: number;
  readonly ints: Int32Array<ArrayBuffer>;
  readonly nums: Float64Array<ArrayBuffer>;
  readonly oneOff: string[];
  /** Line or index of each event in its file. */
  readonly positions: Int32Array<ArrayBuffer>;
  /** Index of each event's file in the worker's list of files. */
  readonly files: Int32Array<ArrayBuffer>;
}

const HEADER_INTS = 7;

/** A character at or above U+0100: the block's strings are written as UTF-16 (code units, so any string round-trips). */
const WIDE = /[^\u0000-\u00ff]/;

/** Writes a run's blocks to a file, one after another (synchronous: the reader thread waits for the disk, not for promises). */
export class RunWriter {
  private readonly fd: number;
  bytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }

  write(block: RunBlock): void {
    const { oneOff } = block;
    const lengths = new Int32Array(oneOff.length);
    for (let i = 0; i < oneOff.length; i++) lengths[i] = (oneOff[i] as string).length;
    const joined = oneOff.join("");
    // One byte a character when every character is below U+0100 (ids, lots, postal codes), else two.
    const wide = WIDE.test(joined);
    const strings = Buffer.from(joined, wide ? "utf16le" : "latin1");
    const header = Int32Array.of(block.count, block.ints.length, block.nums.length, block.positions.length, block.files.length, oneOff.length, wide ? 1 : 0);
    this.put(header);
    this.put(block.ints.subarray(0, header[1]));
    this.put(block.nums.subarray(0, header[2]));
    this.put(block.positions.subarray(0, header[3]));
    this.put(block.files.subarray(0, header[4]));
    this.put(lengths);
    this.put(strings);
  }

  private put(view: ArrayBufferView): void {
    let done = 0;
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    while (done < bytes.length) done += writeSync(this.fd, bytes, done);
    this.bytes += bytes.length;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Reads back the blocks of a run file in the order written. */
export class RunReader {
  private readonly fd: number;
  private offset = 0;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, "r");
  }

  /** The next block, or undefined at the end (the file is then closed). */
  next(): RunBlock | undefined {
    if (this.closed) return undefined;
    const header = new Int32Array(HEADER_INTS);
    if (this.take(header) === 0) {
      this.close();
      return undefined;
    }
    const [count, ints, nums, positions, files, strings, wide] = header as unknown as [number, number, number, number, number, number, number];
    const block = {
      count,
      ints: new Int32Array(ints),
      nums: new Float64Array(nums),
      positions: new Int32Array(positions),
      files: new Int32Array(files),
    };
    this.take(block.ints);
    this.take(block.nums);
    this.take(block.positions);
    this.take(block.files);
    const lengths = new Int32Array(strings);
    this.take(lengths);
    let chars = 0;
    for (let i = 0; i < strings; i++) chars += lengths[i] as number;
    const unit = wide === 1 ? 2 : 1;
    const text = Buffer.allocUnsafe(chars * unit);
    this.take(text);
    // Each string decoded from its own bytes: a flat string, not a slice that would keep the block's text alive.
    const encoding = wide === 1 ? "utf16le" : "latin1";
    const oneOff = new Array<string>(strings);
    for (let i = 0, at = 0; i < strings; i++) {
      const end = at + (lengths[i] as number) * unit;
      oneOff[i] = text.toString(encoding, at, end);
      at = end;
    }
    return { ...block, oneOff };
  }

  /** Fills `view` from the file; the bytes read (0 at the end of the file). */
  private take(view: ArrayBufferView): number {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(this.fd, bytes, done, bytes.length - done, this.offset);
      if (n === 0) break;
      done += n;
      this.offset += n;
    }
    if (done !== 0 && done !== bytes.length) throw new Error(`${this.path}: the run file ends inside a block`);
    return done;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
