// Invariant: `RunReader` gives back exactly the blocks `RunWriter` wrote, in order, each string as
// its own flat string (JSON.parse makes each), never a slice of a longer one.
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

const HEADER_INTS = 6;

/** Writes a run's blocks to a file, one after another (synchronous: the reader thread waits for the disk, not for promises). */
export class RunWriter {
  private readonly fd: number;
  bytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }

  write(block: RunBlock): void {
    const strings = Buffer.from(JSON.stringify(block.oneOff), "utf8");
    const header = Int32Array.of(block.count, block.ints.length, block.nums.length, block.positions.length, block.files.length, strings.length);
    this.put(header);
    this.put(block.ints.subarray(0, header[1]));
    this.put(block.nums.subarray(0, header[2]));
    this.put(block.positions.subarray(0, header[3]));
    this.put(block.files.subarray(0, header[4]));
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
    const [count, ints, nums, positions, files, strings] = header as unknown as [number, number, number, number, number, number];
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
    const text = Buffer.allocUnsafe(strings);
    this.take(text);
    return { ...block, oneOff: JSON.parse(text.toString("utf8")) as string[] };
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
