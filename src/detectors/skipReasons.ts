import type { Lang } from "../messages/types.js";
import { DETECTORS } from "./registry.js";
import type { Detector } from "./types.js";

/** The kind a skip code belongs to: the part before its first dot (`price-deviation.…`). */
export function skipKind(code: string): string {
  const dot = code.indexOf(".");
  return dot < 0 ? code : code.slice(0, dot);
}

function textsOf(code: string): Detector["skipMessages"] {
  return (DETECTORS as Readonly<Record<string, Detector>>)[skipKind(code)]?.skipMessages;
}

/** What a skipped check is, in `lang` (English where the kind has no text in it), without the kind; the code when no kind knows it. */
export function skipText(code: string, lang: Lang = "en"): string {
  const texts = textsOf(code);
  return texts?.[lang]?.[code] ?? texts?.en[code] ?? code;
}

/**
 * A skip as `summary.skipped` keys it: `<kind>: <English text>` (`price-deviation: sale currency differs from
 * its price policy`), in every language — the key programs read since before skips had codes.
 */
export function skipKey(code: string): string {
  return `${skipKind(code)}: ${skipText(code, "en")}`;
}

/** The code of a `summary.skipped` key (`skipKey`), or undefined when no kind has it. */
export function skipCodeOfKey(key: string): string | undefined {
  const kind = key.slice(0, Math.max(0, key.indexOf(": ")));
  const texts = textsOf(`${kind}.`)?.en ?? {};
  return Object.keys(texts).find((code) => skipKey(code) === key);
}
