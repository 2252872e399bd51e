import { LatestByKey, type LatestByKeyState } from "../../fast/LatestByKey.js";
import { channelSchema } from "../../schema/primitives.js";
import type { ChannelEvent, SaleEvent, Territory } from "../../schema/dataset.js";
import { EpochCache } from "../../reference/spanEpochs.js";
import { scopeIncludes, type ProductKey } from "../../reference/productScope.js";
import { round } from "../../core/money.js";
import type { MessageOf } from "../../messages/types.js";
import type { FindingRef } from "../../core/types.js";
import { destinationOf, groupKey, isSale, namedPartner, occurrencesOf } from "../shared.js";
import { crossRegionShippingSkipTexts, crossRegionShippingTexts, type CrossRegionShippingMessages } from "./messages.js";
import type { Candidate, Detector, DetectorContext, DetectorRun, Unjudged } from "../types.js";
import { otherEvents } from "../whyNot.js";
import { crossRegionShippingWhyNotTexts } from "./whyNot.js";

/** What the territories say about a partner selling into a region at some instant, for any product. */
interface TerritoryView {
  /** The partner's own territories covering the region, in id order. */
  readonly covering: readonly Territory[];
  /** Other partners' exclusive territories covering the region, in id order. */
  readonly holders: readonly Territory[];
}

/** A view narrowed to one product: what a candidate shows. */
interface ProductView {
  readonly covering: readonly Territory[];
  readonly holders: readonly Territory[];
  /** The holders' partners, sorted, once each. */
  readonly holderIds: readonly string[];
}

function createRun(context: DetectorContext): DetectorRun {
  const { index } = context;
  // The view only changes when some territory starts or ends: compute it once per epoch, partner and
  // region (for any product: few territories are product-scoped, and a key per sku would be too many).
  const views = new EpochCache<TerritoryView>(index.territoryEpochs, (partnerId, destination, _unused, t) => ({
    covering: index.coveringTerritories(partnerId, destination, t),
    holders: index.exclusiveHolders(destination, t).filter((h) => h.partnerId !== partnerId),
  }));
  const viewOf = (partnerId: string, destination: string, t: number) => views.get(t, partnerId, destination, "");
  /** Narrows a view to the sku's product scope, keeping id order. */
  const narrow = (view: TerritoryView, product: ProductKey): ProductView => {
    const holders = view.holders.filter((h) => scopeIncludes(h, product));
    return {
      covering: view.covering.filter((c) => scopeIncludes(c, product)),
      holders,
      holderIds: [...new Set(holders.map((h) => h.partnerId))].sort(),
    };
  };
  const covers = (territories: readonly Territory[], product: ProductKey) => territories.some((t) => scopeIncludes(t, product));
  // The facts each check's prefilter reads, one object per check whose values are set for every event.
  const ownProbe = { check: "out-of-territory", covered: false, intoExclusiveTerritory: false };
  const lotProbe = { check: "lot-diversion", sellerIsSource: false, covered: false };
  const ownMayFire = context.prefilter(ownProbe);
  const lotMayFire = context.prefilter(lotProbe);
  // Partner → restricted by territories (holds some, and is not the direct channel).
  const restrictedPartners = new Map<string, boolean>();
  // A sale of a lot is traced to the lot's latest allocation: events come in time order (allocations
  // first within an instant), so every allocation seen is at or before the sale. A long stream allocates
  // hundreds of thousands of lots and keeps them all, off V8's heap.
  const lots = new LatestByKey("lots");

  /** A partner restricted by territories: it holds some, and is not the direct channel. */
  const restricted = (partnerId: string): boolean => {
    let known = restrictedPartners.get(partnerId);
    if (known === undefined) {
      known = index.partners.get(partnerId)?.channel !== "direct" && index.hasTerritories(partnerId);
      restrictedPartners.set(partnerId, known);
    }
    return known;
  };

  function resolveDestination(event: SaleEvent): string | undefined {
    const destination = destinationOf(event, context);
    if (destination === undefined) {
      context.skip("cross-region-shipping.no-destination");
      return undefined;
    }
    if (!index.regions.has(destination)) {
      context.skip("cross-region-shipping.unknown-destination");
      return undefined;
    }
    return destination;
  }

  function outOfTerritory(event: SaleEvent, destination: string): Candidate | undefined {
    const view = viewOf(event.partnerId, destination, event.occurredAt);
    const product = index.productKey(event.sku);
    ownProbe.covered = covers(view.covering, product);
    ownProbe.intoExclusiveTerritory = covers(view.holders, product);
    if (!ownMayFire()) return undefined;
    const { covering, holders, holderIds } = narrow(view, product);
    const amount = event.unitPrice * event.quantity;
    return {
      check: "out-of-territory",
      facts: {
        check: "out-of-territory",
        sku: event.sku,
        category: index.categoryOf(event.sku) ?? null,
        partnerId: event.partnerId,
        channel: index.partners.get(event.partnerId)?.channel ?? null,
        destination,
        covered: covering.length > 0,
        exclusiveHolders: holderIds,
        intoExclusiveTerritory: holderIds.length > 0,
        quantity: event.quantity,
        amount: round(amount, 4),
        currency: event.currency,
      },
      at: event.occurredAt,
      magnitude: holderIds.length > 0 ? 60 : 30,
      amount,
      currency: event.currency,
      evidence: () => ({
        groupKey: groupKey(event.partnerId, event.sku, event.currency),
        partners: [event.partnerId, ...holderIds],
        eventIds: [event.id],
        refs: [...covering, ...holders].map((t) => ({ type: "territory", id: t.id })),
      }),
    };
  }

  /** `slot`: the lot's slot in the book; `lot`: the sale's lot. */
  function lotDiversion(event: SaleEvent, lot: string, slot: number, destination: string): Candidate | undefined {
    const sourcePartnerId = lots.ownerAt(slot);
    if (!restricted(sourcePartnerId)) return undefined;
    const view = viewOf(sourcePartnerId, destination, event.occurredAt);
    const product = index.productKey(event.sku);
    lotProbe.sellerIsSource = event.partnerId === sourcePartnerId;
    lotProbe.covered = covers(view.covering, product);
    if (!lotMayFire()) return undefined;
    const source = { partnerId: sourcePartnerId, eventId: lots.idAt(slot) };
    const { covering, holders, holderIds } = narrow(view, product);
    const amount = event.unitPrice * event.quantity;
    return {
      check: "lot-diversion",
      facts: {
        check: "lot-diversion",
        sku: event.sku,
        category: index.categoryOf(event.sku) ?? null,
        lot,
        sourcePartnerId: source.partnerId,
        sellerPartnerId: event.partnerId,
        sellerIsSource: event.partnerId === source.partnerId,
        destination,
        covered: covering.length > 0,
        exclusiveHolders: holderIds,
        quantity: event.quantity,
        amount: round(amount, 4),
        currency: event.currency,
      },
      at: event.occurredAt,
      magnitude: holders.length > 0 ? 70 : 40,
      amount,
      currency: event.currency,
      evidence: () => ({
        groupKey: groupKey(source.partnerId, event.sku, event.currency),
        partners: [
          source.partnerId,
          ...[...new Set([event.partnerId, ...holders.map((t) => t.partnerId)])].filter((id) => id !== source.partnerId).sort(),
        ],
        eventIds: [source.eventId, event.id],
        refs: [{ type: "lot", id: lot }, ...holders.map((t): FindingRef => ({ type: "territory", id: t.id }))],
      }),
    };
  }

  return {
    start: () => [],
    // The lots' latest allocations; the territory views are rebuilt from reference data.
    toState: (): LatestByKeyState => lots.toState(),
    fromState: (state: unknown) => lots.fromState(state as LatestByKeyState),
    onEvent(event: ChannelEvent, out: Candidate[]): void {
      if (event.type === "allocation") {
        lots.set(event.lot, event.partnerId, event.id);
        return;
      }
      if (!isSale(event)) return;
      const needsOwn = restricted(event.partnerId);
      const lot = event.lot;
      const source = lot === undefined ? -1 : lots.find(lot);
      if (!needsOwn && source < 0) {
        if (lot !== undefined) context.skip("cross-region-shipping.lot-before-allocation");
        return;
      }
      const destination = resolveDestination(event);
      if (destination === undefined) return;
      if (needsOwn) {
        const own = outOfTerritory(event, destination);
        if (own) out.push(own);
      }
      if (lot === undefined) return;
      if (source < 0) {
        context.skip("cross-region-shipping.lot-before-allocation");
        return;
      }
      const diversion = lotDiversion(event, lot, source, destination);
      if (diversion) out.push(diversion);
    },
    whyNot(event: ChannelEvent, made: ReadonlySet<string>): Unjudged[] {
      if (event.type === "allocation") {
        const allocated = { code: "cross-region-shipping.allocation", args: { lot: event.lot, partner: namedPartner(index, event.partnerId) } };
        return [otherEvents("out-of-territory", ["order", "sale"], event), { check: "lot-diversion", message: allocated }];
      }
      if (!isSale(event)) return CHECKS.map((check) => otherEvents(check, ["order", "sale"], event));
      const unrestricted = (check: string, partnerId: string, role: "seller" | "source"): Unjudged => ({
        check,
        message: {
          code: "cross-region-shipping.unrestricted",
          args: { partner: namedPartner(index, partnerId), role, direct: index.partners.get(partnerId)?.channel === "direct" },
        },
      });
      // The first reason on the sale's path through `onEvent` that stops each check.
      const destinationReason = (check: string): Unjudged | undefined => {
        const destination = destinationOf(event, context);
        if (destination === undefined) return { check, message: { code: "cross-region-shipping.no-destination", args: {} } };
        if (!index.regions.has(destination)) return { check, message: { code: "cross-region-shipping.unknown-destination", args: { destination } } };
        return undefined;
      };
      const reasons: Unjudged[] = [];
      if (!made.has("out-of-territory")) {
        const reason = restricted(event.partnerId) ? destinationReason("out-of-territory") : unrestricted("out-of-territory", event.partnerId, "seller");
        if (reason) reasons.push(reason);
      }
      if (!made.has("lot-diversion")) {
        const lot = event.lot;
        const slot = lot === undefined ? -1 : lots.find(lot);
        const reason =
          lot === undefined
            ? { check: "lot-diversion", message: { code: "cross-region-shipping.no-lot", args: {} } }
            : slot < 0
              ? { check: "lot-diversion", message: { code: "cross-region-shipping.lot-unallocated", args: { lot } } }
              : !restricted(lots.ownerAt(slot))
                ? unrestricted("lot-diversion", lots.ownerAt(slot), "source")
                : destinationReason("lot-diversion");
        if (reason) reasons.push(reason);
      }
      return reasons;
    },
  };
}

const CHECKS = ["out-of-territory", "lot-diversion"] as const;

/** Cross-region shipping (grey-market diversion): out of the seller's territory, or a lot leaving its allocated territory. */
export const crossRegionShipping: Detector = {
  kind: "cross-region-shipping",
  checks: CHECKS,
  params: [],
  facts: [
    { name: "check", type: "string", values: CHECKS, description: "`out-of-territory` or `lot-diversion`" },
    { name: "sku", type: "string", description: "the product" },
    { name: "category", type: "string", nullable: true, description: "the product's category, or null" },
    { name: "destination", type: "string", description: "the ship-to region, else the customer's region" },
    { name: "covered", type: "boolean", description: "a territory of the restricted partner (the seller, or the lot's source) valid then for this product covers the destination" },
    { name: "exclusiveHolders", type: "string[]", description: "other partners holding the destination exclusively then for this product" },
    { name: "quantity", type: "number", description: "units sold" },
    { name: "amount", type: "number", description: "unitPrice × quantity" },
    { name: "currency", type: "string", description: "the sale's currency" },
    { name: "partnerId", type: "string", checks: ["out-of-territory"], description: "the selling partner (one with territories, not direct)" },
    { name: "channel", type: "string", checks: ["out-of-territory"], values: channelSchema.options, nullable: true, description: "the selling partner's channel" },
    { name: "intoExclusiveTerritory", type: "boolean", checks: ["out-of-territory"], description: "the destination is another partner's exclusive territory" },
    { name: "lot", type: "string", checks: ["lot-diversion"], description: "the lot sold" },
    { name: "sourcePartnerId", type: "string", checks: ["lot-diversion"], description: "the partner the lot was last allocated to before the sale" },
    { name: "sellerPartnerId", type: "string", checks: ["lot-diversion"], description: "the partner that sold it" },
    { name: "sellerIsSource", type: "boolean", checks: ["lot-diversion"], description: "the source sold it itself (then out-of-territory reports it too)" },
  ],
  refTypes: ["territory", "lot"],
  // A sale is traced to the lots allocated before it: allocations of an instant come before its sales.
  instantOrder: (event) => (event.type === "allocation" ? 0 : 1),
  // Lots belong to one sku; every group is of one sku.
  shardKey: (event) => event.sku,
  messages: crossRegionShippingTexts,
  whyNotMessages: crossRegionShippingWhyNotTexts,
  skipMessages: crossRegionShippingSkipTexts,
  create: createRun,
  describe(group, context): MessageOf<CrossRegionShippingMessages> {
    const facts = group.worst.facts;
    const common = {
      sku: String(facts.sku),
      destination: String(facts.destination),
      exclusiveHolders: (facts.exclusiveHolders as readonly string[]).map((id) => namedPartner(context.index, id)),
      occurrences: occurrencesOf(group),
      amount: group.amount,
      currency: String(facts.currency),
    };
    if (group.check === "lot-diversion") {
      return {
        code: "cross-region-shipping.lot-diversion",
        args: {
          lot: String(facts.lot),
          source: namedPartner(context.index, String(facts.sourcePartnerId)),
          seller: namedPartner(context.index, String(facts.sellerPartnerId)),
          ...common,
        },
      };
    }
    return { code: "cross-region-shipping.out-of-territory", args: { seller: namedPartner(context.index, String(facts.partnerId)), ...common } };
  },
};
