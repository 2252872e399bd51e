import type { TimeZone } from "../core/zonedTime.js";
import { englishWords } from "./en.js";
import type { Lang, NameLookup, Words } from "./types.js";
import { chineseWords } from "./zh-CN.js";

/** One entry per language: adding a language is its words module, its texts, and a line here. */
const WORDS: Readonly<Record<Lang, (zone: TimeZone, names?: NameLookup) => Words>> = {
  en: englishWords,
  "zh-CN": chineseWords,
};

/** The words of `lang`, dates in `zone`, regions and products named from `names`. */
export function wordsFor(lang: Lang, zone: TimeZone, names?: NameLookup): Words {
  return WORDS[lang](zone, names);
}
