import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitLines, type TextLine } from "../../src/io/lines.js";
import { readNdjsonStreamBatches } from "../../src/io/readRecords.js";
import { collect, cutOffsets, splitAt, streamOf } from "./chunking.js";
import { asEnglish } from "../helpers.js";

/** What splitLines must return for a whole text: the specification, written the obvious way. */
function modelLines(text: string, maxLineBytes: number): TextLine[] {
  const body = text.startsWith("\ufeff") ? text.slice(1) : text;
  const parts = body.split("\n");
  if (parts[parts.length - 1] === "") parts.pop();
  return parts.map((part, i) => {
    const clean = part.endsWith("\r") ? part.slice(0, -1) : part;
    return Buffer.byteLength(clean) > maxLineBytes ? { line: i + 1, tooLong: true as const } : { line: i + 1, text: clean };
  });
}

const lineText = fc.string({ unit: fc.constantFrom("a", "{", "\"", " ", "é", "中", "😀", "\r"), maxLength: 30 });

describe("splitLines", () => {
  it("splits LF and CRLF lines, numbers them from 1 and drops a leading BOM", async () => {
    const lines = await collect(splitLines(streamOf([Buffer.from("\ufeffone\r\ntwo\n\nthree")]), 100));
    expect(lines).toEqual([
      { line: 1, text: "one" },
      { line: 2, text: "two" },
      { line: 3, text: "" },
      { line: 4, text: "three" },
    ]);
  });

  it("reports an over-long line once, by its number, and goes on with the next line", async () => {
    const text = `short\n${"x".repeat(50)}\nafter\n`;
    const lines = await collect(splitLines(streamOf(splitAt(Buffer.from(text), [10, 20, 30])), 20));
    expect(lines).toEqual([
      { line: 1, text: "short" },
      { line: 2, tooLong: true },
      { line: 3, text: "after" },
    ]);
  });

  it("keeps a line of exactly maxLineBytes bytes, counting UTF-8 bytes rather than characters", async () => {
    // "中" is 3 bytes: 4 of them are 12 bytes.
    const lines = await collect(splitLines(streamOf([Buffer.from("中中中中\n中中中中中\n")]), 12));
    expect(lines).toEqual([
      { line: 1, text: "中中中中" },
      { line: 2, tooLong: true },
    ]);
  });

  it("gives the same lines however the bytes are cut into chunks (multi-byte characters and CRLF included)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineText, { maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        cutOffsets(300),
        async (lineTexts, bom, trailingNewline, max, cuts) => {
          const text = (bom ? "\ufeff" : "") + lineTexts.join("\n") + (trailingNewline && lineTexts.length > 0 ? "\n" : "");
          const lines = await collect(splitLines(streamOf(splitAt(Buffer.from(text), cuts)), max));
          expect(lines).toEqual(modelLines(text, max));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("splitLines over string chunks", () => {
  it("reads them as their UTF-8 bytes: a character cut between two chunks stays one, a BOM is dropped", async () => {
    const lines = await collect(splitLines(streamOf(["\ufeffa\ud83d", "\ude00b\n", "中\r", "\nlast"]), 100));
    expect(lines).toEqual([
      { line: 1, text: "a😀b" },
      { line: 2, text: "中" },
      { line: 3, text: "last" },
    ]);
  });

  it("measures a line in UTF-8 bytes, as for byte chunks", async () => {
    expect(await collect(splitLines(streamOf(["中中\n", "中中中\n"]), 6))).toEqual([
      { line: 1, text: "中中" },
      { line: 2, tooLong: true },
    ]);
  });
});

describe("readNdjsonStreamBatches (events on stdin)", () => {
  it("reads records split across chunks, skips blank lines and rejects bad lines by number", async () => {
    const text = '{"id":"a"}\n\n{"id":\n  \n{"id":"b"}';
    const records = (await collect(readNdjsonStreamBatches(streamOf(splitAt(Buffer.from(text), [3, 12, 15])), "<stdin>"))).flat();
    expect(asEnglish(records)).toEqual([
      { origin: { file: "<stdin>", line: 1 }, value: { id: "a" } },
      { origin: { file: "<stdin>", line: 3 }, error: expect.stringMatching(/^not valid JSON \(.+\)$/) },
      { origin: { file: "<stdin>", line: 5 }, value: { id: "b" } },
    ]);
  });

  it("rejects an over-long line by number and reads on", async () => {
    const text = `{"id":"a"}\n{"id":"${"x".repeat(100)}"}\n{"id":"c"}\n`;
    const records = (await collect(readNdjsonStreamBatches(streamOf([text]), "<stdin>", { maxRecordBytes: 50, maxJsonFileBytes: 1 }))).flat();
    expect(asEnglish(records)).toEqual([
      { origin: { file: "<stdin>", line: 1 }, value: { id: "a" } },
      { origin: { file: "<stdin>", line: 2 }, error: "line is longer than maxRecordBytes (50 bytes)" },
      { origin: { file: "<stdin>", line: 3 }, value: { id: "c" } },
    ]);
  });
});
