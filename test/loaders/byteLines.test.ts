import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isUtf8 } from "node:buffer";
import { invalidTextReason, UTF8 } from "../../src/io/encoding.js";
import { decodeLine, splitByteLineBatches, splitLineBatches, type ByteLines, type TextLine } from "../../src/io/lines.js";
import { cutOffsets, splitAt } from "./chunking.js";
import { asEnglish } from "../helpers.js";

/**
 * splitByteLineBatches (lines as places in the bytes, which splitLineBatches decodes) must give the
 * lines of the specification below for any bytes cut into chunks anywhere: BOM, LF/CRLF, lone CR, a last
 * line without newline, too-long lines reported once and skipped, line numbers, invalid UTF-8 (rejected,
 * never read as U+FFFD).
 */

async function* bufferStream(chunks: readonly Buffer[]): AsyncGenerator<Buffer> {
  for (const chunk of chunks) yield chunk;
}

/**
 * The lines of the whole input, written the obvious way: a leading BOM dropped, split at LF, a CR before
 * the LF dropped, too long when over `max` bytes, else invalid (with the reason) when not valid UTF-8,
 * else its bytes decoded as UTF-8 (for valid UTF-8 the bytes are the UTF-8 length of the text).
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
    const line = part[part.length - 1] === 13 ? part.subarray(0, -1) : part;
    if (line.length > max) return { line: i + 1, tooLong: true as const };
    if (!isUtf8(line)) return { line: i + 1, invalid: invalidTextReason(UTF8, line, 0, line.length) };
    return { line: i + 1, text: line.toString("utf8") };
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
  for (const batch of batches) {
    const { bytes, numbers, starts, ends } = batch;
    expect(numbers.length).toBeGreaterThan(0);
    expect(starts.length).toBe(numbers.length);
    expect(ends.length).toBe(numbers.length);
    for (let i = 0; i < numbers.length; i++) {
      const number = numbers[i] as number;
      const start = starts[i] as number;
      const end = ends[i] as number;
      expect(number).toBeGreaterThan(last);
      last = number;
      if (start === -1 || start === -2) {
        expect(end).toBe(start);
        // An invalid line has its reason; a too-long one none.
        expect(batch.invalid?.has(i) ?? false).toBe(start === -2);
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

  // Invalid UTF-8: the line that holds it is rejected with the reason (never decoded to U+FFFD), whether the chunks cut it or not.
  const invalid = [[0xff], [0x80], [0xc3], [0xe4, 0xb8], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xef, 0xbb]];
  const mixed = fc
    .array(fc.oneof({ arbitrary: fc.constantFrom(...pieces).map((p) => Buffer.from(p, "utf8")), weight: 2 }, { arbitrary: fc.constantFrom(...invalid).map((b) => Buffer.from(b)), weight: 1 }), { maxLength: 30 })
    .map((parts) => Buffer.concat(parts));

  it("rejects lines of invalid UTF-8 as specified, however cut, when no line is too long", async () => {
    const seen = { invalid: 0, text: 0 };
    await fc.assert(
      fc.asyncProperty(mixed.chain((bytes) => fc.record({ bytes: fc.constant(bytes), chunks: chunksOf(bytes) })), async ({ bytes, chunks }) => {
        const max = bytes.length + 1;
        const { lines, batches } = await byteLines(chunks, max);
        expect(lines).toStrictEqual(await textLines(chunks, max));
        checkPlaces(batches);
        for (const line of lines) {
          if ("invalid" in line) seen.invalid++;
          if ("text" in line) {
            seen.text++;
            expect(line.text).not.toContain("\ufffd");
          }
        }
      }),
      { numRuns: 1_000 },
    );
    expect(seen.invalid).toBeGreaterThan(300);
    expect(seen.text).toBeGreaterThan(300);
  });

  // An invalid line is measured by its bytes (a valid one's bytes are the UTF-8 length of its text).
  it("measures a line of invalid UTF-8 by its bytes", async () => {
    const chunks = [Buffer.from([0xff, 0x0a])];
    expect((await byteLines([Buffer.from([0xff, 0xfe, 0x0a])], 1)).lines).toStrictEqual([{ line: 1, tooLong: true }]);
    expect(asEnglish((await byteLines(chunks, 1)).lines)).toStrictEqual([
      { line: 1, invalid: "not valid UTF-8 (byte 0xFF at byte 1 of the line); name the file's encoding in channel-conflict.yaml (encoding: windows-1252, shift_jis, …)" },
    ]);
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
