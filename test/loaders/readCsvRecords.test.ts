import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCsvRecords, type CsvRecord } from "../../src/io/readCsvRecords.js";
import { collect, cutOffsets, splitAt, streamOf } from "./chunking.js";
import { asEnglish } from "../helpers.js";

async function parse(text: string | Buffer, max = 1 << 20, cuts: number[] = []): Promise<CsvRecord[]> {
  return collect(readCsvRecords(streamOf(splitAt(Buffer.from(text), cuts)), max));
}

/** RFC 4180 quoting: a cell is quoted when it must be (or when asked), inner quotes doubled. */
function quoteCell(cell: string, always: boolean): string {
  return always || /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

describe("readCsvRecords", () => {
  it("reads quoted cells with embedded commas, doubled quotes and newlines, numbering records by their first line", async () => {
    const text = 'id,name,note\r\n1,"Acme, Ltd.","say ""hi"""\r\n2,"two\r\nlines",x\r\n3,,\r\n';
    expect(await parse(text)).toEqual([
      { line: 1, cells: ["id", "name", "note"] },
      { line: 2, cells: ["1", "Acme, Ltd.", 'say "hi"'] },
      { line: 3, cells: ["2", "two\r\nlines", "x"] },
      { line: 5, cells: ["3", "", ""] },
    ]);
  });

  it("skips a BOM and blank lines (LF, CRLF) without losing count of the lines", async () => {
    expect(await parse("\ufeffa,b\n\n\r\n1,2\n")).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 4, cells: ["1", "2"] },
    ]);
  });

  it("reads a last record without a line end", async () => {
    expect(await parse("a,b\n1,\"2\"")).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ["1", "2"] },
    ]);
  });

  it("rejects a quote inside an unquoted cell and reads on from the next record", async () => {
    expect(asEnglish(await parse('a,b\n1,li"st"ing\n2,ok\n'))).toEqual([
      { line: 1, cells: ["a", "b"] },
      {
        line: 2,
        error: 'CSV: cell 2 has a quote inside an unquoted value; expected the whole cell in quotes, with inner quotes doubled ("")',
      },
      { line: 3, cells: ["2", "ok"] },
    ]);
  });

  it("rejects text after a closing quote", async () => {
    expect(asEnglish(await parse('a,b\n"1"x,2\n3,4\n'))).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, error: 'CSV: cell 1 has "x" after its closing quote; expected "," or the end of the line' },
      { line: 3, cells: ["3", "4"] },
    ]);
  });

  it("rejects a quote left open at the end of the file, naming the line it opened on", async () => {
    expect(asEnglish(await parse('a,b\n1,2\n3,"open\n4,5\n'))).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ["1", "2"] },
      { line: 3, error: "CSV: the quoted cell 2 opened on line 3 is never closed; expected a closing quote" },
    ]);
  });

  it("rejects a record over maxRecordBytes without buffering it, following its quotes to its end, and reads on", async () => {
    const long = "x".repeat(5000);
    const text = `a,b\n1,${long}\n2,"${long}\n${long}, still quoted"\n3,"ok"\n`;
    const records = await parse(text, 100, [7, 100, 2000, 6000, 9000]);
    expect(asEnglish(records)).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, error: "record is longer than maxRecordBytes (100 bytes)" },
      { line: 3, error: "record is longer than maxRecordBytes (100 bytes)" },
      { line: 5, cells: ["3", "ok"] },
    ]);
  });

  it("keeps a record of exactly maxRecordBytes bytes (UTF-8, the line end not counted)", async () => {
    // "中,中" is 7 bytes.
    expect(asEnglish(await parse("中,中\r\n中,中中\r\n", 7))).toEqual([
      { line: 1, cells: ["中", "中"] },
      { line: 2, error: "record is longer than maxRecordBytes (7 bytes)" },
    ]);
  });

  it("round-trips any cells, however the bytes are cut into chunks", async () => {
    const cell = fc.string({ unit: fc.constantFrom("a", " ", ",", '"', "\n", "\r\n", "é", "中", "😀"), maxLength: 8 });
    const row = fc.array(cell, { minLength: 1, maxLength: 5 }).filter((cells) => !(cells.length === 1 && cells[0] === ""));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(row, fc.boolean()), { maxLength: 6 }),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        cutOffsets(400),
        async (rows, lineEnd, finalLineEnd, cuts) => {
          let text = "";
          let line = 1;
          const expected: CsvRecord[] = [];
          rows.forEach(([cells, quoteAll], i) => {
            const raw = cells.map((c) => quoteCell(c, quoteAll)).join(",");
            expected.push({ line, cells });
            text += raw + (i < rows.length - 1 || finalLineEnd ? lineEnd : "");
            line += raw.split("\n").length;
          });
          expect(await parse(text, 1 << 20, cuts)).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("rejects exactly the records over the limit, however the bytes are cut", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom("a", "中", ","), minLength: 1, maxLength: 12 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 20 }),
        cutOffsets(200),
        async (lines, max, cuts) => {
          const expected = lines.map((text, i): CsvRecord =>
            Buffer.byteLength(text) > max
              ? { line: i + 1, error: { code: "too_long", args: { unit: "record", maxRecordBytes: max } } }
              : { line: i + 1, cells: text.split(",") },
          );
          expect(await parse(lines.map((l) => `${l}\r\n`).join(""), max, cuts)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
  it("reads any input, well-formed or not, the same however it is cut, one result per record in line order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom("a", "中", ",", '"', "\n", "\r", "\ufeff"), maxLength: 60 }),
        fc.integer({ min: 1, max: 30 }),
        cutOffsets(200),
        async (text, max, cuts) => {
          const whole = await parse(text, max);
          expect(await parse(text, max, cuts)).toEqual(whole);
          const lineCount = text.split("\n").length;
          whole.forEach((record, i) => {
            expect(record.line).toBeGreaterThanOrEqual(1);
            expect(record.line).toBeLessThanOrEqual(lineCount);
            if (i > 0) expect(record.line).toBeGreaterThan((whole[i - 1] as CsvRecord).line);
          });
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("readCsvRecords, cases found by the properties", () => {
  it("strips only the CR of the CRLF when a chunk ends between two CRs", async () => {
    expect(await parse("aaa中aa\r\r\n", 9, [9])).toEqual([{ line: 1, cells: ["aaa中aa\r"] }]);
  });

  it("drops a BOM cut across chunks", async () => {
    expect(await parse("\ufeffa,b\n", 100, [1, 2])).toEqual([{ line: 1, cells: ["a", "b"] }]);
  });
});

describe("readCsvRecords, messages", () => {
  it("names a non-ASCII character after a closing quote without showing half of it", async () => {
    expect(asEnglish(await parse('"a"中,b\n'))).toEqual([
      { line: 1, error: 'CSV: cell 1 has a non-ASCII character after its closing quote; expected "," or the end of the line' },
    ]);
  });
});
