/** One CSV record (its cells) with the line it starts on, or why it could not be read. */
export type CsvRecord =
  | { readonly line: number; readonly cells: string[] }
  | { readonly line: number; readonly error: string };

const QUOTE = 0x22;
const COMMA = 0x2c;
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

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The chunks as bytes, without a leading UTF-8 BOM, even one cut across chunks. */
async function* withoutBom(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of chunks) {
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
 * Parses RFC 4180 CSV (`,` separators, `"` quotes doubled inside quoted cells, LF or CRLF line ends,
 * newlines allowed inside quotes) from a byte stream, one record at a time. Blank lines and a leading
 * BOM are skipped. A malformed record, or one longer than `maxRecordBytes` (which is never buffered),
 * is reported with the line it starts on, and reading goes on with the next record.
 *
 * Written here rather than left to csv-parse because csv-parse 6, when skipping records with errors,
 * drops the rest of its input after a record over its size limit.
 */
export async function* readCsvRecords(
  chunks: AsyncIterable<Buffer | string>,
  maxRecordBytes: number,
): AsyncGenerator<CsvRecord> {
  let line = 1;
  let recordLine = 1;
  let recordBytes = 0;
  let mode: Mode = Mode.Start;
  let cells: string[] = [];
  let parts: Buffer[] = [];
  let error: string | undefined;
  let tooLong = false;
  let quoteLine = 1;

  // A cell's bytes may span chunks: earlier pieces wait in `parts`, the current one starts at `from`.
  const endCell = (buf: Buffer, from: number, to: number, stripCr: boolean): void => {
    if (tooLong) return;
    // The CR of a CRLF is in this chunk, or, when nothing of the cell is, at the end of the previous one.
    const end = stripCr && to > from && buf[to - 1] === CR ? to - 1 : to;
    if (parts.length === 0) {
      cells.push(buf.toString("utf8", from, end));
    } else {
      parts.push(buf.subarray(from, end));
      let text = Buffer.concat(parts).toString("utf8");
      if (stripCr && to === from && text.endsWith("\r")) text = text.slice(0, -1);
      cells.push(text);
      parts = [];
    }
  };
  const fail = (message: string): void => {
    error ??= message;
  };
  const finishRecord = (): CsvRecord | undefined => {
    let out: CsvRecord | undefined;
    if (tooLong) out = { line: recordLine, error: `record is longer than maxRecordBytes (${maxRecordBytes} bytes)` };
    else if (error !== undefined) out = { line: recordLine, error: `CSV: ${error}` };
    else if (!(cells.length === 1 && cells[0] === "")) out = { line: recordLine, cells };
    cells = [];
    parts = [];
    error = undefined;
    tooLong = false;
    recordBytes = 0;
    mode = Mode.Start;
    return out;
  };

  for await (const buf of withoutBom(chunks)) {
    // Where the current cell's bytes start in this chunk; quoted cells skip their quotes.
    let from = 0;
    for (let i = 0; i < buf.length; i++) {
      const byte = buf[i] as number;
      if (byte === LF && mode !== Mode.Quoted) {
        if (mode === Mode.Unquoted || mode === Mode.Start) endCell(buf, from, i, true);
        else endCell(buf, i, i, false);
        line++;
        const record = finishRecord();
        recordLine = line;
        from = i + 1;
        if (record) yield record;
        continue;
      }
      // The CR of a CRLF is not part of the record: a CR just over the limit only counts once more follows.
      if (++recordBytes > maxRecordBytes && !tooLong && !(byte === CR && recordBytes === maxRecordBytes + 1)) {
        // Keep following the quotes to find the record's end, but buffer nothing more.
        tooLong = true;
        cells = [];
        parts = [];
      }
      switch (mode) {
        case Mode.Start:
          if (byte === QUOTE) {
            mode = Mode.Quoted;
            quoteLine = line;
            from = i + 1;
          } else if (byte === COMMA) {
            endCell(buf, i, i, false);
            from = i + 1;
          } else {
            mode = Mode.Unquoted;
            from = i;
          }
          break;
        case Mode.Unquoted:
          if (byte === COMMA) {
            endCell(buf, from, i, false);
            mode = Mode.Start;
            from = i + 1;
          } else if (byte === QUOTE) {
            fail(`cell ${cells.length + 1} has a quote inside an unquoted value; expected the whole cell in quotes, with inner quotes doubled ("")`);
          }
          break;
        case Mode.Quoted:
          if (byte === QUOTE) {
            if (!tooLong) parts.push(buf.subarray(from, i));
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
          if (byte === COMMA) {
            endCell(buf, i, i, false);
            mode = Mode.Start;
            from = i + 1;
          } else if (byte !== CR) {
            const what = byte < 0x80 ? JSON.stringify(String.fromCharCode(byte)) : "a non-ASCII character";
            fail(`cell ${cells.length + 1} has ${what} after its closing quote; expected "," or the end of the line`);
          }
          break;
      }
    }
    if (!tooLong && (mode === Mode.Unquoted || mode === Mode.Quoted) && from < buf.length) {
      parts.push(buf.subarray(from));
    }
  }

  if (mode === Mode.Quoted) {
    fail(`the quoted cell ${cells.length + 1} opened on line ${quoteLine} is never closed; expected a closing quote`);
    endCell(Buffer.alloc(0), 0, 0, false);
  } else if (recordBytes > 0) {
    const empty = Buffer.alloc(0);
    endCell(empty, 0, 0, mode === Mode.Unquoted || mode === Mode.Start);
  } else {
    return;
  }
  const record = finishRecord();
  if (record) yield record;
}
