import type { RecordOrigin, Rejection } from "../../core/records.js";
import { UTC_ZONE } from "../../core/zonedTime.js";
import type { Lang, MessageTexts, Words } from "../types.js";
import { wordsFor } from "../wordsFor.js";
import { rejectionTextsEn } from "./en.js";
import type { RejectionMessages, RejectionReason } from "../../core/rejectionReasons.js";
import { rejectionTextsZhCn } from "./zh-CN.js";

/** The rejection texts of each language: adding a language is its module and a line here. */
export const REJECTION_TEXTS: Readonly<Record<Lang, MessageTexts<RejectionMessages>>> = {
  en: rejectionTextsEn,
  "zh-CN": rejectionTextsZhCn,
};

/**
 * The text of a rejection reason in `lang` (English by default).
 * @example
 * renderReason({ code: "duplicate_event", args: { id: "o-7" } }, "zh-CN"); // 'id：事件编号“o-7”重复'
 */
export function renderReason(reason: RejectionReason, lang: Lang = "en"): string {
  const text = REJECTION_TEXTS[lang][reason.code] as (args: RejectionReason["args"], words: Words) => string;
  return text(reason.args, REASON_WORDS[lang]);
}

/** The words reasons are written with, one set per language (they name no dataset's regions or products). */
const REASON_WORDS: Readonly<Record<Lang, Words>> = {
  en: wordsFor("en", UTC_ZONE),
  "zh-CN": wordsFor("zh-CN", UTC_ZONE),
};

/** The rejection of the record at `origin`, for `reason`: its English text in `reason`, its code and arguments beside it. */
export function rejectionOf(origin: RecordOrigin, reason: RejectionReason): Rejection {
  return {
    file: origin.file,
    ...(origin.line !== undefined ? { line: origin.line } : {}),
    ...(origin.index !== undefined ? { index: origin.index } : {}),
    reason: renderReason(reason),
    code: reason.code,
    args: reason.args,
  };
}

/** A rejection's reason in `lang`: the English `reason` as it is, other languages rendered from its code and arguments. */
export function rejectionReason(rejection: Rejection, lang: Lang = "en"): string {
  // A rejection from elsewhere (a report written before rejections had codes, read back) has its English text only.
  if (lang === "en" || rejection.code === undefined) return rejection.reason;
  return renderReason({ code: rejection.code, args: rejection.args } as RejectionReason, lang);
}

/**
 * A rejection as one line, `<file>:<line>: <reason>` (`<file>:[<index>]: <reason>` for a record of a JSON
 * array or an in-memory array), as errors and warnings are written; the reason in `lang` (English by default).
 * @example
 * formatRejection(rejectionOf({ file: "events.ndjson", line: 7 }, { code: "duplicate_event", args: { id: "o-7" } }));
 * // 'events.ndjson:7: id: duplicate event id "o-7"'
 */
export function formatRejection(rejection: Rejection, lang: Lang = "en"): string {
  const where = rejection.line !== undefined ? `${rejection.line}` : rejection.index !== undefined ? `[${rejection.index}]` : "?";
  const event = rejection.eventId === undefined ? "" : lang === "en" ? `event "${rejection.eventId}": ` : `事件“${rejection.eventId}”：`;
  return `${rejection.file}:${where}: ${event}${rejectionReason(rejection, lang)}`;
}
