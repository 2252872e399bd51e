import type { Texts } from "../messages/types.js";
import type { ChannelEvent } from "../schema/dataset.js";
import type { Unjudged } from "./types.js";

/** The reasons every kind may give for a check that made no candidate (`DetectorRun.whyNot`). */
export interface SharedWhyNotMessages {
  /** The check judges other types of events. */
  "why-not.other-events": { readonly check: string; readonly judges: readonly string[]; readonly type: string };
  /** The check judges reference data (territories, registrations), never events. */
  "why-not.reference-only": { readonly check: string; readonly collection: string };
}

export const sharedWhyNotTexts: Texts<SharedWhyNotMessages> = {
  en: {
    "why-not.other-events": (a, w) => `${a.check} judges ${w.list([...a.judges])} events; this is ${article(a.type)} ${a.type}.`,
    "why-not.reference-only": (a) => `${a.check} judges the ${a.collection} themselves, not events.`,
  },
};

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
