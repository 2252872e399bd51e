import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeLine, splitByteLineBatches, splitLineBatches, type ByteLines, type TextLine } from "../../src/io/lines.js";
import { cutOffsets, splitAt } from "./chunking.js";

/**
 * splitByteLineBatches (lines as places in the bytes, which splitLineBatches decodes) must give the
 * lines of the specification below for any bytes cut into chunks anywhere: BOM, LF/CRLF, lone CR, a last
 * line without newline, too-long lines reported once and skipped, line numbers, invalid UTF-8.
 */

async function* bufferStream(chunks: readonly Buffer[]): AsyncGenerator<Buffer> {
  for (const chunk of chunks) yield chunk;
}

/**
 * The lines of the whole input, written the obvious way: a leading BOM dropped, split at LF, a CR before
 * the LF dropped, each line its bytes decoded as UTF-8, too long when that text is over `max` bytes.
 */
function specLines(chunks: readonly Buffer[], max: number): TextLine[] {
  let bytes = Buffer.concat(chunks);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  const parts: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, start)) {
    parts.push(bytes.subarray(start, at));
    start = at + 1;
  }
  if (start < bytes.length) parts.push(bytes.subarray(start));
  return parts.map((part, i) => {
    const text = (part[part.length - 1] === 13 ? part.subarray(0, -1) : part).toString("utf8");
    return Buffer.byteLength(text) > max ? { line: i + 1, tooLong: true as const } : { line: i + 1, text };
  });
}

/** What splitLineBatches gives: the same lines, decoded. */
async function textLines(chunks: readonly Buffer[], max: number): Promise<TextLine[]> {
  const lines: TextLine[] = [];
  for await (const batch of splitLineBatches(bufferStream(chunks), max)) lines.push(...batch);
  expect(lines).toStrictEqual(specLines(chunks, max));
  return lines;
}

async function byteLines(chunks: readonly Buffer[], max: number): Promise<{ lines: TextLine[]; batches: ByteLines[] }> {
  const lines: TextLine[] = [];
  const batches: ByteLines[] = [];
  for await (const batch of splitByteLineBatches(bufferStream(chunks), max)) {
    // A copy of the bytes: the splitter may reuse them for its next batch.
    batches.push({ ...batch, bytes: Buffer.from(batch.bytes) });
    for (let i = 0; i < batch.numbers.length; i++) lines.push(decodeLine(batch, i));
  }
  return { lines, batches };
}

/** The places of each batch: in the bytes, without LF. */
function checkPlaces(batches: readonly ByteLines[]): void {
  let last = 0;
  for (const { bytes, numbers, starts, ends } of batches) {
    expect(numbers.length).toBeGreaterThan(0);
    expect(starts.length).toBe(numbers.length);
    expect(ends.length).toBe(numbers.length);
    for (let i = 0; i < numbers.length; i++) {
      const number = numbers[i] as number;
      const start = starts[i] as number;
      const end = ends[i] as number;
      expect(number).toBeGreaterThan(last);
      last = number;
      if (start === -1) {
        expect(end).toBe(-1);
        continue;
      }
      expect(0 <= start && start <= end && end <= bytes.length).toBe(true);
      expect(bytes.subarray(start, end).includes(10)).toBe(false);
    }
  }
}

const pieces = ["a", "{", "\r", "\n", "\r\n", "é", "中", "😀", "\ufeff"];
const piece = fc.oneof({ arbitrary: fc.constantFrom(...pieces), weight: 8 }, { arbitrary: fc.constant("a".repeat(12)), weight: 1 });
/** Valid UTF-8 text, a BOM first sometimes. */
const content = fc.tuple(fc.boolean(), fc.array(piece, { maxLength: 50 })).map(([bom, parts]) => Buffer.from((bom ? "\ufeff" : "") + parts.join(""), "utf8"));
/** Cut offsets: anywhere, or after every byte of the start (a BOM 1 byte at a time), or after every byte. */
const cutsFor = (bytes: Buffer) =>
  fc.oneof(
    { arbitrary: cutOffsets(bytes.length), weight: 6 },
    { arbitrary: fc.nat(6).map((n) => [...Array(n).keys()].map((i) => i + 1)), weight: 1 },
    { arbitrary: fc.constant([...Array(bytes.length).keys()]), weight: 1 },
  );
/** Chunks, with empty buffers here and there (a stream may hand one out). */
const chunksOf = (bytes: Buffer) =>
  fc.tuple(cutsFor(bytes), fc.array(fc.nat(20), { maxLength: 2 })).map(([cuts, empties]) => {
    const chunks = splitAt(bytes, cuts);
    for (const at of empties) chunks.splice(at % (chunks.length + 1), 0, Buffer.alloc(0));
    return chunks;
  });
const input = content.chain((bytes) => fc.record({ bytes: fc.constant(bytes), chunks: chunksOf(bytes), max: fc.integer({ min: 1, max: 40 }) }));

describe("splitByteLineBatches", () => {
  it("gives the specified lines for any valid UTF-8, however cut, whatever maxLineBytes", async () => {
    const seen = { runs: 0, lines: 0, tooLong: 0, kept: 0, bom: 0, multiChunk: 0 };
    await fc.assert(
      fc.asyncProperty(input, async ({ bytes, chunks, max }) => {
        const expected = await textLines(chunks, max);
        const { lines, batches } = await byteLines(chunks, max);
        expect(lines).toStrictEqual(expected);
        checkPlaces(batches);
        seen.runs++;
        seen.lines += lines.length;
        seen.tooLong += lines.filter((line) => "tooLong" in line).length;
        seen.kept += lines.filter((line) => "text" in line && line.text.length > 0).length;
        if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) seen.bom++;
        if (chunks.length > 1) seen.multiChunk++;
      }),
      { numRuns: 5_000 },
    );
    // Too-long lines, kept lines, BOMs and several chunks must all be common, or this proves little
    // (typically about 8,300 lines, 1,850 too long, 4,600 kept non-empty, 2,700 BOMs, 4,700 runs of several chunks).
    expect(seen.tooLong).toBeGreaterThan(1_300);
    expect(seen.kept).toBeGreaterThan(3_500);
    expect(seen.bom).toBeGreaterThan(2_000);
    expect(seen.multiChunk).toBeGreaterThan(4_000);
  });

  it("keeps a BOM that comes in 1-byte chunks out of the first line", async () => {
    const bytes = Buffer.from("\ufeffab\ncd", "utf8");
    for (const chunks of [splitAt(bytes, [1, 2, 3]), splitAt(bytes, [1, 2]), splitAt(bytes, [1]), splitAt(bytes, [2, 4]), [bytes.subarray(0, 1), Buffer.alloc(0), bytes.subarray(1)]]) {
      const { lines, batches } = await byteLines(chunks, 2);
      expect(lines).toStrictEqual([{ line: 1, text: "ab" }, { line: 2, text: "cd" }]);
      expect(lines).toStrictEqual(await textLines(chunks, 2));
      checkPlaces(batches);
    }
    // A BOM only, or a part of one: no line, or the part as a line of its own.
    for (const chunks of [[Buffer.from([0xef]), Buffer.from([0xbb]), Buffer.from([0xbf])], [Buffer.from([0xef, 0xbb])], [Buffer.from([0xef]), Buffer.from([0xbb, 0x61])]]) {
      expect((await byteLines(chunks, 10)).lines).toStrictEqual(await textLines(chunks, 10));
    }
    expect((await byteLines([Buffer.from([0xef]), Buffer.from([0xbb]), Buffer.from([0xbf])], 10)).lines).toStrictEqual([]);
  });

  it("ends a line at a CRLF split between chunks, and keeps a lone CR inside a line", async () => {
    const chunks = [Buffer.from("ab\r"), Buffer.from("\ncd\re\r"), Buffer.from("\n")];
    const { lines } = await byteLines(chunks, 4);
    expect(lines).toStrictEqual([{ line: 1, text: "ab" }, { line: 2, text: "cd\re" }]);
    expect(lines).toStrictEqual(await textLines(chunks, 4));
    // "ab\r" followed by LF is 2 bytes long: not too long for 2.
    expect((await byteLines([Buffer.from("ab\r"), Buffer.from("\n")], 2)).lines).toStrictEqual([{ line: 1, text: "ab" }]);
  });

  it("reports a too-long line spanning several chunks once and goes on with the next line", async () => {
    const chunks = [Buffer.from("ok\nxxxx"), Buffer.from("xxxx"), Buffer.from("xx"), Buffer.from("xx\nyes\n")];
    const { lines, batches } = await byteLines(chunks, 5);
    expect(lines).toStrictEqual([{ line: 1, text: "ok" }, { line: 2, tooLong: true }, { line: 3, text: "yes" }]);
    expect(lines).toStrictEqual(await textLines(chunks, 5));
    checkPlaces(batches);
  });

  it("drops the CR of a file that ends in CR, as the last line's end", async () => {
    for (const chunks of [[Buffer.from("a\nb\r")], [Buffer.from("a\nb"), Buffer.from("\r")], [Buffer.from("\r")]]) {
      const { lines, batches } = await byteLines(chunks, 10);
      expect(lines).toStrictEqual(await textLines(chunks, 10));
      checkPlaces(batches);
    }
    expect((await byteLines([Buffer.from("a\nb\r")], 10)).lines).toStrictEqual([{ line: 1, text: "a" }, { line: 2, text: "b" }]);
    expect((await byteLines([Buffer.from("a\nbc\r")], 2)).lines).toStrictEqual([{ line: 1, text: "a" }, { line: 2, text: "bc" }]);
  });

  // Invalid UTF-8: each invalid sequence decodes to U+FFFD, whether the chunks cut it or not.
  const invalid = [[0xff], [0x80], [0xc3], [0xe4, 0xb8], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xef, 0xbb]];
  const mixed = fc
    .array(fc.oneof({ arbitrary: fc.constantFrom(...pieces).map((p) => Buffer.from(p, "utf8")), weight: 2 }, { arbitrary: fc.constantFrom(...invalid).map((b) => Buffer.from(b)), weight: 1 }), { maxLength: 30 })
    .map((parts) => Buffer.concat(parts));

  it("decodes invalid UTF-8 as specified, however cut, when no line is too long", async () => {
    await fc.assert(
      fc.asyncProperty(mixed.chain((bytes) => fc.record({ bytes: fc.constant(bytes), chunks: chunksOf(bytes) })), async ({ bytes, chunks }) => {
        // Each replacement char is 3 bytes for at least 1 byte read: no line reaches 3 times the input.
        const max = 3 * bytes.length + 3;
        const { lines, batches } = await byteLines(chunks, max);
        expect(lines).toStrictEqual(await textLines(chunks, max));
        checkPlaces(batches);
      }),
      { numRuns: 1_000 },
    );
  });

  // A line is measured by the UTF-8 length of its text, where each invalid sequence became U+FFFD
  // (3 bytes), so invalid bytes near the limit count as their replacements.
  it("measures a line of invalid UTF-8 by the UTF-8 length of its text", async () => {
    const chunks = [Buffer.from([0xff, 0x0a])];
    expect((await byteLines(chunks, 1)).lines).toStrictEqual([{ line: 1, tooLong: true }]);
    expect((await byteLines(chunks, 3)).lines).toStrictEqual([{ line: 1, text: "\ufffd" }]);
    await fc.assert(
      fc.asyncProperty(
        mixed.chain((bytes) => fc.record({ bytes: fc.constant(bytes), chunks: chunksOf(bytes), max: fc.integer({ min: 1, max: 40 }) })),
        async ({ chunks, max }) => {
          const { lines, batches } = await byteLines(chunks, max);
          expect(lines).toStrictEqual(await textLines(chunks, max));
          checkPlaces(batches);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
