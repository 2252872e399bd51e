import { isUtf8 } from "node:buffer";
import { reason, type RejectionReason } from "../core/rejectionReasons.js";
import { asciiTrailLeads, byteOrderMark, cellDecoder, invalidTextReason, utf8Bytes, UTF8, type TextEncoding } from "./encoding.js";

/** One CSV record (its cells) with the line it starts on, or why it could not be read. */
export type CsvRecord =
  | { readonly line: number; readonly cells: string[] }
  | { readonly line: number; readonly error: RejectionReason };

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const enum Mode {
  /** At the start of a cell. */
  Start,
  /** Inside a cell that did not start with a quote. */
  Unquoted,
  /** Inside a quoted cell. */
  Quoted,
  /** Just after a quote inside a quoted cell: a doubled quote or the closing one. */
  QuoteInQuoted,
  /** After the closing quote of a cell. */
  Closed,
}

/**
 * The chunks as bytes, without a leading BOM of `encoding` (UTF-8's, GB18030's), even one cut across
 * chunks. String chunks are read as their UTF-8 bytes, so only with UTF-8 (a TypeError with another encoding).
 */
async function* withoutBom(chunks: AsyncIterable<Buffer | string>, encoding: TextEncoding): AsyncGenerator<Buffer> {
  const BOM = Buffer.from(byteOrderMark(encoding));
  const utf8 = encoding.name === "utf-8";
  let head: Buffer | undefined = BOM.length === 0 ? undefined : Buffer.alloc(0);
  for await (const chunk of chunks) {
    if (typeof chunk === "string" && !utf8) throw new TypeError(`a stream of text (string chunks) cannot be read as ${encoding.label} bytes; read it as UTF-8`);
    let buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    if (head) {
      buf = head.length === 0 ? buf : Buffer.concat([head, buf]);
      if (buf.length < BOM.length && BOM.subarray(0, buf.length).equals(buf)) {
        head = buf;
        continue;
      }
      head = undefined;
      if (buf.subarray(0, BOM.length).equals(BOM)) buf = buf.subarray(BOM.length);
    }
    yield buf;
  }
  if (head && head.length > 0) yield head;
}

/**
 * Whether the UTF-8 chunk `buf` is valid from its first whole character to its last: up to `carried`
 * continuation bytes at its start (of a character begun in the chunk before) and an unfinished last
 * character are left out, as they lie in a cell that spans chunks, which is checked whole (no delimiter,
 * quote or line end comes between the bytes of a character). `carry`: the continuation bytes the next
 * chunk should start with.
 */
function validUtf8Chunk(buf: Buffer, carried: number): { valid: boolean; carry: number } {
  const length = buf.length;
  let start = 0;
  while (start < carried && start < length && ((buf[start] as number) & 0xc0) === 0x80) start++;
  if (start === length) return { valid: true, carry: carried - start };
  let end = length;
  let carry = 0;
  for (let j = length - 1; j >= start && j >= length - 4; j--) {
    const byte = buf[j] as number;
    if ((byte & 0xc0) === 0x80) continue;
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (size > length - j) {
      end = j;
      carry = size - (length - j);
    }
    break;
  }
  return { valid: isUtf8(buf.subarray(start, end)), carry };
}

/** How `readCsvRecords` reads its bytes. */
export interface CsvOptions {
  /** The character between cells: one character whose encoding is one ASCII byte (`,`, `;`, `\t`, `|`); default `,`. */
  readonly delimiter?: string;
  /** The encoding of the bytes; default UTF-8. */
  readonly encoding?: TextEncoding;
}

/** The byte of a delimiter, or a TypeError: one ASCII character, not a quote or a line end. */
function delimiterByte(delimiter: string): number {
  const code = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  if (code < 0 || code >= 0x80 || code === QUOTE || code === LF || code === CR) {
    throw new TypeError(`CSV delimiter ${JSON.stringify(delimiter)}: expected one ASCII character other than a quote or a line end, such as ",", ";", "\t" or "|"`);
  }
  return code;
}

/**
 * Parses RFC 4180 CSV (`,` separators or `options.delimiter`, `"` quotes doubled inside quoted cells,
 * LF or CRLF line ends, newlines allowed inside quotes) from a byte stream in `options.encoding` (UTF-8
 * by default), one record at a time. Blank lines and a leading BOM are skipped. A malformed record, one
 * longer than `maxRecordBytes` (which is never buffered), or one with a cell whose bytes are not valid in
 * the encoding (never read as U+FFFD), is reported with the line it starts on, and reading goes on with
 * the next record. A stream in an encoding that is not ASCII-compatible (UTF-16) is transcoded to UTF-8
 * first (`utf8Bytes`): bytes not valid there end the stream with an `InvalidTextError`.
 *
 * Written here rather than left to csv-parse because csv-parse 6, when skipping records with errors,
 * drops the rest of its input after a record over its size limit.
 */
export async function* readCsvRecords(
  chunks: AsyncIterable<Buffer | string>,
  maxRecordBytes: number,
  options: CsvOptions = {},
): AsyncGenerator<CsvRecord> {
  for await (const batch of readCsvRecordBatches(chunks, maxRecordBytes, options)) yield* batch;
}

/**
 * `readCsvRecords`, one batch of records per chunk read (the records that end in it): crossing an async
 * boundary once per chunk rather than once per record, as the line reader does.
 */
export async function* readCsvRecordBatches(
  chunks: AsyncIterable<Buffer | string>,
  maxRecordBytes: number,
  options: CsvOptions = {},
): AsyncGenerator<CsvRecord[]> {
  const delimiter = options.delimiter ?? ",";
  const DELIMITER = delimiterByte(delimiter);
  const given = options.encoding ?? UTF8;
  if (!given.asciiCompatible) {
    const bytes = (async function* (): AsyncGenerator<Buffer> {
      for await (const chunk of chunks) {
        if (typeof chunk === "string") throw new TypeError(`a stream of text (string chunks) cannot be read as ${given.label} bytes; read it as UTF-8`);
        yield chunk;
      }
    })();
    yield* readCsvRecordBatches(utf8Bytes(bytes, given), maxRecordBytes, { delimiter, encoding: UTF8 });
    return;
  }
  const encoding = given;
  const decode = cellDecoder(encoding);
  const utf8 = encoding.name === "utf-8";
  // A delimiter of 0x40 or above (`|`) may be the second byte of a two-byte character (GBK, Big5, Shift_JIS…).
  const leads = DELIMITER >= 0x40 ? asciiTrailLeads(encoding) : undefined;
  let afterLead = false;
  let line = 1;
  let recordLine = 1;
  let recordBytes = 0;
  let mode: Mode = Mode.Start;
  let cells: string[] = [];
  let parts: Buffer[] = [];
  // Where each of `parts` starts in its record (0-based), for the place of an invalid byte.
  let partOffsets: number[] = [];
  // Where the current record starts in the current chunk (negative when it began in an earlier one).
  let base = 0;
  // UTF-8: whether the current chunk is valid but for the characters cut at its ends (`validUtf8Chunk`);
  // whether pieces of the current cell came from an earlier chunk; continuation bytes the next chunk starts with.
  let chunkValid = false;
  let spanned = false;
  let carried = 0;
  let error: RejectionReason | undefined;
  let tooLong = false;
  let quoteLine = 1;

  // A cell's bytes may span chunks: earlier pieces wait in `parts`, the current one starts at `from`.
  const endCell = (buf: Buffer, from: number, to: number, stripCr: boolean): void => {
    if (tooLong) return;
    // The CR of a CRLF is in this chunk, or, when nothing of the cell is, at the end of the previous one.
    const end = stripCr && to > from && buf[to - 1] === CR ? to - 1 : to;
    if (parts.length === 0) {
      // A cell of a chunk checked valid as a whole (most cells) needs no check of its own.
      const text = chunkValid ? buf.toString("utf8", from, end) : decode(buf, from, end);
      if (text === undefined) {
        const start = base;
        invalid(buf, from, end, (index) => index - start);
      }
      cells.push(text ?? "");
    } else {
      parts.push(buf.subarray(from, end));
      partOffsets.push(from - base);
      const bytes = Buffer.concat(parts);
      let text = chunkValid && !spanned ? bytes.toString("utf8") : decode(bytes, 0, bytes.length);
      if (text === undefined) {
        const pieces = parts;
        const offsets = partOffsets;
        invalid(bytes, 0, bytes.length, (index) => {
          let k = 0;
          for (; k < pieces.length - 1 && index >= (pieces[k] as Buffer).length; k++) index -= (pieces[k] as Buffer).length;
          return (offsets[k] as number) + index;
        });
      } else if (stripCr && to === from && text.endsWith("\r")) {
        text = text.slice(0, -1);
      }
      cells.push(text ?? "");
      parts = [];
      partOffsets = [];
      spanned = false;
    }
  };
  const fail = (problem: RejectionReason): void => {
    error ??= problem;
  };
  const invalid = (bytes: Buffer, from: number, to: number, offsetOf: (index: number) => number): void => {
    error ??= invalidTextReason(encoding, bytes, from, to, "record", offsetOf);
  };
  const finishRecord = (): CsvRecord | undefined => {
    let out: CsvRecord | undefined;
    if (tooLong) out = { line: recordLine, error: reason("too_long", { unit: "record", maxRecordBytes }) };
    else if (error !== undefined) out = { line: recordLine, error };
    else if (!(cells.length === 1 && cells[0] === "")) out = { line: recordLine, cells };
    cells = [];
    parts = [];
    partOffsets = [];
    spanned = false;
    error = undefined;
    tooLong = false;
    recordBytes = 0;
    mode = Mode.Start;
    return out;
  };

  for await (const buf of withoutBom(chunks, encoding)) {
    const batch: CsvRecord[] = [];
    // Where the current cell's bytes start in this chunk; quoted cells skip their quotes.
    let from = 0;
    base = -recordBytes;
    // Pieces of the current cell from earlier chunks were not checked with this one.
    if (parts.length > 0) spanned = true;
    if (utf8) {
      const checked = validUtf8Chunk(buf, carried);
      chunkValid = checked.valid;
      carried = checked.carry;
    }
    for (let i = 0; i < buf.length; i++) {
      const byte = buf[i] as number;
      if (byte === LF && mode !== Mode.Quoted) {
        if (mode === Mode.Unquoted || mode === Mode.Start) endCell(buf, from, i, true);
        else endCell(buf, i, i, false);
        line++;
        const record = finishRecord();
        recordLine = line;
        from = i + 1;
        base = i + 1;
        afterLead = false;
        if (record) batch.push(record);
        continue;
      }
      // The CR of a CRLF is not part of the record: a CR just over the limit only counts once more follows.
      if (++recordBytes > maxRecordBytes && !tooLong && !(byte === CR && recordBytes === maxRecordBytes + 1)) {
        // Keep following the quotes to find the record's end, but buffer nothing more.
        tooLong = true;
        cells = [];
        parts = [];
        partOffsets = [];
        spanned = false;
      }
      if (leads !== undefined) {
        // The second byte of a two-byte character is part of the cell, even when it is the delimiter's byte.
        if (afterLead) {
          afterLead = false;
          if (byte >= 0x40) continue;
        } else if (leads[byte] === 1) {
          afterLead = true;
        }
      }
      switch (mode) {
        case Mode.Start:
          if (byte === QUOTE) {
            mode = Mode.Quoted;
            quoteLine = line;
            from = i + 1;
          } else if (byte === DELIMITER) {
            endCell(buf, i, i, false);
            from = i + 1;
          } else {
            mode = Mode.Unquoted;
            from = i;
          }
          break;
        case Mode.Unquoted:
          if (byte === DELIMITER) {
            endCell(buf, from, i, false);
            mode = Mode.Start;
            from = i + 1;
          } else if (byte === QUOTE) {
            fail(reason("csv_stray_quote", { cell: cells.length + 1 }));
          } else if (leads === undefined && !tooLong) {
            // Most of a file is unquoted cells: skip to the next byte that ends or breaks one in a tight loop,
            // never past the record's size limit (the loop above decides that byte by byte).
            const stop = Math.min(buf.length, i + maxRecordBytes - recordBytes);
            let j = i + 1;
            while (j < stop) {
              const next = buf[j] as number;
              if (next === DELIMITER || next === LF || next === QUOTE) break;
              j++;
            }
            recordBytes += j - 1 - i;
            i = j - 1;
          }
          break;
        case Mode.Quoted:
          if (byte === QUOTE) {
            if (!tooLong) {
              parts.push(buf.subarray(from, i));
              partOffsets.push(from - base);
            }
            mode = Mode.QuoteInQuoted;
          } else if (byte === LF) {
            line++;
          }
          break;
        case Mode.QuoteInQuoted:
          if (byte === QUOTE) {
            // A doubled quote: keep the second one as content.
            mode = Mode.Quoted;
            from = i;
            break;
          }
          mode = Mode.Closed;
        // falls through: the previous quote closed the cell
        case Mode.Closed:
          if (byte === DELIMITER) {
            endCell(buf, i, i, false);
            mode = Mode.Start;
            from = i + 1;
          } else if (byte !== CR) {
            const what = byte < 0x80 ? { what: JSON.stringify(String.fromCharCode(byte)) } : {};
            fail(reason("csv_after_quote", { cell: cells.length + 1, ...what, delimiter: JSON.stringify(delimiter) }));
          }
          break;
      }
    }
    if (!tooLong && (mode === Mode.Unquoted || mode === Mode.Quoted) && from < buf.length) {
      parts.push(buf.subarray(from));
      partOffsets.push(from - base);
      spanned = true;
    }
    if (batch.length > 0) yield batch;
  }

  if (mode === Mode.Quoted) {
    fail(reason("csv_unclosed_quote", { cell: cells.length + 1, openedOn: quoteLine }));
    endCell(Buffer.alloc(0), 0, 0, false);
  } else if (recordBytes > 0) {
    const empty = Buffer.alloc(0);
    endCell(empty, 0, 0, mode === Mode.Unquoted || mode === Mode.Start);
  } else {
    return;
  }
  const record = finishRecord();
  if (record) yield [record];
}
