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
