import type { MessageTexts } from "../messages/types.js";
import type { ChannelEvent } from "../schema/dataset.js";
import type { Unjudged } from "./types.js";

/** The reasons every kind may give for a check that made no candidate (`DetectorRun.whyNot`). */
export interface SharedWhyNotMessages {
  /** The check judges other types of events. */
  "why-not.other-events": { readonly check: string; readonly judges: readonly string[]; readonly type: string };
  /** The check judges reference data (territories, registrations), never events. */
  "why-not.reference-only": { readonly check: string; readonly collection: string };
}

/** The shared reasons' texts, per language: each kind's `whyNotMessages` spreads them into its own. */
export const sharedWhyNotTexts: { readonly en: MessageTexts<SharedWhyNotMessages>; readonly "zh-CN": MessageTexts<SharedWhyNotMessages> } = {
  en: {
    "why-not.other-events": (a, w) => `${a.check} judges ${w.list([...a.judges])} events; this is ${article(a.type)} ${a.type}.`,
    "why-not.reference-only": (a) => `${a.check} judges the ${a.collection} themselves, not events.`,
  },
  "zh-CN": {
    "why-not.other-events": (a, w) => `${a.check} 只判断${w.list(a.judges.map(eventZh))}，这条是${eventZh(a.type)}。`,
    "why-not.reference-only": (a) => `${a.check} 判断的是${COLLECTION_ZH[a.collection] ?? a.collection}本身（参考数据），不看事件。`,
  },
};

/** Event types as a 渠道经理 calls them. */
const EVENT_ZH: Readonly<Record<string, string>> = { order: "订单", sale: "销售单", listing: "线上挂价", allocation: "配货记录" };
const COLLECTION_ZH: Readonly<Record<string, string>> = { territories: "授权区域", registrations: "客户报备" };

function eventZh(type: string): string {
  return EVENT_ZH[type] ?? type;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? "an" : "a";
}

/** The reason of a check that judges only events of `judges`, for an event of another type. */
export function otherEvents(check: string, judges: readonly string[], event: ChannelEvent): Unjudged {
  return { check, message: { code: "why-not.other-events", args: { check, judges, type: event.type } } };
}

/** The reason of a check of reference data alone, for any event. */
export function referenceOnly(check: string, collection: string): Unjudged {
  return { check, message: { code: "why-not.reference-only", args: { check, collection } } };
}
