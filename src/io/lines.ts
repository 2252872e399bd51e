import { createReadStream } from "node:fs";

/** One line of a text stream, numbered from 1, or a line that was too long to keep. */
export type TextLine =
  | { readonly line: number; readonly text: string }
  | { readonly line: number; readonly tooLong: true };

/**
 * Splits a byte stream into lines (LF or CRLF), dropping a leading BOM. A line longer than
 * `maxLineBytes` is not buffered: it is reported as too long and skipped up to its end.
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<TextLine> {
  for await (const batch of splitLineBatches(chunks, maxLineBytes)) yield* batch;
}

/**
 * `splitLines`, one batch of lines per chunk read: crossing an async boundary once per chunk rather
 * than once per line is what keeps reading close to the cost of parsing. Each line is its bytes
 * decoded as UTF-8 (`splitByteLineBatches`, `decodeLine`); string chunks are read as their UTF-8 bytes.
 */
export async function* splitLineBatches(
  chunks: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<TextLine[]> {
  for await (const lines of splitByteLineBatches(utf8Chunks(chunks), maxLineBytes)) {
    const batch: TextLine[] = new Array(lines.numbers.length);
    for (let i = 0; i < batch.length; i++) batch[i] = decodeLine(lines, i);
    yield batch;
  }
}

/**
 * String chunks as their UTF-8 bytes, byte chunks as they are. A high surrogate that ends a string
 * chunk waits for the next one, so a character cut between two chunks stays one character (a lone
 * surrogate, which no decoded text holds, becomes U+FFFD).
 */
async function* utf8Chunks(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let held = "";
  for await (const chunk of chunks) {
    if (typeof chunk !== "string") {
      if (held !== "") yield Buffer.from(held, "utf8");
      held = "";
      yield chunk;
      continue;
    }
    let text = held + chunk;
    held = "";
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      held = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (text !== "") yield Buffer.from(text, "utf8");
  }
  if (held !== "") yield Buffer.from(held, "utf8");
}

/** Lines of a file, read as a stream. */
export function readFileLines(path: string, maxLineBytes: number): AsyncGenerator<TextLine> {
  return splitLines(createReadStream(path, { highWaterMark: 1 << 16 }), maxLineBytes);
}

/** Lines of a file in batches, one per chunk read. */
export function readFileLineBatches(path: string, maxLineBytes: number): AsyncGenerator<TextLine[]> {
  return splitLineBatches(createReadStream(path, { highWaterMark: 1 << 16 }), maxLineBytes);
}

/**
 * Lines of one chunk read, as places in its bytes, undecoded (a reader that understands the bytes need
 * not make a string of every line). Line `i` is numbered `numbers[i]` and is `bytes[starts[i], ends[i])`
 * (no LF, no CR before it), UTF-8; a line too long to keep has start and end −1. `bytes` may be reused
 * for the next batch: read a batch before asking for the next.
 */
export interface ByteLines {
  readonly bytes: Buffer;
  readonly numbers: number[];
  readonly starts: number[];
  readonly ends: number[];
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Splits a byte stream into lines, one batch per chunk, lines as places in the chunk's bytes: a leading
 * BOM dropped, LF or CRLF ends, a line over `maxLineBytes` (the UTF-8 length of its text, `longerThan`)
 * reported too long and skipped to its end. A line's text is `decodeLine`.
 */
export async function* splitByteLineBatches(chunks: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<ByteLines> {
  // The start of a line not ended yet, in the pieces read so far: joined once, when its end comes,
  // so a line over many chunks costs its length, not its length times the number of chunks.
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let joined = Buffer.alloc(0);
  let skipping = false;
  let lineNumber = 1;
  let bomChecked = false;
  for await (const chunk of chunks) {
    let bytes: Buffer = chunk;
    if (!bomChecked) {
      bytes = pendingLength === 0 ? chunk : Buffer.concat([...pending, chunk]);
      pending = [];
      pendingLength = 0;
      // Decide on the BOM once three bytes are in (a stream may deliver fewer first).
      if (bytes.length < 3 && bytes.every((byte, i) => byte === BOM[i])) {
        if (bytes.length > 0) pending.push(bytes);
        pendingLength = bytes.length;
        continue;
      }
      bomChecked = true;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    let newline = bytes.indexOf(10);
    if (newline === -1) {
      // No line ends here: keep the piece, or drop it when its line is already reported too long.
      if (!skipping && bytes.length > 0) {
        pending.push(bytes);
        pendingLength += bytes.length;
        // A trailing CR may be half of a CRLF, which is not part of the line.
        if (pendingLength - (bytes[bytes.length - 1] === 13 ? 1 : 0) > maxLineBytes) {
          yield { bytes, numbers: [lineNumber], starts: [-1], ends: [-1] };
          pending = [];
          pendingLength = 0;
          skipping = true;
        }
      }
      continue;
    }
    if (pendingLength > 0) {
      // The first line began in the pieces before this chunk: join them in front of it, in a buffer
      // reused from chunk to chunk (a fresh one per chunk is memory the allocator is slow to give back).
      newline += pendingLength;
      const length = pendingLength + bytes.length;
      if (joined.length < length) joined = Buffer.allocUnsafe(Math.max(length, 2 * joined.length));
      let at = 0;
      for (const piece of pending) {
        joined.set(piece, at);
        at += piece.length;
      }
      joined.set(bytes, at);
      bytes = joined.subarray(0, length);
      pending = [];
      pendingLength = 0;
    }
    const numbers: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    let start = 0;
    while (newline !== -1) {
      if (skipping) {
        skipping = false;
      } else {
        const end = newline > start && bytes[newline - 1] === 13 ? newline - 1 : newline;
        const tooLong = longerThan(bytes, start, end, maxLineBytes);
        numbers.push(lineNumber);
        starts.push(tooLong ? -1 : start);
        ends.push(tooLong ? -1 : end);
      }
      lineNumber++;
      start = newline + 1;
      newline = bytes.indexOf(10, start);
    }
    const rest = bytes.subarray(start);
    if (rest.length - (rest[rest.length - 1] === 13 ? 1 : 0) > maxLineBytes) {
      numbers.push(lineNumber);
      starts.push(-1);
      ends.push(-1);
      skipping = true;
    } else if (rest.length > 0) {
      // `rest` may lie in `joined`, where the next chunk joins it at the front: `set` copies a source that
      // shares the target's memory as if through a copy (the spec says so), so nothing is lost.
      pending.push(rest);
      pendingLength = rest.length;
    }
    if (numbers.length > 0) yield { bytes, numbers, starts, ends };
  }
  if (!skipping && pendingLength > 0) {
    const bytes = Buffer.concat(pending);
    const end = bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
    const tooLong = longerThan(bytes, 0, end, maxLineBytes);
    yield { bytes, numbers: [lineNumber], starts: [tooLong ? -1 : 0], ends: [tooLong ? -1 : end] };
  }
}

/**
 * Whether the line `bytes[start, end)` is over `maxLineBytes` measured as the UTF-8 length of its
 * text: its length unless it holds invalid UTF-8, each invalid sequence becoming U+FFFD, 3 bytes (so at
 * most 3 times as long, never shorter). Decoded only near the limit.
 */
function longerThan(bytes: Buffer, start: number, end: number, maxLineBytes: number): boolean {
  const length = end - start;
  if (length > maxLineBytes) return true;
  return length * 3 > maxLineBytes && Buffer.byteLength(bytes.toString("utf8", start, end)) > maxLineBytes;
}

/** The text of line `i` of `lines`. */
export function decodeLine(lines: ByteLines, i: number): TextLine {
  const line = lines.numbers[i] as number;
  const start = lines.starts[i] as number;
  return start < 0 ? { line, tooLong: true } : { line, text: lines.bytes.toString("utf8", start, lines.ends[i]) };
}

/** `readFileLineBatches`, lines as places in the bytes read. */
export function readFileByteLineBatches(path: string, maxLineBytes: number): AsyncGenerator<ByteLines> {
  return splitByteLineBatches(createReadStream(path, { highWaterMark: 1 << 16 }), maxLineBytes);
}
