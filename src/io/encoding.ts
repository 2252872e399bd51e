import { isUtf8 } from "node:buffer";
import { reason, type RejectionReason } from "../core/rejectionReasons.js";

type Decoder = InstanceType<typeof TextDecoder>;

/**
 * A text encoding files are read in (a WHATWG encoding). Bytes that are not valid in it are never
 * replaced silently (no U+FFFD): `decode` says so, and the reader rejects the record that holds them,
 * with `invalidTextReason`.
 */
export interface TextEncoding {
  /** The WHATWG canonical name, as `new TextDecoder(label).encoding` gives it: `utf-8`, `gb18030`, `gbk`, `big5`, `shift_jis`, `utf-16le`, `windows-1252`, … */
  readonly name: string;
  /** How messages name it: `UTF-8`, `GB18030`, `GBK`, `Big5`, `Shift_JIS`, `UTF-16LE`, `windows-1252`, … */
  readonly label: string;
  /**
   * Whether bytes 0x00–0x7F always mean their ASCII character and LF, CR, `"`, `,`, `;` and tab never
   * occur inside a multi-byte character, so a reader may split lines and cells on the bytes: UTF-8, GBK,
   * GB18030, Big5, Shift_JIS, EUC-KR, EUC-JP and the single-byte encodings; not UTF-16 or ISO-2022-JP,
   * which are transcoded to UTF-8 first (`utf8Bytes`). In GBK, GB18030, Big5, Shift_JIS and EUC-KR the
   * second byte of a two-byte character may be 0x40–0x7E (`|` included): see `asciiTrailLeads`.
   */
  readonly asciiCompatible: boolean;
  /** The text of `bytes[start, end)`, or undefined when the bytes are not valid in the encoding (never U+FFFD for them). */
  decode(bytes: Uint8Array, start: number, end: number): string | undefined;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * UTF-8. Decoded by Buffer, which turns invalid bytes into U+FFFD: a text without U+FFFD came from valid
 * bytes (V8 finds no U+FFFD in an all-Latin-1 string at once), and one with it is checked with `isUtf8`,
 * as the file may hold U+FFFD itself.
 */
export const UTF8: TextEncoding = Object.freeze({
  name: "utf-8",
  label: "UTF-8",
  asciiCompatible: true,
  decode(bytes: Uint8Array, start: number, end: number): string | undefined {
    const buffer = asBuffer(bytes);
    const text = buffer.toString("utf8", start, end);
    return text.indexOf("\ufffd") === -1 || isUtf8(buffer.subarray(start, end)) ? text : undefined;
  },
});

/** Encodings whose bytes 0x00–0x7F are not always ASCII (the others TextDecoder knows are). */
const NOT_ASCII_COMPATIBLE: ReadonlySet<string> = new Set(["utf-16le", "utf-16be", "iso-2022-jp", "replacement"]);

const LABELS: Readonly<Record<string, string>> = {
  "utf-8": "UTF-8",
  "utf-16le": "UTF-16LE",
  "utf-16be": "UTF-16BE",
  gb18030: "GB18030",
  gbk: "GBK",
  big5: "Big5",
  shift_jis: "Shift_JIS",
  "euc-jp": "EUC-JP",
  "euc-kr": "EUC-KR",
  "iso-2022-jp": "ISO-2022-JP",
  ibm866: "IBM866",
};

function labelOf(name: string): string {
  const known = LABELS[name];
  if (known !== undefined) return known;
  // iso-8859-2 → ISO-8859-2, koi8-r → KOI8-R; windows-1252, macintosh, x-mac-cyrillic as named.
  return /^(iso-|koi8-)/.test(name) ? name.toUpperCase() : name;
}

/** windows-1252 0x80–0x9F (WHATWG index); Node 20's TextDecoder reads them as Latin-1 (C1 controls), so this is done here. */
const WINDOWS_1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

const WINDOWS_1252: TextEncoding = Object.freeze({
  name: "windows-1252",
  label: "windows-1252",
  asciiCompatible: true,
  decode(bytes: Uint8Array, start: number, end: number): string {
    const text = asBuffer(bytes).toString("latin1", start, end);
    return text.replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] as string);
  },
});

/**
 * The encoding a WHATWG label names (`utf-8`, `utf8`, `gb18030`, `gbk`, `big5`, `sjis`, `utf-16le`,
 * `latin1`, …, any case), or undefined for a label TextDecoder does not know (or cannot decode, as the
 * `replacement` encoding).
 */
export function textEncoding(label: string): TextEncoding | undefined {
  let decoder: Decoder;
  try {
    decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  } catch {
    return undefined;
  }
  const name = decoder.encoding;
  if (name === "utf-8") return UTF8;
  if (name === "windows-1252") return WINDOWS_1252;
  return Object.freeze({
    name,
    label: labelOf(name),
    asciiCompatible: !NOT_ASCII_COMPATIBLE.has(name),
    decode(bytes: Uint8Array, start: number, end: number): string | undefined {
      try {
        return decoder.decode(bytes.subarray(start, end));
      } catch {
        return undefined;
      }
    },
  });
}

const TWO_BYTE_LEADS: Readonly<Record<string, (byte: number) => boolean>> = {
  gbk: (b) => b >= 0x81 && b <= 0xfe,
  gb18030: (b) => b >= 0x81 && b <= 0xfe,
  big5: (b) => b >= 0x81 && b <= 0xfe,
  "euc-kr": (b) => b >= 0x81 && b <= 0xfe,
  shift_jis: (b) => (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc),
};

/**
 * For an encoding where the second byte of a two-byte character may be an ASCII byte 0x40–0x7E (GBK,
 * GB18030, Big5, Shift_JIS, EUC-KR): a table of the bytes (1) that start such a character, so a byte
 * parser looking for a delimiter of 0x40 or above (`|`) does not take that second byte for one. A lead
 * byte followed by a byte below 0x40 is no such pair (GB18030's four-byte characters are two of them,
 * each lead byte followed by a digit). Undefined for the other encodings.
 */
export function asciiTrailLeads(encoding: TextEncoding): Uint8Array | undefined {
  const isLead = TWO_BYTE_LEADS[encoding.name];
  if (isLead === undefined) return undefined;
  const table = new Uint8Array(256);
  for (let b = 0x80; b < 0x100; b++) if (isLead(b)) table[b] = 1;
  return table;
}

/** Where the first ill-formed UTF-8 sequence of `bytes[start, end)` starts, or −1. */
function firstInvalidUtf8(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let j = 1; j <= need; j++) {
      const c = i + j < end ? (bytes[i + j] as number) : -1;
      if (c < low || c > high) return i;
      low = 0x80;
      high = 0xbf;
    }
    i += need + 1;
  }
  return -1;
}

/** Whether a fresh fatal decoder of `name` takes `bytes` (in stream mode: an unfinished last character is fine). */
function decodes(name: string, bytes: Uint8Array, stream: boolean): boolean {
  try {
    new TextDecoder(name, { fatal: true, ignoreBOM: true }).decode(bytes, { stream });
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the first invalid byte sequence of `bytes[start, end)` starts in `encoding`: the index in
 * `bytes` of the byte after the last whole character decoded, or −1 when the bytes are valid.
 */
export function firstInvalidByte(encoding: TextEncoding, bytes: Uint8Array, start: number, end: number): number {
  if (encoding.name === "utf-8") return firstInvalidUtf8(bytes, start, end);
  if (encoding.decode(bytes, start, end) !== undefined) return -1;
  // The shortest prefix a stream decoder refuses (an unfinished last character it would wait for)...
  let low = start;
  let high = end;
  if (decodes(encoding.name, bytes.subarray(start, end), true)) {
    high = end + 1; // only the last character is unfinished
  } else {
    // Invariant: [start, low) is taken, [start, high) is refused.
    while (high - low > 1) {
      const mid = (low + high) >>> 1;
      if (decodes(encoding.name, bytes.subarray(start, mid), true)) low = mid;
      else high = mid;
    }
  }
  // ...then the last whole character before the byte that made it refuse.
  for (let at = high - 1; at > start && at >= high - 5; at--) {
    if (decodes(encoding.name, bytes.subarray(start, Math.min(at, end)), false)) return Math.min(at, end);
  }
  return start;
}

const GB18030_DECODER: Decoder | undefined = (() => {
  try {
    return new TextDecoder("gb18030", { fatal: true, ignoreBOM: true });
  } catch {
    return undefined;
  }
})();

function decodesAsGb18030(bytes: Uint8Array, start: number, end: number): boolean {
  if (GB18030_DECODER === undefined) return false;
  try {
    GB18030_DECODER.decode(bytes.subarray(start, end));
    return true;
  } catch {
    return false;
  }
}

function hex(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * Why `bytes[start, end)`, a line (`what`: "line") or a CSV cell of a record ("record"), is rejected:
 * it is not valid in `encoding`, at which byte (counted from 1 in the line or record: `offsetOf` maps an
 * index in `bytes` to its 0-based offset there, by default `index - start`), and what to do. For UTF-8
 * bytes that are valid GB18030, the advice is to say so in the manifest.
 */
export function invalidTextReason(
  encoding: TextEncoding,
  bytes: Uint8Array,
  start: number,
  end: number,
  what: "line" | "record" = "line",
  offsetOf: (index: number) => number = (index) => index - start,
): RejectionReason {
  let at = firstInvalidByte(encoding, bytes, start, end);
  if (at < 0 || at >= end) at = Math.max(start, end - 1);
  const where = at < end ? { byte: hex(bytes[at] as number), at: offsetOf(at) + 1 } : {};
  const advice = encoding.name !== "utf-8" ? "check" : decodesAsGb18030(bytes, start, end) ? "gb18030" : "name";
  return reason("invalid_text", { encoding: encoding.label, unit: what, ...where, advice });
}

/** The BOM `utf8Bytes` strips, and line and CSV readers drop at the start of a file in `encoding`. */
export function byteOrderMark(encoding: TextEncoding): readonly number[] {
  switch (encoding.name) {
    case "utf-8":
      return [0xef, 0xbb, 0xbf];
    case "gb18030":
    case "gbk":
      // U+FEFF in GB18030 (TextDecoder keeps it; a GBK file may start with it as well).
      return [0x84, 0x31, 0x95, 0x33];
    default:
      return [];
  }
}

/**
 * Where the first unpaired surrogate (or odd last byte) is in UTF-16 `window`, which starts at byte
 * `from` of the stream (counted from 0), a unit boundary; only from `after` on (what came before was taken).
 * `final`: the stream ends with the window. −1 when none is found.
 */
function unpairedUtf16(window: Uint8Array, from: number, after: number, littleEndian: boolean, final: boolean): number {
  let high = -1;
  let p = 0;
  for (; p + 1 < window.length; p += 2) {
    const unit = littleEndian ? (window[p] as number) | ((window[p + 1] as number) << 8) : ((window[p] as number) << 8) | (window[p + 1] as number);
    const at = from + p;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      if (high >= 0 && high >= after) return high;
      high = at;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      if (high < 0 && at >= after) return at;
      high = -1;
    } else {
      if (high >= 0 && high >= after) return high;
      high = -1;
    }
  }
  if (final && high >= 0) return high;
  if (final && p < window.length) return from + p;
  return -1;
}

/** Bytes of a stream that are not valid in its encoding, found by `utf8Bytes`: an error of the whole file. */
export class InvalidTextError extends Error {
  override readonly name = "InvalidTextError";
}

/**
 * A byte stream in `encoding` as UTF-8 bytes: for an encoding that is not ASCII-compatible (UTF-16LE,
 * UTF-16BE, ISO-2022-JP), decoded as a stream (a character cut between chunks stays one; a BOM is
 * stripped) and encoded again as UTF-8; for the others, the chunks as they are. Bytes not valid in the
 * encoding end the stream with an `InvalidTextError`, `not valid UTF-16LE near byte N` (N counted from 1 in the file):
 * the reader makes it an error of the whole file.
 */
export async function* utf8Bytes(chunks: AsyncIterable<Buffer>, encoding: TextEncoding): AsyncGenerator<Buffer> {
  if (encoding.asciiCompatible) {
    yield* chunks;
    return;
  }
  const decoder = new TextDecoder(encoding.name, { fatal: true });
  const utf16 = encoding.name === "utf-16le" || encoding.name === "utf-16be";
  // Bytes taken so far, and the last few of them (a pending surrogate and odd byte) for locating an error.
  let fed = 0;
  let tail: Buffer = Buffer.alloc(0);
  // A high surrogate ending a decoded piece waits for its low one (TextDecoder holds it too; this is sure).
  const joiner = new Utf8Joiner();
  const failure = (chunk: Buffer, final: boolean): InvalidTextError => {
    let at = fed;
    if (utf16) {
      const windowStart = fed - tail.length;
      let window = Buffer.concat([tail, chunk]);
      let from = windowStart;
      if (from % 2 !== 0) {
        window = window.subarray(1);
        from++;
      }
      const found = unpairedUtf16(window, from, Math.max(0, fed - 3), encoding.name === "utf-16le", final);
      if (found >= 0) at = found;
    }
    return new InvalidTextError(`not valid ${encoding.label} near byte ${at + 1}`);
  };
  for await (const chunk of chunks) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw failure(chunk, false);
    }
    fed += chunk.length;
    tail = Buffer.concat([tail, chunk]);
    if (tail.length > 6) tail = Buffer.from(tail.subarray(tail.length - 6));
    const bytes = joiner.bytes(text);
    if (bytes) yield bytes;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw failure(Buffer.alloc(0), true);
  }
  const last = joiner.bytes(rest, true);
  if (last) yield last;
}

/**
 * Text pieces as UTF-8 bytes, a high surrogate that ends a piece held for the next one, so a character
 * cut between two pieces stays one character (a lone surrogate left at the end becomes U+FFFD).
 */
export class Utf8Joiner {
  private held = "";

  /** The bytes of `text` after what was held (undefined when there are none); `final` gives up what is held. */
  bytes(piece: string, final = false): Buffer | undefined {
    let text = this.held + piece;
    this.held = "";
    const last = text.charCodeAt(text.length - 1);
    if (!final && last >= 0xd800 && last <= 0xdbff) {
      this.held = text.slice(-1);
      text = text.slice(0, -1);
    }
    return text === "" ? undefined : Buffer.from(text, "utf8");
  }
}

/** Cells at most this long are remembered by `cellDecoder`: the words a column repeats (`订单`, `人民币`, `广东省`). */
const CACHED_CELL_BYTES = 32;
/** How many distinct short cells `cellDecoder` remembers, at most. */
const CACHED_CELLS = 4096;
/** What `cellDecoder` remembers for bytes that are not valid in the encoding. */
const INVALID = Symbol("invalid");

/**
 * `encoding.decode` for the many short pieces of one file (CSV cells), faster where exports repeat
 * themselves: a piece of ASCII bytes is its Latin-1 text (the same in every ASCII-compatible encoding),
 * and a short one with other bytes is decoded once and remembered (a bounded table per reader, so a file of
 * millions of `订单` decodes it once). For UTF-8 it is `decode` itself.
 */
export function cellDecoder(encoding: TextEncoding): (bytes: Buffer, start: number, end: number) => string | undefined {
  if (encoding.name === "utf-8" || !encoding.asciiCompatible) return (bytes, start, end) => encoding.decode(bytes, start, end);
  const known = new Map<string, string | typeof INVALID>();
  return (bytes, start, end) => {
    if (end === start) return "";
    let ascii = true;
    for (let i = start; i < end; i++) {
      if ((bytes[i] as number) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return bytes.toString("latin1", start, end);
    if (end - start > CACHED_CELL_BYTES) return encoding.decode(bytes, start, end);
    const key = bytes.toString("latin1", start, end);
    const seen = known.get(key);
    if (seen !== undefined) return seen === INVALID ? undefined : seen;
    const text = encoding.decode(bytes, start, end);
    if (known.size < CACHED_CELLS) known.set(key, text ?? INVALID);
    return text;
  };
}
