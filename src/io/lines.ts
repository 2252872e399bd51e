import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";

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
 * than once per line is what keeps reading close to the cost of parsing.
 */
export async function* splitLineBatches(
  chunks: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<TextLine[]> {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  let skipping = false;
  let lineNumber = 1;
  let bomChecked = false;
  const emit = (text: string): TextLine => {
    const clean = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (clean.length * 4 > maxLineBytes && Buffer.byteLength(clean) > maxLineBytes) {
      return { line: lineNumber, tooLong: true };
    }
    return { line: lineNumber, text: clean };
  };
  for await (const chunk of chunks) {
    const batch: TextLine[] = [];
    let text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    // Drop the BOM before anything counts it against the first line's length.
    if (!bomChecked && text !== "") {
      bomChecked = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    for (;;) {
      const newline = text.indexOf("\n", start);
      if (newline === -1) break;
      if (skipping) {
        skipping = false;
      } else {
        batch.push(emit(pending + text.slice(start, newline)));
      }
      pending = "";
      lineNumber++;
      start = newline + 1;
    }
    if (!skipping) {
      pending += text.slice(start);
      // Characters are at most 4 bytes; the exact byte length is only computed near the limit.
      // A trailing CR may be half of a CRLF, which is not part of the line.
      const crlfHalf = pending.endsWith("\r") ? 1 : 0;
      if (pending.length * 4 > maxLineBytes && Buffer.byteLength(pending) - crlfHalf > maxLineBytes) {
        batch.push({ line: lineNumber, tooLong: true });
        pending = "";
        skipping = true;
      }
    }
    if (batch.length > 0) yield batch;
  }
  const rest = pending + decoder.end();
  if (!skipping && rest !== "") yield [emit(rest)];
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
 * Lines of one chunk read, as places in its bytes: the lines `splitLineBatches` gives, left undecoded
 * (a reader that understands the bytes need not make a string of every line). Line `i` is numbered
 * `numbers[i]` and is `bytes[starts[i], ends[i])` (no LF, no CR before it), UTF-8; a line too long to
 * keep has start and end −1.
 */
export interface ByteLines {
  readonly bytes: Buffer;
  /** `bytes` as latin1, one char per byte (a string cut from it is the bytes' text where they are ASCII). */
  readonly latin1: string;
  readonly numbers: number[];
  readonly starts: number[];
  readonly ends: number[];
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * `splitLineBatches` over a byte stream, one batch per chunk, lines as places in the chunk's bytes. The
 * same lines: a leading BOM dropped, LF or CRLF ends, a line over `maxLineBytes` bytes reported too
 * long and skipped to its end. A line's text is its bytes decoded as UTF-8, `decodeLine`.
 */
export async function* splitByteLineBatches(chunks: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<ByteLines> {
  /** The start of a line not ended yet (an empty buffer when the last chunk ended a line). */
  let pending: Buffer = Buffer.alloc(0);
  let skipping = false;
  let lineNumber = 1;
  let bomChecked = false;
  for await (const chunk of chunks) {
    let bytes: Buffer = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    if (!bomChecked) {
      // Decide on the BOM once three bytes are in (a stream may deliver fewer first).
      if (bytes.length < 3 && bytes.every((byte, i) => byte === BOM[i])) {
        pending = bytes;
        continue;
      }
      bomChecked = true;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    const numbers: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const line = (start: number, end: number): void => {
      const tooLong = longerThan(bytes, start, end, maxLineBytes);
      numbers.push(lineNumber);
      starts.push(tooLong ? -1 : start);
      ends.push(tooLong ? -1 : end);
    };
    let start = 0;
    for (;;) {
      const newline = bytes.indexOf(10, start);
      if (newline === -1) break;
      if (skipping) skipping = false;
      else line(start, newline > start && bytes[newline - 1] === 13 ? newline - 1 : newline);
      lineNumber++;
      start = newline + 1;
    }
    pending = bytes.subarray(start);
    // A trailing CR may be half of a CRLF, which is not part of the line.
    if (skipping) {
      pending = Buffer.alloc(0);
    } else if (pending.length - (pending[pending.length - 1] === 13 ? 1 : 0) > maxLineBytes) {
      line(start, bytes.length); // too long already
      pending = Buffer.alloc(0);
      skipping = true;
    }
    if (numbers.length > 0) yield { bytes, latin1: bytes.toString("latin1"), numbers, starts, ends };
  }
  if (!skipping && pending.length > 0) {
    const end = pending[pending.length - 1] === 13 ? pending.length - 1 : pending.length;
    if (longerThan(pending, 0, end, maxLineBytes)) yield { bytes: pending, latin1: "", numbers: [lineNumber], starts: [-1], ends: [-1] };
    else yield { bytes: pending, latin1: pending.toString("latin1"), numbers: [lineNumber], starts: [0], ends: [end] };
  }
}

/**
 * Whether the line `bytes[start, end)` is over `maxLineBytes` as `splitLineBatches` measures it: the
 * UTF-8 length of its text, which is its length unless it holds invalid UTF-8 (each invalid sequence
 * becomes U+FFFD, 3 bytes: at most 3 times as long, never shorter). Decoded only near the limit.
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
