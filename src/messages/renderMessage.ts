import { EN_WORDS } from "./en.js";
import type { Message, Texts, Words } from "./types.js";

/** The text of a message in the language of `words`, from the texts of the kind that said it; dates in the words' zone. */
export function renderMessage(texts: Texts<Record<string, unknown>>, message: Message, words: Words = EN_WORDS): string {
  // A kind that has no texts in this language (one a user added) speaks English rather than nothing.
  const text = (texts[words.lang] ?? texts.en)[message.code];
  if (text === undefined) throw new Error(`no ${words.lang} text for message "${message.code}"; add it to its kind's messages`);
  return text(message.args, words);
}
