// A fifth kind, for tests only: listings by sellers that are not partners. It exists to prove that a
// kind plugs in by declaration — this folder, one line in a registry, one rules file — and it needs what
// no shipped kind does: events of unknown partners (`admits`), which the others must still not see.
import type { Detector } from "../../../src/detectors/types.js";
import { groupKey, occurrencesOf } from "../../../src/detectors/shared.js";
import type { MessageOf } from "../../../src/messages/types.js";
import { unauthorizedSellerTexts, type UnauthorizedSellerMessages } from "./messages.js";

export const unauthorizedSeller: Detector = {
  kind: "unauthorized-seller",
  checks: ["unknown-seller"],
  params: [],
  facts: [
    { name: "check", type: "string", values: ["unknown-seller"], description: "`unknown-seller`" },
    { name: "sellerId", type: "string", description: "the seller of the listing, not a partner" },
    { name: "sku", type: "string", description: "the product listed" },
    { name: "price", type: "number", description: "the advertised price" },
    { name: "currency", type: "string", description: "the listing's currency" },
  ],
  refTypes: [],
  admits: { unknownPartners: ["listing"] },
  messages: unauthorizedSellerTexts,
  create(context) {
    const probe = { check: "unknown-seller", price: 0 };
    const mayFire = context.prefilter(probe);
    return {
      start: () => [],
      onEvent(event, out) {
        if (event.type !== "listing" || context.index.partners.has(event.partnerId)) return;
        probe.price = event.price;
        if (!mayFire()) return;
        out.push({
          check: "unknown-seller",
          facts: { check: "unknown-seller", sellerId: event.partnerId, sku: event.sku, price: event.price, currency: event.currency },
          at: event.occurredAt,
          magnitude: 50,
          amount: 0,
          currency: event.currency,
          evidence: () => ({ groupKey: groupKey(event.partnerId, event.sku), partners: [event.partnerId], eventIds: [event.id], refs: [] }),
        });
      },
    };
  },
  describe(group): MessageOf<UnauthorizedSellerMessages> {
    const facts = group.worst.facts;
    return {
      code: "unauthorized-seller.unknown-seller",
      args: { seller: { id: String(facts.sellerId) }, sku: String(facts.sku), occurrences: occurrencesOf(group), price: Number(facts.price), currency: String(facts.currency) },
    };
  },
};
