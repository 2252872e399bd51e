import { format as formatDate } from "date-fns/format";
import { parse } from "date-fns/parse";
import { utc } from "@date-fns/utc";
import type { TimeZone } from "./zonedTime.js";

/**
 * Reading times written in a date-fns format (`yyyy/MM/dd HH:mm:ss.SSS`, `dd.MM.yyyy`, `yyyyMMdd`…), the
 * Unicode tokens date-fns `parse` takes: https://date-fns.org/docs/parse.
 *
 * The meaning is date-fns `parse` reading the wall-clock fields (in UTC, so no DST and no machine zone can
 * move them), then the dataset's zone placing that wall time (`zone.instantOf`, which follows @date-fns/tz
 * `TZDate`). A format with an offset token (`XXX`, `xx`…) or a timestamp token (`T`, `t`) names the
 * instant itself and the zone plays no part. Fields the format lacks come from the reference date,
 * 2000-01-01 00:00:00.000: a format without a year reads the year 2000, one without a day the 1st, a
 * time without seconds `:00`; `yy` reads 00–49 as 2000–2049 and 50–99 as 1950–1999.
 *
 * Why not `parse(text, format, reference, { in: tz(zone) })` directly: date-fns then sets the fields one
 * by one on a `TZDate`, and a field landing in a DST gap on the way derails the rest (Asia/Kathmandu's
 * clocks jumped 00:00 → 00:15 on 1986-01-01, the year setter's midnight: every 1986 date comes out a year
 * early, `1986-01-01 00:05` as 1984-12-31T18:35Z), and the setters' DST handling depends on the machine's
 * time zone.
 */

/** The reference date of every parse: fields a format lacks come from it, whatever today is. */
const REFERENCE_MS = Date.UTC(2000, 0, 1);
const REFERENCE_YEAR = 2000;

/** date-fns' own tokenizers (date-fns 4 `parse.js`), so formats split here exactly as date-fns splits them. */
const LONG_TOKENS = /P+p+|P+|p+|''|'(''|[^'])+('|$)|./g;
const TOKENS = /[yYQqMLwIdDecihHKkms]o|(\w)\1*|''|'(''|[^'])+('|$)|./g;
const ESCAPED = /^'([^]*?)'?$/;
const DOUBLE_QUOTE = /''/g;
const LATIN = /[a-zA-Z]/;
const NOT_WHITESPACE = /\S/;

/** The letters date-fns `parse` has a parser for; any other unquoted latin letter makes it throw. */
const PARSE_LETTERS = new Set("GyYRuQqMLwIdDEecibBaBhHKkmsSXxtT");
/** Letters naming a year, month, week or day (or the whole instant): a format needs one of them. */
const DATE_LETTERS = new Set("yuRMLwIdDQqtTP");

/**
 * Why a format cannot read times, or undefined when it can. Refused: a week-numbering year (`Y`, `YYYY`:
 * use `y`, `yyyy`), the day of year `D`/`DD` where `d`/`dd` (day of month) is meant — date-fns itself
 * refuses those without extra flags —, letters date-fns `parse` has no token for (quote literal text:
 * `'T'`; an unquoted `T` among other tokens is the timestamp token, a missing quote), tokens it cannot
 * combine (`H` with `a`), a format with no year, month or day, and one that cannot read back what it writes.
 */
export function dateFormatProblem(format: string): string | undefined {
  if (format.length === 0) return "the format is empty; write one with date-fns tokens, such as yyyy-MM-dd HH:mm:ss";
  const { tokens, long } = formatTokens(format);
  let hasDate = long.some((token) => token[0] === "P");
  for (const token of tokens) {
    const letter = token[0] as string;
    if (!LATIN.test(letter)) continue;
    if (letter === "Y") return `"${format}" uses ${token}, the week-numbering year of ISO weeks; use ${token.toLowerCase()} for the calendar year`;
    if (token === "D" || token === "DD") return `"${format}" uses ${token}, the day of the year; use ${token.toLowerCase()} for the day of the month`;
    if ((letter === "T" || letter === "t") && tokens.some((other) => other !== token && LATIN.test(other[0] as string))) {
      return `"${format}" has an unquoted ${letter}, the timestamp token, among other tokens; quote the letter, as in yyyy-MM-dd'T'HH:mm`;
    }
    if (!PARSE_LETTERS.has(letter)) {
      return `"${format}" has the letter ${letter}, which is not a date-fns parse token; put literal text in single quotes, as in yyyy-MM-dd'T'HH:mm`;
    }
    if (DATE_LETTERS.has(letter)) hasDate = true;
  }
  if (!hasDate) return `"${format}" has no year, month or day (such as yyyy, MM, dd); a time needs its date`;
  // What date-fns refuses only while parsing (tokens it cannot combine): reading back the reference date.
  try {
    const text = formatDate(REFERENCE_MS, format, { in: utc, useAdditionalDayOfYearTokens: true });
    if (Number.isNaN(parseWithDateFns(text, format))) return `"${format}" cannot read back what it writes ("${text}" for 2000-01-01)`;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return `"${format}" is not a format date-fns can read: ${error.message}`;
  }
  return undefined;
}

/** date-fns `parse` of the wall-clock fields (UTC), as epoch ms, NaN for a text that does not match. */
function parseWithDateFns(text: string, format: string): number {
  return parse(text, format, REFERENCE_MS, { in: utc, useAdditionalDayOfYearTokens: true }).getTime();
}

/**
 * The reader of a format: epoch ms of a text written in it, in `zone` unless the text carries an offset,
 * or undefined when the text does not follow the format or names a date that does not exist
 * (`2025/02/30`, `2025/13/01`). Trailing whitespace is allowed, as date-fns allows it. Throws a RangeError
 * with `dateFormatProblem`'s message for a format that cannot read times.
 *
 * Compiled once per format: the common tokens (`y`…`yyyy`, `yy`, `M`, `MM`, `d`, `dd`, `H`, `HH`, `h`,
 * `hh`, `a`, `m`, `mm`, `s`, `ss`, `S`…, `X`, `XX`, `XXX`, `x`, `xx`, `xxx`, literals and quoted literals)
 * become a fixed list of steps that read the text with `charCodeAt`, with date-fns' own digit rules (`MM`
 * reads one or two digits, `M` reads `1` of `13`), and `zone.instantOf` places the wall time from its hour
 * cache. Any other format, and texts the steps are unsure of (`a.m.`, an offset date-fns would find
 * further on, a year before 100), go to date-fns `parse`. A differential property test holds the steps to
 * date-fns on formatted and on broken texts.
 *
 * Measured (Node 20, a loaded 2-core VM, best of 7 × 1e6 texts, times one year of rows sorted / shuffled):
 * `yyyy-MM-dd HH:mm:ss` 77 / 108 ns a text in UTC, 77 / 140 ns in Asia/Shanghai; `yyyy/MM/dd HH:mm:ss.SSS`
 * 92 / 120 ns (UTC), 92 / 152 ns (Shanghai); `dd.MM.yyyy` 44 / 71 ns, 44 / 100 ns; `…XXX` ≈ 85 / 115 ns
 * in any zone. A format date-fns reads (`EEE, dd MMM yyyy HH:mm:ss`) ≈ 7 µs; date-fns `parse` in
 * `tz(zone)` ≈ 90 µs. (parseIsoTime, for comparison: ≈ 450 ns.) Shuffled rows pay one `Date.UTC` per
 * text (≈ 33 ns) and, in a zone, one hour-cache Map lookup (≈ 30 ns).
 */
export function compileDateFormat(format: string, zone: TimeZone): (text: string) => number | undefined {
  const problem = dateFormatProblem(format);
  if (problem !== undefined) throw new RangeError(problem);
  const instant = namesInstant(format);
  const slow = (text: string): number | undefined => {
    const ms = parseWithDateFns(text, format);
    if (Number.isNaN(ms)) return undefined;
    return instant ? ms : zone.instantOf(ms);
  };
  const steps = compileSteps(format);
  return steps === undefined ? slow : stepReader(steps, zone, slow);
}

/**
 * The tokens of a format as date-fns `parse` splits it (quoted literals included, as one token each), and
 * its long-format tokens (`P`, `pp`…: date-fns expands those from the locale; their neighbours are split
 * on their own here, which changes nothing for a format that is not pathological such as `MP`).
 */
function formatTokens(format: string): { tokens: string[]; long: string[] } {
  const tokens: string[] = [];
  const long: string[] = [];
  let segment = "";
  for (const piece of format.match(LONG_TOKENS) ?? []) {
    if (piece[0] === "P" || piece[0] === "p") {
      long.push(piece);
      tokens.push(...(segment.match(TOKENS) ?? []));
      segment = "";
    } else {
      segment += piece;
    }
  }
  tokens.push(...(segment.match(TOKENS) ?? []));
  return { tokens, long };
}

/** True when a format names the instant itself: an offset (`X`, `x`) or a timestamp (`t`, `T`) token. */
function namesInstant(format: string): boolean {
  return formatTokens(format).tokens.some((token) => token[0] === "X" || token[0] === "x" || token[0] === "t" || token[0] === "T");
}

// What a step does.
const LITERAL = 0;
const NUMBER = 1;
const DAY_PERIOD = 2;
const OFFSET = 3;
type StepKind = typeof LITERAL | typeof NUMBER | typeof DAY_PERIOD | typeof OFFSET;

// The fields a number step writes.
const YEAR = 0;
const TWO_DIGIT_YEAR = 1;
const MONTH = 2;
const DAY = 3;
const HOUR = 4;
const HOUR_12 = 5;
const MINUTE = 6;
const SECOND = 7;
const FRACTION = 8;
type Field = typeof YEAR | typeof TWO_DIGIT_YEAR | typeof MONTH | typeof DAY | typeof HOUR | typeof HOUR_12 | typeof MINUTE | typeof SECOND | typeof FRACTION;

/**
 * One step of a compiled format (one class, so the reader's loop sees one shape).
 * - A literal matches `text` exactly.
 * - A number reads, as date-fns does, either up to `width` digits (`MM`, `yyyy`, `SSS`: `/^\d{1,n}/`), or —
 *   `first` ≥ 0, the one-letter tokens — one digit, or two when the first is below `first` or equal to it
 *   with a second at most `second` (`M`: `/^(1[0-2]|0?\d)/` is first 1, second 2). A fraction is then
 *   scaled by `scale`.
 * - A day period reads `am` or `pm`.
 * - An offset reads `Z`, or `±hh` then minutes: `width` 2 requires them, 1 takes them if there; `first`
 *   1 puts a colon before them (date-fns' shapes for X, XX, XXX).
 */
class Step {
  constructor(
    readonly kind: StepKind,
    readonly field: Field,
    readonly width: number,
    readonly first: number,
    readonly second: number,
    readonly scale: number,
    readonly text: string,
  ) {}
}

const literal = (text: string): Step => new Step(LITERAL, YEAR, text.length, -1, -1, 1, text);
const digits = (field: Field, width: number, scale = 1): Step => new Step(NUMBER, field, width, -1, -1, scale, "");
const oneOrTwo = (field: Field, first: number, second: number): Step => new Step(NUMBER, field, 2, first, second, 1, "");
const offset = (minutesRequired: boolean, colon: boolean): Step => new Step(OFFSET, YEAR, minutesRequired ? 2 : 1, colon ? 1 : 0, -1, 1, "");

/** The steps of a format made only of common tokens, or undefined for any other format. */
function compileSteps(format: string): Step[] | undefined {
  const { tokens, long } = formatTokens(format);
  if (long.length > 0) return undefined;
  const steps: Step[] = [];
  for (const token of tokens) {
    const step = stepOf(token);
    if (step === undefined) return undefined;
    const last = steps[steps.length - 1];
    // Adjacent literals become one (date-fns matches them one after the other: the same).
    if (step.kind === LITERAL && last?.kind === LITERAL) steps[steps.length - 1] = literal(last.text + step.text);
    else steps.push(step);
  }
  return steps;
}

function stepOf(token: string): Step | undefined {
  const letter = token[0] as string;
  if (letter === "'") return literal(token === "''" ? "'" : (ESCAPED.exec(token)?.[1] ?? "").replace(DOUBLE_QUOTE, "'"));
  if (!LATIN.test(letter)) return literal(token);
  switch (token) {
    case "y":
      return digits(YEAR, 4);
    case "yy":
      return digits(TWO_DIGIT_YEAR, 2);
    case "yyy":
    case "yyyy":
      return digits(YEAR, token.length);
    case "M":
      return oneOrTwo(MONTH, 1, 2);
    case "MM":
      return digits(MONTH, 2);
    case "d":
      return oneOrTwo(DAY, 3, 1);
    case "dd":
      return digits(DAY, 2);
    case "H":
      return oneOrTwo(HOUR, 2, 3);
    case "HH":
      return digits(HOUR, 2);
    case "h":
      return oneOrTwo(HOUR_12, 1, 2);
    case "hh":
      return digits(HOUR_12, 2);
    case "m":
      return oneOrTwo(MINUTE, 5, 9);
    case "mm":
      return digits(MINUTE, 2);
    case "s":
      return oneOrTwo(SECOND, 5, 9);
    case "ss":
      return digits(SECOND, 2);
    case "a":
    case "aa":
    case "aaa":
      return new Step(DAY_PERIOD, YEAR, 2, -1, -1, 1, "");
    case "X":
    case "x":
      return offset(false, false);
    case "XX":
    case "xx":
      return offset(true, false);
    case "XXX":
    case "xxx":
      return offset(true, true);
  }
  // date-fns: Math.trunc(value * 10 ** (3 - n)), whatever the number of digits read.
  if (/^S{1,9}$/.test(token)) return digits(FRACTION, token.length, Math.pow(10, -token.length + 3));
  return undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 400 === 0 || (year % 4 === 0 && year % 100 !== 0);
}

/**
 * A digit's value, or -1 for any other character and past the end (never reading past the end: V8 makes
 * every later `charCodeAt` slower once one has, 160 ns a text instead of 100 here).
 */
function digitAt(text: string, at: number): number {
  if (at >= text.length) return -1;
  const code = text.charCodeAt(at) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

/** What a step reader gives when it is unsure: date-fns decides. */
const UNSURE = -1;

/**
 * Where an offset step at `at` ends, its offset in ms put in `out[0]`; or UNSURE when the text there is
 * not one of the shapes (date-fns' pattern then also looks for a `Z` further on: it decides).
 */
function readOffset(text: string, at: number, step: Step, out: number[]): number {
  if (at >= text.length) return UNSURE;
  const sign = text.charCodeAt(at);
  if (sign === 90 /* Z */) {
    out[0] = 0;
    return at + 1;
  }
  if (sign !== 43 /* + */ && sign !== 45 /* - */) return UNSURE;
  const h1 = digitAt(text, at + 1);
  const h2 = digitAt(text, at + 2);
  if (h1 < 0 || h2 < 0) return UNSURE;
  let end = at + 3;
  let minutes = 0;
  const m = step.first === 1 ? (end < text.length && text.charCodeAt(end) === 58 /* : */ ? end + 1 : -1) : end;
  const m1 = m < 0 ? -1 : digitAt(text, m);
  const m2 = m < 0 ? -1 : digitAt(text, m + 1);
  if (m1 >= 0 && m2 >= 0) {
    minutes = m1 * 10 + m2;
    end = m + 2;
  } else if (step.width === 2) {
    return UNSURE;
  }
  out[0] = (sign === 43 ? 1 : -1) * ((h1 * 10 + h2) * 60 + minutes) * 60_000;
  return end;
}

/** The reader that runs the steps, handing what it is unsure of to `slow`. */
function stepReader(steps: readonly Step[], zone: TimeZone, slow: (text: string) => number | undefined): (text: string) => number | undefined {
  const hasDayPeriod = steps.some((step) => step.kind === DAY_PERIOD);
  const hasHour = steps.some((step) => step.kind === NUMBER && (step.field === HOUR || step.field === HOUR_12));
  const hasOffset = steps.some((step) => step.kind === OFFSET);
  const count = steps.length;
  const offsetOut = [0];
  // The date read last and its midnight (wall ms): rows of an export share dates, Date.UTC is a third of a read.
  let lastYear = NaN;
  let lastMonth = NaN;
  let lastDay = NaN;
  let lastMidnight = NaN;
  return (text) => {
    let year = REFERENCE_YEAR;
    let twoDigitYear = false;
    let month = 1;
    let day = 1;
    let hour = 0;
    let hour12 = -1;
    let minute = 0;
    let second = 0;
    let millisecond = 0;
    let pm = false;
    let offsetMs = 0;
    let at = 0;
    for (let i = 0; i < count; i++) {
      const step = steps[i] as Step;
      const kind = step.kind;
      if (kind === NUMBER) {
        const d0 = digitAt(text, at);
        if (d0 < 0) return undefined;
        let value = d0;
        let end = at + 1;
        if (step.first < 0) {
          const limit = at + step.width;
          while (end < limit) {
            const d = digitAt(text, end);
            if (d < 0) break;
            value = value * 10 + d;
            end++;
          }
        } else {
          const d1 = digitAt(text, end);
          if (d1 >= 0 && (d0 < step.first || (d0 === step.first && d1 <= step.second))) {
            value = value * 10 + d1;
            end++;
          }
        }
        at = end;
        switch (step.field) {
          case YEAR:
            year = value;
            break;
          case TWO_DIGIT_YEAR:
            year = value;
            twoDigitYear = true;
            break;
          case MONTH:
            month = value;
            break;
          case DAY:
            day = value;
            break;
          case HOUR:
            hour = value;
            break;
          case HOUR_12:
            hour12 = value;
            break;
          case MINUTE:
            minute = value;
            break;
          case SECOND:
            second = value;
            break;
          case FRACTION:
            millisecond = Math.trunc(value * step.scale);
            break;
        }
      } else if (kind === LITERAL) {
        const length = step.width;
        if (length === 1 ? at >= text.length || text.charCodeAt(at) !== step.text.charCodeAt(0) : !text.startsWith(step.text, at)) return undefined;
        at += length;
      } else if (kind === DAY_PERIOD) {
        // `am`/`pm` in any case; date-fns also takes `a.m.`, `a m`, `midnight`…: those go to it.
        if (at + 2 > text.length) return slow(text);
        const c0 = text.charCodeAt(at) | 32;
        if ((c0 !== 97 && c0 !== 112) || (text.charCodeAt(at + 1) | 32) !== 109 || (at + 2 < text.length && text.charCodeAt(at + 2) === 46)) return slow(text);
        pm = c0 === 112;
        at += 2;
      } else {
        const end = readOffset(text, at, step, offsetOut);
        if (end === UNSURE) return slow(text);
        offsetMs = offsetOut[0] as number;
        at = end;
      }
    }
    if (at < text.length && NOT_WHITESPACE.test(text.slice(at))) return undefined;
    // date-fns' validation: yy is relative to the reference year (2000), a full year is at least 1.
    if (twoDigitYear) year += year >= 50 ? 1900 : 2000;
    else if (year < 1) return undefined;
    if (hour12 >= 0) {
      if (hour12 < 1 || hour12 > 12) return undefined;
      hour = pm ? (hour12 < 12 ? hour12 + 12 : 12) : hour12 === 12 ? 0 : hour12;
    } else if (hasDayPeriod && !hasHour) {
      hour = pm ? 12 : 0;
    }
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    if (year !== lastYear || month !== lastMonth || day !== lastDay) {
      if (month < 1 || month > 12) return undefined;
      if (day < 1 || day > (month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number))) return undefined;
      // Date.UTC reads years 0–99 as 19xx: date-fns places those.
      if (year < 100) return slow(text);
      lastYear = year;
      lastMonth = month;
      lastDay = day;
      lastMidnight = Date.UTC(year, month - 1, day);
    }
    const wall = lastMidnight + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
    return hasOffset ? wall - offsetMs : zone.instantOf(wall);
  };
}
