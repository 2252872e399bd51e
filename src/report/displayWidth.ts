// Chinese, Japanese and Korean characters (and most emoji) take two columns of a terminal: a table padded by
// string length would run out of line in zh-CN. For ASCII the width is the length, so English is unchanged.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

/** The columns `text` takes on a terminal: two for each wide (East Asian) character, one for others. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}

/** `text` padded with spaces at the end (or `start`) to `width` columns. */
export function padDisplay(text: string, width: number, start = false): string {
  const pad = " ".repeat(Math.max(0, width - displayWidth(text)));
  return start ? pad + text : text + pad;
}

/** `text` cut to at most `width` columns, ending in `…` when cut. */
export function cutDisplay(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const char of text) {
    const w = WIDE.test(char) ? 2 : 1;
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}
