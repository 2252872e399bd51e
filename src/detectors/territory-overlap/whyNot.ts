import type { Texts } from "../../messages/types.js";
import { sharedWhyNotTexts, type SharedWhyNotMessages } from "../whyNot.js";

/** Why territory-overlap made no candidate of an event: it judges territories only. */
export const territoryOverlapWhyNotTexts: Texts<SharedWhyNotMessages> = sharedWhyNotTexts;
