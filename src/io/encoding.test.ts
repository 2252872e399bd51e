import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstInvalidByte, InvalidTextError, invalidTextReason, textEncoding, utf8Bytes, UTF8, type TextEncoding } from "./encoding.js";
import { decodeLine, splitByteLineBatches, splitLines, type ByteLines, type TextLine } from "./lines.js";
import { readCsvRecords, type CsvRecord } from "./readCsvRecords.js";
import { isUtf8 } from "node:buffer";
import { asEnglish } from "../../test/helpers.js";

// Bytes of other encodings, written out (Node has no GB, Big5 or Shift_JIS encoder); each checked below
// against TextDecoder.
const GB = {
  华南: [0xbb, 0xaa, 0xc4, 0xcf],
  华北: [0xbb, 0xaa, 0xb1, 0xb1],
  中文: [0xd6, 0xd0, 0xce, 0xc4],
  /** U+1F600, a four-byte GB18030 sequence. */
  grin: [0x94, 0x39, 0xfc, 0x36],
  /** 亅: a two-byte character whose second byte is `|`. */
  bar: [0x81, 0x7c],
  bom: [0x84, 0x31, 0x95, 0x33],
};
const BIG5 = { 中文: [0xa4, 0xa4, 0xa4, 0xe5], /** 弋, second byte `|` */ bar: [0xa4, 0x7c] };

/** Bytes from pieces: strings as UTF-8 (ASCII here), arrays as they are. */
function bytes(...pieces: (string | number[])[]): Buffer {
  return Buffer.concat(pieces.map((piece) => (typeof piece === "string" ? Buffer.from(piece, "utf8") : Buffer.from(piece))));
}

function encoding(label: string): TextEncoding {
  const found = textEncoding(label);
  if (!found) throw new Error(`no encoding ${label}`);
  return found;
}

async function* streamOf<T>(chunks: Iterable<T>): AsyncGenerator<T> {
  for (const chunk of chunks) yield chunk;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The buffer cut at `cuts`. */
function cut(buffer: Buffer, ...cuts: number[]): Buffer[] {
  const points = [0, ...cuts, buffer.length];
  return points.slice(1).map((end, i) => buffer.subarray(points[i], end));
}

/** Every way of cutting `buffer` in two, and in three for a short one. */
function cuttings(buffer: Buffer): Buffer[][] {
  const out: Buffer[][] = [];
  for (let i = 0; i <= buffer.length; i++) {
    out.push(cut(buffer, i));
    if (buffer.length <= 40) for (let j = i; j <= buffer.length; j++) out.push(cut(buffer, i, j));
  }
  return out;
}

const lines = (chunks: Iterable<Buffer | string>, max = 1000, enc: TextEncoding = UTF8) => collect(splitLines(streamOf(chunks), max, enc));

describe("the sample bytes", () => {
  it("are what TextDecoder reads", () => {
    const gb = new TextDecoder("gb18030", { fatal: true });
    expect(gb.decode(Buffer.from(GB.华南))).toBe("华南");
    expect(gb.decode(Buffer.from(GB.华北))).toBe("华北");
    expect(gb.decode(Buffer.from(GB.中文))).toBe("中文");
    expect(gb.decode(Buffer.from(GB.grin))).toBe("😀");
    expect(gb.decode(Buffer.from(GB.bar))).toBe("亅");
    expect(new TextDecoder("gbk", { fatal: true }).decode(Buffer.from(GB.中文))).toBe("中文");
    expect(new TextDecoder("big5", { fatal: true }).decode(Buffer.from(BIG5.中文))).toBe("中文");
    expect(new TextDecoder("big5", { fatal: true }).decode(Buffer.from(BIG5.bar))).toBe("弋");
  });
});

describe("textEncoding", () => {
  it("knows WHATWG labels, by their canonical name, and how messages name them", () => {
    const seen = (label: string) => {
      const e = encoding(label);
      return [e.name, e.label, e.asciiCompatible];
    };
    expect(seen("utf-8")).toEqual(["utf-8", "UTF-8", true]);
    expect(seen("UTF8")).toEqual(["utf-8", "UTF-8", true]);
    expect(seen("gb18030")).toEqual(["gb18030", "GB18030", true]);
    expect(seen("GBK")).toEqual(["gbk", "GBK", true]);
    expect(seen("gb2312")).toEqual(["gbk", "GBK", true]);
    expect(seen("big5")).toEqual(["big5", "Big5", true]);
    expect(seen("sjis")).toEqual(["shift_jis", "Shift_JIS", true]);
    expect(seen("euc-kr")).toEqual(["euc-kr", "EUC-KR", true]);
    expect(seen("latin1")).toEqual(["windows-1252", "windows-1252", true]);
    expect(seen("iso-8859-2")).toEqual(["iso-8859-2", "ISO-8859-2", true]);
    expect(seen("koi8-r")).toEqual(["koi8-r", "KOI8-R", true]);
    expect(seen("utf-16le")).toEqual(["utf-16le", "UTF-16LE", false]);
    expect(seen("utf-16")).toEqual(["utf-16le", "UTF-16LE", false]);
    expect(seen("utf-16be")).toEqual(["utf-16be", "UTF-16BE", false]);
    expect(seen("iso-2022-jp")).toEqual(["iso-2022-jp", "ISO-2022-JP", false]);
    expect(textEncoding("utf-8")).toBe(UTF8);
    expect(Object.isFrozen(UTF8)).toBe(true);
  });

  it("is undefined for a label TextDecoder does not know, or cannot decode", () => {
    expect(textEncoding("utf-9")).toBeUndefined();
    expect(textEncoding("")).toBeUndefined();
    expect(textEncoding("chinese-ish")).toBeUndefined();
    expect(textEncoding("iso-2022-kr")).toBeUndefined(); // the "replacement" encoding
  });
});

describe("decode", () => {
  it("gives the text of valid bytes, and undefined (never U+FFFD) for invalid ones", () => {
    const gb = bytes("D-", GB.华南, "!");
    expect(UTF8.decode(gb, 0, gb.length)).toBeUndefined();
    expect(UTF8.decode(gb, 0, 2)).toBe("D-");
    expect(encoding("gb18030").decode(gb, 0, gb.length)).toBe("D-华南!");
    expect(encoding("gbk").decode(gb, 2, 6)).toBe("华南");
    // Half a character is not valid.
    expect(encoding("gb18030").decode(gb, 2, 5)).toBeUndefined();
    for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80]]) {
      const b = bytes("a", bad, "b");
      expect(UTF8.decode(b, 0, b.length)).toBeUndefined();
    }
  });

  it("keeps valid UTF-8: emoji, and U+FFFD written in the file", () => {
    const text = "ok 😀 中 \ufffd é";
    const b = Buffer.from(text, "utf8");
    expect(UTF8.decode(b, 0, b.length)).toBe(text);
    expect(UTF8.decode(new Uint8Array(b), 3, 7)).toBe("😀");
  });

  it("reads windows-1252 as WHATWG says (0x80 is €), not as Latin-1", () => {
    const b = Buffer.from([0x80, 0x20, 0x93, 0x71, 0x94, 0x20, 0xe9, 0x81]);
    expect(encoding("windows-1252").decode(b, 0, b.length)).toBe("\u20ac \u201cq\u201d \u00e9\u0081");
  });

  it("reads Big5 and Shift_JIS", () => {
    const big5 = bytes("x", BIG5.中文);
    expect(encoding("big5").decode(big5, 0, big5.length)).toBe("x中文");
    const sjis = Buffer.from([0x95, 0x5c, 0x41]);
    expect(encoding("shift_jis").decode(sjis, 0, 3)).toBe("表A");
  });
});

describe("invalidTextReason", () => {
  it("names UTF-8, the byte and where it is, and suggests GB18030 when the bytes are GB18030", () => {
    const line = bytes('{"region":"D-', GB.华南, '"}');
    expect(asEnglish(invalidTextReason(UTF8, line, 0, line.length))).toBe(
      "not valid UTF-8 (byte 0xBB at byte 14 of the line); if this file is GB18030, say so in channel-conflict.yaml (encoding: gb18030)",
    );
    // 0xD6 0xD0 (中): 0xD6 starts a two-byte UTF-8 sequence that 0xD0 does not continue; the place is the start.
    const zh = bytes("ab", GB.中文);
    expect(asEnglish(invalidTextReason(UTF8, zh, 0, zh.length, "record"))).toBe(
      "not valid UTF-8 (byte 0xD6 at byte 3 of the record); if this file is GB18030, say so in channel-conflict.yaml (encoding: gb18030)",
    );
  });

  it("asks for the file's encoding when the bytes are not GB18030 either", () => {
    const cafe = Buffer.from("caf\u00e9 ok", "latin1");
    expect(asEnglish(invalidTextReason(UTF8, cafe, 0, cafe.length))).toBe(
      "not valid UTF-8 (byte 0xE9 at byte 4 of the line); name the file's encoding in channel-conflict.yaml (encoding: windows-1252, shift_jis, …)",
    );
  });

  it("for another encoding, names it and asks to check it", () => {
    const line = bytes("ab", GB.华南, [0x81, 0x20], "c");
    expect(asEnglish(invalidTextReason(encoding("gb18030"), line, 0, line.length))).toBe(
      "not valid GB18030 (byte 0x81 at byte 7 of the line); check the encoding named in channel-conflict.yaml",
    );
    // An unfinished last character.
    const cut = bytes("ab", [0xbb]);
    expect(asEnglish(invalidTextReason(encoding("gbk"), cut, 0, cut.length))).toBe("not valid GBK (byte 0xBB at byte 3 of the line); check the encoding named in channel-conflict.yaml");
    const big5 = bytes("x", [0xa4, 0x20]);
    expect(asEnglish(invalidTextReason(encoding("big5"), big5, 0, big5.length))).toMatch(/^not valid Big5 \(byte 0xA4 at byte 2 of the line\)/);
  });

  it("counts from the start given, or as offsetOf says", () => {
    const b = bytes("xxxx", "ab", [0xff]);
    expect(asEnglish(invalidTextReason(UTF8, b, 4, b.length))).toMatch(/\(byte 0xFF at byte 3 of the line\)/);
    expect(asEnglish(invalidTextReason(UTF8, b, 4, b.length, "record", (i) => i + 10))).toMatch(/\(byte 0xFF at byte 17 of the record\)/);
  });

  it("firstInvalidByte finds the start of the first ill-formed sequence, or -1", () => {
    expect(firstInvalidByte(UTF8, Buffer.from("héllo 😀"), 0, 11)).toBe(-1);
    expect(firstInvalidByte(UTF8, bytes("ab", [0xe0, 0x80, 0x80]), 0, 5)).toBe(2);
    expect(firstInvalidByte(UTF8, bytes("ab", [0xf0, 0x9f, 0x98]), 0, 5)).toBe(2);
    expect(firstInvalidByte(encoding("gb18030"), bytes("a", GB.grin, [0x81, 0x30, 0x81, 0x20]), 0, 9)).toBe(5);
    expect(firstInvalidByte(encoding("gb18030"), bytes("a", GB.grin), 0, 5)).toBe(-1);
  });
});

describe("utf8Bytes", () => {
  it("transcodes UTF-16LE (BOM stripped) to UTF-8, whatever the chunks cut", async () => {
    const text = "id,名\n😀,é\n";
    const utf16 = Buffer.from(`\ufeff${text}`, "utf16le");
    for (const chunks of cuttings(utf16)) {
      const out = Buffer.concat(await collect(utf8Bytes(streamOf(chunks), encoding("utf-16le"))));
      expect(out.toString("utf8")).toBe(text);
    }
  });

  it("transcodes UTF-16BE", async () => {
    const le = Buffer.from("\ufeffab😀", "utf16le");
    const be = Buffer.from(le).swap16();
    expect(Buffer.concat(await collect(utf8Bytes(streamOf([be]), encoding("utf-16be")))).toString("utf8")).toBe("ab😀");
  });

  it("fails on invalid UTF-16, near the byte", async () => {
    // A lone high surrogate (bytes 5-6, counted from 1) followed by "b".
    const bad = Buffer.concat([Buffer.from("\ufeffa", "utf16le"), Buffer.from([0x3d, 0xd8]), Buffer.from("b", "utf16le")]);
    for (const chunks of cuttings(bad)) {
      const error = await collect(utf8Bytes(streamOf(chunks), encoding("utf-16le"))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidTextError);
      expect((error as Error).message).toBe("not valid UTF-16LE near byte 5");
    }
    // An odd last byte, or a high surrogate at the end.
    const odd = Buffer.from([0x61, 0x00, 0x62]);
    await expect(collect(utf8Bytes(streamOf([odd]), encoding("utf-16le")))).rejects.toThrow("not valid UTF-16LE near byte 3");
    const high = Buffer.from([0x61, 0x00, 0x3d, 0xd8]);
    await expect(collect(utf8Bytes(streamOf(cut(high, 3)), encoding("utf-16le")))).rejects.toThrow("not valid UTF-16LE near byte 3");
  });

  it("hands the chunks of an ASCII-compatible encoding on untouched", async () => {
    const chunks = [Buffer.from(GB.华南), Buffer.from([0xff])];
    const out = await collect(utf8Bytes(streamOf(chunks), encoding("gb18030")));
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(chunks[0]);
    expect(out[1]).toBe(chunks[1]);
  });
});

describe("lines in an encoding", () => {
  const file = bytes('{"region":"D-', GB.华南, '"}\n{"region":"plain"}\r\n{"region":"D-', GB.华北, '"}\n');

  it("read as UTF-8, GB18030 bytes make invalid lines that suggest gb18030; the other lines read", async () => {
    const reason = "not valid UTF-8 (byte 0xBB at byte 14 of the line); if this file is GB18030, say so in channel-conflict.yaml (encoding: gb18030)";
    expect(asEnglish(await lines([file]))).toStrictEqual([
      { line: 1, invalid: reason },
      { line: 2, text: '{"region":"plain"}' },
      { line: 3, invalid: reason },
    ]);
  });

  it("read as GB18030 (or GBK), give the text; D-华南 and D-华北 stay distinct", async () => {
    const expected: TextLine[] = [
      { line: 1, text: '{"region":"D-华南"}' },
      { line: 2, text: '{"region":"plain"}' },
      { line: 3, text: '{"region":"D-华北"}' },
    ];
    expect(await lines([file], 1000, encoding("gb18030"))).toStrictEqual(expected);
    expect(await lines([file], 1000, encoding("gbk"))).toStrictEqual(expected);
  });

  it("give the same lines however the chunks cut the multi-byte characters", async () => {
    const gb18030 = encoding("gb18030");
    const all = bytes(GB.bom, "a", GB.grin, "\n", GB.中文, "\r\nx", [0x81, 0x20], "\n", GB.华北);
    const expected: TextLine[] = [
      { line: 1, text: "a😀" },
      { line: 2, text: "中文" },
      { line: 3, invalid: { code: "invalid_text", args: { encoding: "GB18030", unit: "line", byte: "0x81", at: 2, advice: "check" } } },
      { line: 4, text: "华北" },
    ];
    expect(await lines([all], 1000, gb18030)).toStrictEqual(expected);
    for (const chunks of cuttings(all)) expect(await lines(chunks, 1000, gb18030)).toStrictEqual(expected);
    // As UTF-8 the same bytes, however cut, give the same lines too.
    const asUtf8 = await lines([all]);
    expect(asUtf8.map((line) => Object.keys(line)[1])).toEqual(["invalid", "invalid", "invalid", "invalid"]);
    for (const chunks of cuttings(all)) expect(await lines(chunks)).toStrictEqual(asUtf8);
  });

  it("drop a UTF-8 BOM, and GB18030's, cut or not", async () => {
    const utf8 = Buffer.from("\ufeffé😀\nb", "utf8");
    for (const chunks of cuttings(utf8)) expect(await lines(chunks)).toStrictEqual([{ line: 1, text: "é😀" }, { line: 2, text: "b" }]);
    const gb = bytes(GB.bom, GB.华南);
    for (const chunks of cuttings(gb)) expect(await lines(chunks, 100, encoding("gb18030"))).toStrictEqual([{ line: 1, text: "华南" }]);
  });

  it("read Big5", async () => {
    expect(await lines([bytes("a,", BIG5.中文, "\n", BIG5.bar)], 100, encoding("big5"))).toStrictEqual([
      { line: 1, text: "a,中文" },
      { line: 2, text: "弋" },
    ]);
  });

  it("read UTF-16LE with a BOM (transcoded), however cut", async () => {
    const utf16 = Buffer.from("\ufeff{\"a\":\"é😀\"}\r\nzwei\n", "utf16le");
    for (const chunks of cuttings(utf16)) {
      expect(await lines(chunks, 100, encoding("utf-16le"))).toStrictEqual([
        { line: 1, text: '{"a":"é😀"}' },
        { line: 2, text: "zwei" },
      ]);
    }
    // Invalid UTF-16 is an error of the whole file.
    const bad = Buffer.concat([Buffer.from("a\n", "utf16le"), Buffer.from([0x00, 0xdc])]);
    await expect(lines([bad], 100, encoding("utf-16le"))).rejects.toThrow("not valid UTF-16LE near byte 5");
  });

  it("measure a line by the UTF-8 length of its text as well as by its bytes", async () => {
    // 华南 is 4 GB18030 bytes and 6 UTF-8 bytes.
    const gb = bytes(GB.华南, "\n", GB.华南, "\n");
    expect(await lines([gb], 6, encoding("gb18030"))).toStrictEqual([{ line: 1, text: "华南" }, { line: 2, text: "华南" }]);
    expect(await lines([gb], 5, encoding("gb18030"))).toStrictEqual([{ line: 1, tooLong: true }, { line: 2, tooLong: true }]);
    // An invalid line is measured by its bytes.
    expect(asEnglish(await lines([bytes([0xff, 0xfe], "\n", [0xff])], 1))).toStrictEqual([
      { line: 1, tooLong: true },
      { line: 2, invalid: expect.stringMatching(/^not valid UTF-8 \(byte 0xFF at byte 1 of the line\)/) as unknown as string },
    ]);
  });

  it("keep a valid UTF-8 line with emoji, and reject the invalid one next to it", async () => {
    expect(asEnglish(await lines([bytes('{"note":"🎉 ok"}\n{"note":"', [0xc3, 0x28], '"}\n{"n":1}')]))).toStrictEqual([
      { line: 1, text: '{"note":"🎉 ok"}' },
      { line: 2, invalid: expect.stringMatching(/^not valid UTF-8 \(byte 0xC3 at byte 10 of the line\); name the file's encoding/) as unknown as string },
      { line: 3, text: '{"n":1}' },
    ]);
  });

  it("mark invalid lines in ByteLines with start and end -2 and their reason", async () => {
    const batches: ByteLines[] = await collect(splitByteLineBatches(streamOf([file]), 1000));
    expect(batches).toHaveLength(1);
    const [batch] = batches as [ByteLines];
    expect(batch.starts).toEqual([-2, 20, -2]);
    expect(batch.ends).toEqual([-2, 38, -2]);
    expect([...(batch.invalid?.keys() ?? [])]).toEqual([0, 2]);
    expect(decodeLine(batch, 0)).toStrictEqual({ line: 1, invalid: batch.invalid?.get(0) });
    expect(decodeLine(batch, 1)).toStrictEqual({ line: 2, text: '{"region":"plain"}' });
    // Valid text: no reasons at all.
    const [valid] = (await collect(splitByteLineBatches(streamOf([Buffer.from("a\nb😀\n")]), 1000))) as [ByteLines];
    expect(valid.invalid).toBeUndefined();
  });

  it("give, in GB18030, the lines of the specification for any bytes however cut", async () => {
    const gb18030 = encoding("gb18030");
    const pieces = [[0x61], [0x0a], [0x0d, 0x0a], [0x0d], GB.华南, GB.grin, GB.bar, [0x81], [0x81, 0x30], [0xff], GB.bom].map((b) => Buffer.from(b));
    /** Split at LF, CR before it dropped, GB18030 BOM at the start dropped; too long by bytes or UTF-8 length; else decoded or invalid. */
    const spec = (file: Buffer, max: number): TextLine[] => {
      const body = file.subarray(0, 4).equals(Buffer.from(GB.bom)) ? file.subarray(4) : file;
      const parts: Buffer[] = [];
      let start = 0;
      for (let at = body.indexOf(10); at !== -1; at = body.indexOf(10, start)) {
        parts.push(body.subarray(start, at));
        start = at + 1;
      }
      if (start < body.length) parts.push(body.subarray(start));
      return parts.map((part, i) => {
        const bytes = part[part.length - 1] === 13 ? part.subarray(0, -1) : part;
        const text = gb18030.decode(bytes, 0, bytes.length);
        if (bytes.length > max || (text !== undefined && Buffer.byteLength(text) > max)) return { line: i + 1, tooLong: true as const };
        return text === undefined ? { line: i + 1, invalid: invalidTextReason(gb18030, bytes, 0, bytes.length) } : { line: i + 1, text };
      });
    };
    const input = fc
      .array(fc.constantFrom(...pieces), { maxLength: 30 })
      .map((parts) => Buffer.concat(parts))
      .chain((file) => fc.tuple(fc.constant(file), fc.array(fc.nat({ max: file.length }), { maxLength: 8 }), fc.integer({ min: 1, max: 30 })));
    await fc.assert(
      fc.asyncProperty(input, async ([file, cuts, max]) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        expect(await lines(cut(file, ...points), max, gb18030)).toStrictEqual(spec(file, max));
      }),
      { numRuns: 2_000 },
    );
  });

  it("read string chunks only as UTF-8", async () => {
    expect(await lines(["a\n", "b"])).toStrictEqual([{ line: 1, text: "a" }, { line: 2, text: "b" }]);
    await expect(lines(["a\n"], 100, encoding("gb18030"))).rejects.toThrow(TypeError);
  });
});

describe("readCsvRecords in an encoding", () => {
  const csv = (chunks: Iterable<Buffer | string>, options: Parameters<typeof readCsvRecords>[2] = {}, max = 1 << 20): Promise<CsvRecord[]> =>
    collect(readCsvRecords(streamOf(chunks), max, options));

  it("reads `;`-separated GBK cells, however cut", async () => {
    const file = bytes("id;region\r\n1;D-", GB.华南, '\r\n2;"D-', GB.华北, ';x"\r\n');
    const expected: CsvRecord[] = [
      { line: 1, cells: ["id", "region"] },
      { line: 2, cells: ["1", "D-华南"] },
      { line: 3, cells: ["2", "D-华北;x"] },
    ];
    for (const chunks of cuttings(file)) expect(await csv(chunks, { delimiter: ";", encoding: encoding("gbk") })).toStrictEqual(expected);
  });

  it("does not take the `|` inside a GBK or Big5 character for the delimiter", async () => {
    const gbk = bytes("a|", GB.bar, "|", GB.grin, "|b\n");
    for (const chunks of cuttings(gbk)) {
      expect(asEnglish(await csv(chunks, { delimiter: "|", encoding: encoding("gb18030") }))).toStrictEqual([{ line: 1, cells: ["a", "亅", "😀", "b"] }]);
    }
    expect(asEnglish(await csv([bytes(BIG5.bar, "|", BIG5.中文, "\n")], { delimiter: "|", encoding: encoding("big5") }))).toStrictEqual([{ line: 1, cells: ["弋", "中文"] }]);
  });

  it("rejects a record with a cell not valid in its encoding, naming the place in the record, and reads the next", async () => {
    const file = bytes("id,region\n1,D-", GB.华南, "\n2,ok\n");
    expect(asEnglish(await csv([file]))).toStrictEqual([
      { line: 1, cells: ["id", "region"] },
      { line: 2, error: "not valid UTF-8 (byte 0xBB at byte 5 of the record); if this file is GB18030, say so in channel-conflict.yaml (encoding: gb18030)" },
      { line: 3, cells: ["2", "ok"] },
    ]);
    const bad = bytes("a,b\n1,x\n", "2,", [0x81, 0x20], "\n3,y\n");
    expect(asEnglish(await csv([bad], { encoding: encoding("gb18030") }))).toStrictEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ["1", "x"] },
      { line: 3, error: "not valid GB18030 (byte 0x81 at byte 3 of the record); check the encoding named in channel-conflict.yaml" },
      { line: 4, cells: ["3", "y"] },
    ]);
  });

  it("places the invalid byte in the record through quotes, doubled quotes and chunk cuts", async () => {
    // Record 2: `"a""b` + 0xFF + `",c`: the 0xFF is byte 6 of the record.
    const file = bytes('h1,h2\n"a""b', [0xff], '",c\nx,y\n');
    for (const chunks of cuttings(file)) {
      expect(asEnglish(await csv(chunks))).toStrictEqual([
        { line: 1, cells: ["h1", "h2"] },
        { line: 2, error: "not valid UTF-8 (byte 0xFF at byte 6 of the record); name the file's encoding in channel-conflict.yaml (encoding: windows-1252, shift_jis, …)" },
        { line: 3, cells: ["x", "y"] },
      ]);
    }
  });

  it("reads UTF-16LE with a BOM, and fails on invalid UTF-16", async () => {
    const file = Buffer.from("\ufeffid\tname\r\n1\t\"é😀\"\r\n", "utf16le");
    for (const chunks of cuttings(file).slice(0, 200)) {
      expect(asEnglish(await csv(chunks, { delimiter: "\t", encoding: encoding("utf-16le") }))).toStrictEqual([
        { line: 1, cells: ["id", "name"] },
        { line: 2, cells: ["1", "é😀"] },
      ]);
    }
    await expect(csv([Buffer.from([0x61, 0x00, 0x00, 0xdc])], { encoding: encoding("utf-16le") })).rejects.toThrow("not valid UTF-16LE near byte 3");
  });

  it("drops a GB18030 BOM", async () => {
    expect(asEnglish(await csv([bytes(GB.bom, "a,", GB.中文, "\n")], { encoding: encoding("gb18030") }))).toStrictEqual([{ line: 1, cells: ["a", "中文"] }]);
  });

  it("names the delimiter in its messages", async () => {
    expect(asEnglish(await csv(['"1"x;2\n'], { delimiter: ";" }))).toStrictEqual([
      { line: 1, error: 'CSV: cell 1 has "x" after its closing quote; expected ";" or the end of the line' },
    ]);
    expect(asEnglish(await csv(['"1"x\t2\n'], { delimiter: "\t" }))).toStrictEqual([
      { line: 1, error: 'CSV: cell 1 has "x" after its closing quote; expected "\\t" or the end of the line' },
    ]);
  });

  it("throws a TypeError for a delimiter that is not one ASCII byte", async () => {
    for (const delimiter of ["", ";;", "，", "é", '"', "\n", "\r", "😀"]) {
      await expect(csv(["a\n"], { delimiter })).rejects.toThrow(TypeError);
    }
    for (const delimiter of [",", ";", "\t", "|"]) await expect(csv(["a\n"], { delimiter })).resolves.toHaveLength(1);
  });

  const cutsOf = (length: number) => fc.array(fc.nat({ max: length }), { maxLength: 8 }).map((cuts) => [...new Set(cuts)].sort((a, b) => a - b));
  const cutAll = (buffer: Buffer, cuts: number[]) => cut(buffer, ...cuts);

  it("never reads invalid UTF-8 as U+FFFD, and gives the same records however cut", async () => {
    const valid = ["a", ",", '"', '""', "\n", "\r\n", "é", "中", "😀"].map((p) => Buffer.from(p, "utf8"));
    const invalid = [[0xff], [0x80], [0xc3], [0xe4, 0xb8], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80]].map((b) => Buffer.from(b));
    const input = fc
      .array(fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 6 }, { arbitrary: fc.constantFrom(...invalid), weight: 1 }), { maxLength: 40 })
      .map((parts) => Buffer.concat(parts))
      .chain((file) => fc.tuple(fc.constant(file), cutsOf(file.length)));
    let rejectedForBytes = 0;
    await fc.assert(
      fc.asyncProperty(input, async ([file, cuts]) => {
        const whole = await csv([file]);
        expect(await csv(cutAll(file, cuts))).toStrictEqual(whole);
        for (const record of whole) if ("cells" in record) for (const c of record.cells) expect(c).not.toContain("\ufffd");
        if (!isUtf8(file)) expect(whole.some((record) => "error" in record)).toBe(true);
        else expect(whole.every((record) => !("error" in record) || record.error.code.startsWith("csv_"))).toBe(true);
        rejectedForBytes += whole.filter((record) => "error" in record && record.error.code === "invalid_text" && record.error.args.encoding === "UTF-8").length;
      }),
      { numRuns: 2_000 },
    );
    // About 560 of the 2,000 runs have a line rejected for its bytes; 500 failed now and then by chance.
    expect(rejectedForBytes).toBeGreaterThan(300);
  });

  it("reads `|`-separated GB18030 as its UTF-8 transcoding reads, however cut", async () => {
    const gb18030 = encoding("gb18030");
    const pieces = [[0x61], [0x7c], [0x22], [0x22, 0x22], [0x0a], [0x0d, 0x0a], GB.bar, GB.中文, GB.grin, BIG5.bar].map((b) => Buffer.from(b));
    const input = fc
      .array(fc.constantFrom(...pieces), { maxLength: 40 })
      .map((parts) => Buffer.concat(parts))
      .chain((file) => fc.tuple(fc.constant(file), cutsOf(file.length)));
    await fc.assert(
      fc.asyncProperty(input, async ([file, cuts]) => {
        const text = gb18030.decode(file, 0, file.length);
        if (text === undefined) return;
        const expected = await csv([Buffer.from(text, "utf8")], { delimiter: "|" });
        expect(await csv(cutAll(file, cuts), { delimiter: "|", encoding: gb18030 })).toStrictEqual(expected);
      }),
      { numRuns: 2_000 },
    );
  });
});
