import { createReadStream } from "node:fs";
import { isAscii, isUtf8 } from "node:buffer";
import { reason, type RejectionReason } from "../core/rejectionReasons.js";
import { byteOrderMark, invalidTextReason, utf8Bytes, Utf8Joiner, UTF8, type TextEncoding } from "./encoding.js";

/**
 * One line of a text stream, numbered from 1: its text, or a line that was too long to keep, or one whose
 * bytes are not valid in the file's encoding (`invalid`: why, naming the encoding; never U+FFFD instead).
 */
export type TextLine =
  | { readonly line: number; readonly text: string }
  | { readonly line: number; readonly tooLong: true }
  | { readonly line: number; readonly invalid: RejectionReason };

/**
 * Splits a byte stream in `encoding` into lines (LF or CRLF), dropping a leading BOM. A line longer than
 * `maxLineBytes` is not buffered: it is reported as too long and skipped up to its end. A line not valid
 * in the encoding is reported as invalid, with the reason.
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
  encoding: TextEncoding = UTF8,
): AsyncGenerator<TextLine> {
  for await (const batch of splitLineBatches(chunks, maxLineBytes, encoding)) yield* batch;
}

/**
 * `splitLines`, one batch of lines per chunk read: crossing an async boundary once per chunk rather
 * than once per line is what keeps reading close to the cost of parsing. Each line is its bytes
 * decoded in `encoding` (`splitByteLineBatches`, `decodeLine`). String chunks are text already and are
 * read as their UTF-8 bytes, so only with the UTF-8 encoding (a TypeError with another).
 */
export async function* splitLineBatches(
  chunks: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
  encoding: TextEncoding = UTF8,
): AsyncGenerator<TextLine[]> {
  const bytes = encoding.name === "utf-8" ? utf8Chunks(chunks) : byteChunks(chunks, encoding);
  for await (const lines of splitByteLineBatches(bytes, maxLineBytes, encoding)) {
    const batch: TextLine[] = new Array(lines.numbers.length);
    for (let i = 0; i < batch.length; i++) batch[i] = decodeLine(lines, i);
    yield batch;
  }
}

/**
 * String chunks as their UTF-8 bytes, byte chunks as they are. A high surrogate that ends a string
 * chunk waits for the next one, so a character cut between two chunks stays one character (a lone
 * surrogate, which no decoded text holds, becomes U+FFFD: string chunks are text already, valid or not).
 */
async function* utf8Chunks(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const joiner = new Utf8Joiner();
  for await (const chunk of chunks) {
    if (typeof chunk !== "string") {
      const held = joiner.bytes("", true);
      if (held) yield held;
      yield chunk;
      continue;
    }
    const bytes = joiner.bytes(chunk);
    if (bytes) yield bytes;
  }
  const held = joiner.bytes("", true);
  if (held) yield held;
}

/** Byte chunks of a stream in `encoding`, not UTF-8: a string chunk (text, with no bytes in it) is a TypeError. */
async function* byteChunks(chunks: AsyncIterable<Buffer | string>, encoding: TextEncoding): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    if (typeof chunk === "string") throw new TypeError(`a stream of text (string chunks) cannot be read as ${encoding.label} bytes; read it as UTF-8`);
    yield chunk;
  }
}

/** Lines of a file in `encoding`, read as a stream. */
export function readFileLines(path: string, maxLineBytes: number, encoding: TextEncoding = UTF8): AsyncGenerator<TextLine> {
  return splitLines(createReadStream(path, { highWaterMark: 1 << 16 }), maxLineBytes, encoding);
}

/** Lines of a file in `encoding` in batches, one per chunk read. */
export function readFileLineBatches(path: string, maxLineBytes: number, encoding: TextEncoding = UTF8): AsyncGenerator<TextLine[]> {
  return splitLineBatches(createReadStream(path, { highWaterMark: 1 << 16 }), maxLineBytes, encoding);
}

/** `ByteLines.starts` of a line too long to keep. */
export const TOO_LONG = -1;
/** `ByteLines.starts` of a line whose bytes are not valid in the encoding (`ByteLines.invalid` says why). */
export const INVALID = -2;

/**
 * Lines of one chunk read, as places in its bytes, undecoded (a reader that understands the bytes need
 * not make a string of every line). Line `i` is numbered `numbers[i]` and is `bytes[starts[i], ends[i])`
 * (no LF, no CR before it), valid text in `encoding`. A line too long to keep has start and end −1
 * (`TOO_LONG`); a line whose bytes are not valid in the encoding has start and end −2 (`INVALID`) and
 * its reason in `invalid` (by `i`): a reader of the bytes reads only lines of start ≥ 0 and leaves the
 * others to `decodeLine`. `bytes` may be reused for the next batch: read a batch before asking for the next.
 */
export interface ByteLines {
  readonly bytes: Buffer;
  readonly numbers: number[];
  readonly starts: number[];
  readonly ends: number[];
  /**
   * The encoding of `bytes`; UTF-8 when absent. UTF-8 as well for a file in an encoding that is not
   * ASCII-compatible (UTF-16), which is transcoded before it is split.
   */
  readonly encoding?: TextEncoding;
  /** Why line `i` is not valid text, for each line of start `INVALID`; absent when there is none. */
  readonly invalid?: ReadonlyMap<number, RejectionReason>;
  /** For an encoding other than UTF-8: the text of line `i`, for each line kept that is not ASCII (the others are their bytes). */
  readonly texts?: ReadonlyMap<number, string>;
}

/**
 * Splits a byte stream in `encoding` into lines, one batch per chunk, lines as places in the chunk's
 * bytes: a leading BOM dropped (UTF-8's, or GB18030's), LF or CRLF ends, a line over `maxLineBytes`
 * reported too long and skipped to its end, a line not valid in the encoding reported invalid. A line
 * is too long when its bytes are over `maxLineBytes`, or (encodings other than UTF-8) the UTF-8 length
 * of its text is: for valid UTF-8 the two are the same. A line's text is `decodeLine`. A stream in an
 * encoding that is not ASCII-compatible (UTF-16) is transcoded to UTF-8 first (`utf8Bytes`: invalid bytes
 * there are an error of the whole stream) and split as UTF-8.
 *
 * UTF-8 is checked once per batch, with one `isUtf8` over the bytes from the first line kept to the last
 * (only whole lines, and LF and CR are ASCII), and line by line only when that fails.
 */
export async function* splitByteLineBatches(
  chunks: AsyncIterable<Buffer>,
  maxLineBytes: number,
  encoding: TextEncoding = UTF8,
): AsyncGenerator<ByteLines> {
  if (!encoding.asciiCompatible) {
    yield* splitByteLineBatches(utf8Bytes(chunks, encoding), maxLineBytes, UTF8);
    return;
  }
  const bom = byteOrderMark(encoding);
  const lines = (bytes: Buffer, numbers: number[], starts: number[], ends: number[]): ByteLines =>
    checkLines({ bytes, numbers, starts, ends, encoding }, maxLineBytes);
  // The start of a line not ended yet, in the pieces read so far: joined once, when its end comes,
  // so a line over many chunks costs its length, not its length times the number of chunks.
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let joined = Buffer.alloc(0);
  let skipping = false;
  let lineNumber = 1;
  let bomChecked = bom.length === 0;
  for await (const chunk of chunks) {
    let bytes: Buffer = chunk;
    if (!bomChecked) {
      bytes = pendingLength === 0 ? chunk : Buffer.concat([...pending, chunk]);
      pending = [];
      pendingLength = 0;
      // Decide on the BOM once its bytes are in (a stream may deliver fewer first).
      if (bytes.length < bom.length && bytes.every((byte, i) => byte === bom[i])) {
        if (bytes.length > 0) pending.push(bytes);
        pendingLength = bytes.length;
        continue;
      }
      bomChecked = true;
      if (bom.every((byte, i) => bytes[i] === byte)) bytes = bytes.subarray(bom.length);
    }
    let newline = bytes.indexOf(10);
    if (newline === -1) {
      // No line ends here: keep the piece, or drop it when its line is already reported too long.
      if (!skipping && bytes.length > 0) {
        pending.push(bytes);
        pendingLength += bytes.length;
        // A trailing CR may be half of a CRLF, which is not part of the line.
        if (pendingLength - (bytes[bytes.length - 1] === 13 ? 1 : 0) > maxLineBytes) {
          yield { bytes, numbers: [lineNumber], starts: [TOO_LONG], ends: [TOO_LONG], encoding };
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
        const tooLong = end - start > maxLineBytes;
        numbers.push(lineNumber);
        starts.push(tooLong ? TOO_LONG : start);
        ends.push(tooLong ? TOO_LONG : end);
      }
      lineNumber++;
      start = newline + 1;
      newline = bytes.indexOf(10, start);
    }
    const rest = bytes.subarray(start);
    if (rest.length - (rest[rest.length - 1] === 13 ? 1 : 0) > maxLineBytes) {
      numbers.push(lineNumber);
      starts.push(TOO_LONG);
      ends.push(TOO_LONG);
      skipping = true;
    } else if (rest.length > 0) {
      // `rest` may lie in `joined`, where the next chunk joins it at the front: `set` copies a source that
      // shares the target's memory as if through a copy (the spec says so), so nothing is lost.
      pending.push(rest);
      pendingLength = rest.length;
    }
    if (numbers.length > 0) yield lines(bytes, numbers, starts, ends);
  }
  if (!skipping && pendingLength > 0) {
    const bytes = Buffer.concat(pending);
    const end = bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
    const tooLong = end > maxLineBytes;
    yield lines(bytes, [lineNumber], [tooLong ? TOO_LONG : 0], [tooLong ? TOO_LONG : end]);
  }
}

/**
 * The batch with its lines checked against its encoding: those not valid marked `INVALID` with their
 * reason; for an encoding other than UTF-8, the text of each line that is not ASCII kept in `texts`, and
 * a line whose text is over `maxLineBytes` in UTF-8 marked too long.
 */
function checkLines(lines: ByteLines & { readonly encoding: TextEncoding }, maxLineBytes: number): ByteLines {
  const { bytes, starts, ends, encoding } = lines;
  let first = -1;
  let last = -1;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] as number;
    if (start < 0) continue;
    if (first < 0) first = start;
    last = ends[i] as number;
  }
  const utf8 = encoding.name === "utf-8";
  // Whole lines only from `first` to `last`: one check for the batch.
  if (first < 0 || (utf8 ? isUtf8(bytes.subarray(first, last)) : isAscii(bytes.subarray(first, last)))) return lines;
  let invalid: Map<number, RejectionReason> | undefined;
  let texts: Map<number, string> | undefined;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] as number;
    if (start < 0) continue;
    const end = ends[i] as number;
    const line = bytes.subarray(start, end);
    let valid: boolean;
    if (utf8) {
      valid = isUtf8(line);
    } else if (isAscii(line)) {
      valid = true;
    } else {
      const text = encoding.decode(bytes, start, end);
      valid = text !== undefined;
      if (text !== undefined) {
        // The UTF-8 length of the text, at most 3 bytes a byte: measured only near the limit.
        if ((end - start) * 3 > maxLineBytes && Buffer.byteLength(text) > maxLineBytes) {
          starts[i] = TOO_LONG;
          ends[i] = TOO_LONG;
        } else {
          (texts ??= new Map()).set(i, text);
        }
      }
    }
    if (!valid) {
      (invalid ??= new Map()).set(i, invalidTextReason(encoding, bytes, start, end, "line"));
      starts[i] = INVALID;
      ends[i] = INVALID;
    }
  }
  if (invalid === undefined && texts === undefined) return lines;
  return { ...lines, ...(invalid ? { invalid } : {}), ...(texts ? { texts } : {}) };
}

/** The text of line `i` of `lines`, decoded in their encoding; or that it is too long, or not valid text, and why. */
export function decodeLine(lines: ByteLines, i: number): TextLine {
  const line = lines.numbers[i] as number;
  const start = lines.starts[i] as number;
  if (start === TOO_LONG) return { line, tooLong: true };
  if (start < 0) return { line, invalid: lines.invalid?.get(i) ?? reason("invalid_text", { encoding: (lines.encoding ?? UTF8).label, unit: "line", advice: "none" }) };
  const end = lines.ends[i] as number;
  if (lines.encoding === undefined || lines.encoding.name === "utf-8") return { line, text: lines.bytes.toString("utf8", start, end) };
  // Not in `texts`: an ASCII line, which is its bytes in any ASCII-compatible encoding.
  return { line, text: lines.texts?.get(i) ?? lines.bytes.toString("latin1", start, end) };
}

/** `readFileLineBatches`, lines as places in the bytes read. */
export function readFileByteLineBatches(path: string, maxLineBytes: number, encoding: TextEncoding = UTF8): AsyncGenerator<ByteLines> {
  return splitByteLineBatches(createReadStream(path, { highWaterMark: 1 << 16 }), maxLineBytes, encoding);
}
