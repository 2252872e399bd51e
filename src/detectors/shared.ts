import { formatIsoTime } from "../core/time.js";
import type { ChannelEvent, SaleEvent } from "../schema/dataset.js";
import type { DetectorContext, Evidence } from "./types.js";

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

/** `2025-03-01` for an instant, for messages. */
export function day(ms: number): string {
  return formatIsoTime(ms).slice(0, 10);
}

/** "3 times between 2025-03-01 and 2025-03-04", or "on 2025-03-01" for a single occurrence. */
export function describeOccurrences(count: number, firstAt: number, lastAt: number): string {
  if (count === 1) return `on ${day(firstAt)}`;
  const span = day(firstAt) === day(lastAt) ? `on ${day(firstAt)}` : `between ${day(firstAt)} and ${day(lastAt)}`;
  return `${count} times ${span}`;
}

/** "A, B and C". */
export function listLabels(labels: readonly string[]): string {
  if (labels.length <= 1) return labels[0] ?? "";
  return `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
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
