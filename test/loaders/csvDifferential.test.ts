import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCsvRecords } from "../../src/io/readCsvRecords.js";

async function ours(text: string, cuts: number[]): Promise<string[][]> {
  const bytes = Buffer.from(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(last, p));
    last = p;
  }
  chunks.push(bytes.subarray(last));
  const rows: string[][] = [];
  async function* stream() {
    yield* chunks;
  }
  for await (const record of readCsvRecords(stream(), 1 << 20)) {
    if ("error" in record) throw new Error(`unexpected rejection at line ${record.line}: ${record.error}`);
    rows.push(record.cells);
  }
  return rows;
}

/** A cell as a writer would quote it: plain, or quoted with inner quotes doubled. */
const cell = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 ._:|-]{0,8}$/),
  fc.string({ maxLength: 8, unit: fc.constantFrom("a", ",", '"', "\n", "\r\n", "中", " ") }).map((s) => `"${s.replace(/"/g, '""')}"`),
);

describe("readCsvRecords and csv-parse", () => {
  it("read well-formed CSV into the same cells, however the bytes are cut", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom("\n", "\r\n"),
        fc.array(fc.nat(), { maxLength: 5 }),
        async (rows, eol, cuts) => {
          // A row of one empty cell (plain or quoted) reads as a blank line: leave those out.
          const kept = rows.filter((row) => !(row.length === 1 && (row[0] === "" || row[0] === '""')));
          fc.pre(kept.length > 0);
          const text = kept.map((row) => row.join(",")).join(eol) + eol;
          const reference = parse(text, { relax_column_count: true, skip_empty_lines: true, record_delimiter: eol }) as string[][];
          expect(await ours(text, cuts)).toEqual(reference);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
