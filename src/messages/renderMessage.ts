import { EN_WORDS } from "./en.js";
import type { Message, Texts, Words } from "./types.js";

/** The text of a message in English, from the texts of the kind that said it; `words` show dates in the dataset's zone. */
export function renderMessage(texts: Texts<Record<string, unknown>>, message: Message, words: Words = EN_WORDS): string {
  const text = texts.en[message.code];
  if (text === undefined) throw new Error(`no English text for message "${message.code}"; add it to its kind's messages`);
  return text(message.args, words);
}
