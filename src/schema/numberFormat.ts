// Number formats of the dataset manifest: how an export writes amounts (`1,900.00`, `1.900,00`, `¥1,900.00`).
// A format is a pattern of digit placeholders (`#`, `0`) with one grouping separator and one decimal
// separator, optionally between a literal prefix and suffix (`¥#,##0.00`, `#,##0.00 元`):
// - with both `,` and `.` in the pattern, the later one is the decimal separator (`#,##0.00`, `#.##0,00`);
// - with one of them, it groups when three placeholders follow it (`#,##0`, `# ##0`), else it is the decimal
//   separator (`0,00`); a space, `'` or U+00A0/U+202F between placeholders groups too.
// Groups must be of three digits (`1,9000.00` is not read as 19000); grouping may be left out (`1900.00`).

/** A compiled number format: the number a text writes, or undefined when the text does not follow it. */
export type NumberReader = (text: string) => number | undefined;

const PLACEHOLDER = /[#0]/;
const GROUPING_ONLY = new Set([" ", "'", "\u00a0", "\u202f"]);

interface NumberPattern {
  readonly prefix: string;
  readonly suffix: string;
  readonly group: string | undefined;
  readonly decimal: string | undefined;
}

function parsePattern(format: string): NumberPattern | string {
  const first = format.search(PLACEHOLDER);
  if (first === -1) return `"${format}" has no digit placeholder; expected a pattern such as #,##0.00`;
  let last = format.length - 1;
  while (!PLACEHOLDER.test(format[last] as string)) last--;
  const body = format.slice(first, last + 1);
  const separators = [...new Set(body.replace(/[#0]/g, ""))];
  if (separators.some((s) => s !== "," && s !== "." && !GROUPING_ONLY.has(s))) {
    return `"${format}" has ${JSON.stringify(separators.find((s) => s !== "," && s !== "." && !GROUPING_ONLY.has(s)))} among its digits; expected only a grouping and a decimal separator, as in #,##0.00`;
  }
  if (separators.length > 2) return `"${format}" has more than two kinds of separator; expected one grouping and one decimal separator`;
  let group: string | undefined;
  let decimal: string | undefined;
  if (separators.length === 2) {
    const [a, b] = separators as [string, string];
    [group, decimal] = body.lastIndexOf(a) < body.lastIndexOf(b) ? [a, b] : [b, a];
    if (GROUPING_ONLY.has(decimal)) return `"${format}" ends its digits with ${JSON.stringify(decimal)}, which cannot be a decimal separator`;
  } else if (separators.length === 1) {
    const only = separators[0] as string;
    const after = body.length - 1 - body.lastIndexOf(only);
    if (GROUPING_ONLY.has(only) || after === 3) group = only;
    else decimal = only;
  }
  if (decimal !== undefined && body.indexOf(decimal) !== body.lastIndexOf(decimal)) {
    return `"${format}" has its decimal separator ${JSON.stringify(decimal)} twice`;
  }
  return { prefix: format.slice(0, first).trim(), suffix: format.slice(last + 1).trim(), group, decimal };
}

/** Whether `text` is digits, with at most one `.` between digits when `dot` allows it: a number `Number` reads exactly as the pattern would. */
function plain(text: string, dot: boolean): boolean {
  const n = text.length;
  if (n === 0 || n > 15) return false;
  let seenDot = false;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) continue;
    if (code !== 46 || !dot || seenDot || i === 0 || i === n - 1) return false;
    seenDot = true;
  }
  return true;
}

/** Why a number format cannot be used, or undefined when it can. */
export function numberFormatProblem(format: string): string | undefined {
  const pattern = parsePattern(format);
  return typeof pattern === "string" ? pattern : undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Compiles a number format (`numberFormatProblem` says why one cannot be) to a reader. The prefix and suffix
 * may be absent from a text (`1,900.00` and `¥1,900.00` both read with `¥#,##0.00`), spaces around them
 * are ignored, and a sign may lead.
 * @example
 * compileNumberFormat("#,##0.00")("1,900.50"); // 1900.5
 * compileNumberFormat("#.##0,00")("1.900,50"); // 1900.5
 */
export function compileNumberFormat(format: string): NumberReader {
  const pattern = parsePattern(format);
  if (typeof pattern === "string") throw new TypeError(pattern);
  const { prefix, suffix, group, decimal } = pattern;
  const integer = group === undefined ? "\\d+" : `(?:\\d{1,3}(?:${escape(group)}\\d{3})+|\\d+)`;
  const fraction = decimal === undefined ? "" : `(?:${escape(decimal)}(\\d+))?`;
  const affix = (text: string): string => (text === "" ? "" : `(?:${escape(text)})?\\s*`);
  const shape = new RegExp(`^\\s*([+-])?\\s*${affix(prefix)}([+-])?(${integer})${fraction}\\s*${suffix === "" ? "" : `(?:${escape(suffix)})?`}\\s*$`);
  const groups = group === undefined ? undefined : new RegExp(escape(group), "g");
  return (text) => {
    // Most cells are plain digits (`12`, `1049.00` when the decimal point is `.`): read without the pattern.
    if (plain(text, decimal === ".")) return Number(text);
    const match = shape.exec(text);
    if (match === null) return undefined;
    if (match[1] !== undefined && match[2] !== undefined) return undefined;
    const digits = groups === undefined ? (match[3] as string) : (match[3] as string).replace(groups, "");
    const value = Number(match[4] === undefined ? digits : `${digits}.${match[4]}`);
    return match[1] === "-" || match[2] === "-" ? -value : value;
  };
}
