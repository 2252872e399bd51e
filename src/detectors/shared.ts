import type { NamedRecord, Occurrences } from "../messages/types.js";
import type { ReferenceIndex } from "../reference/referenceIndex.js";
import type { ChannelEvent, SaleEvent } from "../schema/dataset.js";
import type { CandidateGroup, DetectorContext, Evidence } from "./types.js";

/** Orders and sales: the events with a customer, a quantity and a unit price. */
export function isSale(event: ChannelEvent): event is SaleEvent {
  return event.type === "order" || event.type === "sale";
}

/** Where a sale went: its ship-to region, else its customer's region. */
export function destinationOf(event: SaleEvent, context: DetectorContext): string | undefined {
  if (event.shipTo) return event.shipTo.region;
  if (event.customerId === undefined) return undefined;
  return context.index.customers.get(event.customerId)?.region;
}

/** A partner as messages name it (its name when the partners collection gives one). */
export function namedPartner(index: ReferenceIndex, partnerId: string): NamedRecord {
  return { id: partnerId, name: index.partners.get(partnerId)?.name };
}

/** How often a group's candidates happened, for its message. */
export function occurrencesOf(group: CandidateGroup): Occurrences {
  return { count: group.count, firstAt: group.firstAt, lastAt: group.lastAt };
}

/** Joins key parts so no part can be confused with another (ids may contain any character). */
export function groupKey(...parts: readonly string[]): string {
  // NUL separates parts; the rare id that holds a NUL itself falls back to an unambiguous encoding.
  for (const part of parts) if (part.includes("\u0000")) return JSON.stringify(parts);
  return parts.join("\u0000");
}

/** The evidence of two reference records in conflict (no events): the later record's partner offends. */
export function pairEvidence(
  type: "territory" | "registration",
  key: string,
  later: { readonly id: string; readonly partnerId: string },
  earlier: { readonly id: string; readonly partnerId: string },
): Evidence {
  return {
    groupKey: key,
    partners: [later.partnerId, earlier.partnerId],
    eventIds: [],
    refs: [
      { type, id: later.id },
      { type, id: earlier.id },
    ],
  };
}
