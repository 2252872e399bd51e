import type { ChannelEvent } from "../schema/dataset.js";

/** Which events a kind judges even when its records are not in the reference data. */
export interface EventAdmission {
  /** Event types judged even when `partnerId` is not a known partner (none for the shipped kinds). */
  readonly unknownPartners?: readonly ChannelEvent["type"][];
  /** Event types judged even when `sku` is not a known product. */
  readonly unknownSkus?: readonly ChannelEvent["type"][];
}

/** The union of admissions: an event one of them admits is admitted. */
export function combineAdmissions(admissions: Iterable<EventAdmission | undefined>): EventAdmission {
  const partners = new Set<ChannelEvent["type"]>();
  const skus = new Set<ChannelEvent["type"]>();
  for (const admission of admissions) {
    for (const type of admission?.unknownPartners ?? []) partners.add(type);
    for (const type of admission?.unknownSkus ?? []) skus.add(type);
  }
  return { unknownPartners: [...partners].sort(), unknownSkus: [...skus].sort() };
}
