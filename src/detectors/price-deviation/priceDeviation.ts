import type { ChannelEvent, ListingEvent, Partner, Promotion, SaleEvent } from "../../schema/dataset.js";
import { channelSchema, ONLINE_CHANNELS, type Channel } from "../../schema/primitives.js";
import type { PolicyField } from "../../reference/referenceIndex.js";
import { allowedByDiscount, fromMinor, percentBelow, round, toMinor } from "../../core/money.js";
import type { MessageOf } from "../../messages/types.js";
import { groupKey, isSale, namedPartner, occurrencesOf } from "../shared.js";
import { priceDeviationSkipTexts, priceDeviationTexts, type PriceDeviationMessages } from "./messages.js";
import { utcDaysInMs } from "../../core/time.js";
import type { Candidate, Detector, DetectorContext, DetectorRun, Unjudged } from "../types.js";
import { PriceWindow, type PriceWindowState } from "../../fast/PriceWindow.js";
import { otherEvents } from "../whyNot.js";
import { priceDeviationWhyNotTexts } from "./whyNot.js";
import { EpochCache } from "../../reference/spanEpochs.js";

/** The cheaper side's sellers, cheapest first, then the other side's (by id); `names` maps partner indexes to ids. */
function sellersOf(window: PriceWindow, onlineCheaper: boolean, names: readonly string[]): string[] {
  const lowest = new Map<string, number>();
  const others = new Set<string>();
  window.forEach((partner, price, online) => {
    const id = names[partner] as string;
    if (online === onlineCheaper) lowest.set(id, Math.min(lowest.get(id) ?? Infinity, price));
    else others.add(id);
  });
  const offenders = [...lowest.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
  return [...offenders, ...[...others].filter((id) => !lowest.has(id)).sort()];
}

/** What a run keeps between events: the rolling price windows, and the partners their tags index. */
interface PriceDeviationState {
  readonly partners: readonly string[];
  readonly windows: readonly { readonly sku: string; readonly currency: string; readonly entries: PriceWindowState }[];
}

function createRun(context: DetectorContext): DetectorRun {
  const { index } = context;
  const windowDays = context.params.windowDays as number;
  const minSamples = context.params.minSamples as number;
  // sku → currency → window.
  const windows = new Map<string, Map<string, PriceWindow>>();
  // Partners seen in windows, by index (windows store indexes, not ids).
  const partnerIndex = new Map<string, number>();
  const partnerNames: string[] = [];
  const indexOf = (partnerId: string): number => {
    let i = partnerIndex.get(partnerId);
    if (i === undefined) {
      i = partnerNames.push(partnerId) - 1;
      partnerIndex.set(partnerId, i);
    }
    return i;
  };
  const windowMs = utcDaysInMs(windowDays);
  // The applicable policy only changes when some policy starts or ends: look it up once per epoch and key.
  const policyCache = (field: PolicyField) =>
    new EpochCache(index.policyEpochs, (sku, channel, currency, t) => index.applicablePolicy(sku, channel as Channel, t, field, currency));
  // The facts each check's prefilter reads, one object per check whose values are set for every event.
  const floorProbe = { check: "below-floor", belowFloor: false, promotionAllowed: false };
  const mapProbe = { check: "below-map", belowMap: false };
  const gapProbe = { check: "online-offline-gap", gapPct: 0, onlineCheaper: false, onlineSamples: 0, offlineSamples: 0 };
  const floorMayFire = context.prefilter(floorProbe);
  const mapMayFire = context.prefilter(mapProbe);
  const gapMayFire = context.prefilter(gapProbe);
  const floors = policyCache("floorPrice");
  const maps = policyCache("map");

  function belowFloor(event: SaleEvent, partner: Partner): Candidate | undefined {
    const { policy, mismatch } = floors.get(event.occurredAt, event.sku, partner.channel, event.currency);
    if (!policy) {
      if (mismatch) context.skip("price-deviation.sale-currency-mismatch");
      return undefined;
    }
    const price = toMinor(event.unitPrice);
    const floor = toMinor(policy.floorPrice as number);
    const isBelow = price < floor;
    let promotionAllowed = false;
    let shown: Promotion | undefined;
    if (isBelow) {
      const promotions = index.activePromotions(event.sku, partner.channel, partner.id, event.occurredAt);
      if (promotions.length > 0) {
        const listPolicy = index.applicablePolicy(event.sku, partner.channel, event.occurredAt, "listPrice", event.currency).policy;
        const product = index.products.get(event.sku);
        const list =
          listPolicy
            ? listPolicy.listPrice
            : product?.listPrice !== undefined && (product.currency ?? event.currency) === event.currency
              ? product.listPrice
              : undefined;
        if (list === undefined) {
          // A promotion runs but there is no list price to apply its discount to: do not guess.
          context.skip("price-deviation.promotion-without-list-price");
          return undefined;
        }
        const allowing = promotions.find((promotion) => allowedByDiscount(price, toMinor(list), promotion.maxDiscount));
        promotionAllowed = allowing !== undefined;
        shown = allowing ?? promotions[0];
      }
    }
    // Most sales are above the floor: when no rule can fire on these facts, build nothing.
    floorProbe.belowFloor = isBelow;
    floorProbe.promotionAllowed = promotionAllowed;
    if (!floorMayFire()) return undefined;
    const pct = percentBelow(price, floor);
    const shortfall = isBelow ? fromMinor((floor - price) * event.quantity) : 0;
    return {
      check: "below-floor",
      facts: {
        check: "below-floor",
        sku: event.sku,
        category: index.categoryOf(event.sku) ?? null,
        partnerId: partner.id,
        channel: partner.channel,
        online: ONLINE_CHANNELS.has(partner.channel),
        currency: event.currency,
        unitPrice: event.unitPrice,
        floorPrice: policy.floorPrice as number,
        belowFloor: isBelow,
        belowFloorPct: round(pct, 4),
        promotionAllowed,
        quantity: event.quantity,
        amountBelowFloor: round(shortfall, 4),
      },
      at: event.occurredAt,
      magnitude: Math.max(0, pct),
      amount: shortfall,
      currency: event.currency,
      evidence: () => ({
        groupKey: groupKey(partner.id, event.sku, event.currency),
        partners: [partner.id],
        eventIds: [event.id],
        refs: [{ type: "pricePolicy", id: policy.id }, ...(shown ? [{ type: "promotion" as const, id: shown.id }] : [])],
      }),
    };
  }

  function belowMap(event: ListingEvent, partner: Partner): Candidate | undefined {
    const { policy, mismatch } = maps.get(event.occurredAt, event.sku, partner.channel, event.currency);
    if (!policy) {
      if (mismatch) context.skip("price-deviation.listing-currency-mismatch");
      return undefined;
    }
    const price = toMinor(event.price);
    const map = toMinor(policy.map as number);
    mapProbe.belowMap = price < map;
    if (!mapMayFire()) return undefined;
    const pct = percentBelow(price, map);
    return {
      check: "below-map",
      facts: {
        check: "below-map",
        sku: event.sku,
        category: index.categoryOf(event.sku) ?? null,
        partnerId: partner.id,
        channel: partner.channel,
        online: ONLINE_CHANNELS.has(partner.channel),
        currency: event.currency,
        advertisedPrice: event.price,
        map: policy.map as number,
        belowMap: price < map,
        belowMapPct: round(pct, 4),
        url: event.url ?? null,
      },
      at: event.occurredAt,
      magnitude: Math.max(0, pct),
      amount: 0,
      currency: event.currency,
      evidence: () => ({
        groupKey: groupKey(partner.id, event.sku, event.currency),
        partners: [partner.id],
        eventIds: [event.id],
        refs: [{ type: "pricePolicy", id: policy.id }],
      }),
    };
  }

  function windowOf(sku: string, currency: string): PriceWindow {
    let byCurrency = windows.get(sku);
    if (!byCurrency) windows.set(sku, (byCurrency = new Map()));
    let window = byCurrency.get(currency);
    if (!window) byCurrency.set(currency, (window = new PriceWindow()));
    return window;
  }

  function onlineOfflineGap(event: SaleEvent, partner: Partner): Candidate | undefined {
    const window = windowOf(event.sku, event.currency);
    window.add(event.occurredAt, toMinor(event.unitPrice), ONLINE_CHANNELS.has(partner.channel), indexOf(partner.id));
    // The window is (t − windowDays, t]: entries at or before the start leave it.
    window.expire(event.occurredAt - windowMs);
    // The window's sides: `true` is online.
    const { truePrices: onlinePrices, falsePrices: offlinePrices } = window;
    if (onlinePrices.size < minSamples || offlinePrices.size < minSamples) return undefined;
    const onlineMedian = onlinePrices.median();
    const offlineMedian = offlinePrices.median();
    const gapPct = offlineMedian === 0 ? 0 : (Math.abs(onlineMedian - offlineMedian) * 100) / offlineMedian;
    const onlineCheaper = onlineMedian < offlineMedian;
    const roundedGap = round(gapPct, 4);
    gapProbe.gapPct = roundedGap;
    gapProbe.onlineCheaper = onlineCheaper;
    gapProbe.onlineSamples = onlinePrices.size;
    gapProbe.offlineSamples = offlinePrices.size;
    if (!gapMayFire()) return undefined;
    return {
      check: "online-offline-gap",
      facts: {
        check: "online-offline-gap",
        sku: event.sku,
        category: index.categoryOf(event.sku) ?? null,
        currency: event.currency,
        onlineMedian: round(fromMinor(onlineMedian), 4),
        offlineMedian: round(fromMinor(offlineMedian), 4),
        gapPct: roundedGap,
        onlineCheaper,
        onlineSamples: onlinePrices.size,
        offlineSamples: offlinePrices.size,
        windowDays,
      },
      at: event.occurredAt,
      magnitude: gapPct,
      amount: fromMinor(Math.abs(offlineMedian - onlineMedian) * event.quantity),
      currency: event.currency,
      // The cheaper side's sellers are the offenders; read from the window before it moves on.
      evidence: () => ({
        groupKey: groupKey(event.sku, event.currency),
        partners: sellersOf(window, onlineCheaper, partnerNames),
        eventIds: [event.id],
        refs: [],
      }),
    };
  }

  return {
    start: () => [],
    // The windows and the partner table their tags index; the policy caches are rebuilt from reference data.
    toState: (): PriceDeviationState => ({
      partners: [...partnerNames],
      windows: [...windows].flatMap(([sku, byCurrency]) => [...byCurrency].map(([currency, window]) => ({ sku, currency, entries: window.toState() }))),
    }),
    fromState(state: unknown): void {
      const saved = state as PriceDeviationState;
      for (const id of saved.partners) indexOf(id);
      windows.clear();
      for (const { sku, currency, entries } of saved.windows) {
        let byCurrency = windows.get(sku);
        if (!byCurrency) windows.set(sku, (byCurrency = new Map()));
        byCurrency.set(currency, PriceWindow.fromState(entries));
      }
    },
    onEvent(event: ChannelEvent, out: Candidate[]): void {
      if (isSale(event)) {
        const partner = index.partners.get(event.partnerId);
        if (!partner) return;
        const floor = belowFloor(event, partner);
        if (floor) out.push(floor);
        const gap = onlineOfflineGap(event, partner);
        if (gap) out.push(gap);
      } else if (event.type === "listing") {
        const partner = index.partners.get(event.partnerId);
        if (!partner) return;
        const map = belowMap(event, partner);
        if (map) out.push(map);
      }
    },
    whyNot(event: ChannelEvent, made: ReadonlySet<string>): Unjudged[] {
      const reasons: Unjudged[] = [];
      const partner = index.partners.get(event.partnerId);
      const noPolicy = (check: string, price: "floor" | "MAP", currency: string, otherCurrency: boolean): Unjudged => ({
        check,
        message: { code: "price-deviation.no-policy", args: { price, sku: event.sku, channel: partner?.channel ?? "", currency, at: event.occurredAt, otherCurrency } },
      });
      if (isSale(event) && partner) {
        if (!made.has("below-floor")) {
          const { policy, mismatch } = floors.get(event.occurredAt, event.sku, partner.channel, event.currency);
          reasons.push(
            policy
              ? { check: "below-floor", message: { code: "price-deviation.no-list-price", args: { sku: event.sku, currency: event.currency } } }
              : noPolicy("below-floor", "floor", event.currency, mismatch),
          );
        }
        reasons.push(otherEvents("below-map", ["listing"], event));
        if (!made.has("online-offline-gap")) {
          const window = windows.get(event.sku)?.get(event.currency);
          const args = { sku: event.sku, currency: event.currency, windowDays, minSamples };
          const sides = { online: window?.truePrices.size ?? 0, offline: window?.falsePrices.size ?? 0 };
          reasons.push({ check: "online-offline-gap", message: { code: "price-deviation.few-samples", args: { ...args, ...sides } } });
        }
      } else if (event.type === "listing" && partner) {
        reasons.push(otherEvents("below-floor", ["order", "sale"], event));
        if (!made.has("below-map")) {
          const { mismatch } = maps.get(event.occurredAt, event.sku, partner.channel, event.currency);
          reasons.push(noPolicy("below-map", "MAP", event.currency, mismatch));
        }
        reasons.push(otherEvents("online-offline-gap", ["order", "sale"], event));
      } else {
        for (const check of CHECKS) reasons.push(otherEvents(check, check === "below-map" ? ["listing"] : ["order", "sale"], event));
      }
      return reasons;
    },
  };
}

const CHECKS = ["below-floor", "below-map", "online-offline-gap"] as const;

/** Price deviation: below the floor, advertised below MAP, online and offline medians apart. */
export const priceDeviation: Detector = {
  kind: "price-deviation",
  checks: CHECKS,
  params: [
    { name: "windowDays", default: 30, min: 1, description: "length of the rolling window of the online/offline medians, in days" },
    { name: "minSamples", default: 3, min: 1, description: "order/sale events each side needs in the window before medians are compared" },
  ],
  facts: [
    { name: "check", type: "string", values: CHECKS, description: "`below-floor`, `below-map` or `online-offline-gap`" },
    { name: "sku", type: "string", description: "the product" },
    { name: "category", type: "string", nullable: true, description: "the product's category, or null when the catalogue does not know it" },
    { name: "currency", type: "string", description: "the currency of the prices compared" },
    { name: "partnerId", type: "string", checks: ["below-floor", "below-map"], description: "the selling or advertising partner" },
    { name: "channel", type: "string", checks: ["below-floor", "below-map"], values: channelSchema.options, description: "the partner's channel" },
    { name: "online", type: "boolean", checks: ["below-floor", "below-map"], description: "true for the `ecommerce` and `marketplace` channels" },
    { name: "unitPrice", type: "number", checks: ["below-floor"], description: "the net unit price of the order/sale" },
    { name: "floorPrice", type: "number", checks: ["below-floor"], description: "the floor of the applicable policy (channel-specific beats general)" },
    { name: "belowFloor", type: "boolean", checks: ["below-floor"], description: "unitPrice < floorPrice, compared exactly (equal is not below)" },
    { name: "belowFloorPct", type: "number", checks: ["below-floor"], description: "(floor − price) / floor × 100; negative when above the floor" },
    { name: "promotionAllowed", type: "boolean", checks: ["below-floor"], description: "an active promotion covering sku, channel and partner allows this price (≥ list × (1 − maxDiscount))" },
    { name: "quantity", type: "number", checks: ["below-floor"], description: "units sold" },
    { name: "amountBelowFloor", type: "number", checks: ["below-floor"], description: "(floor − price) × quantity when below, else 0" },
    { name: "advertisedPrice", type: "number", checks: ["below-map"], description: "the observed advertised price" },
    { name: "map", type: "number", checks: ["below-map"], description: "the minimum advertised price of the applicable policy" },
    { name: "belowMap", type: "boolean", checks: ["below-map"], description: "advertisedPrice < map, compared exactly" },
    { name: "belowMapPct", type: "number", checks: ["below-map"], description: "(map − price) / map × 100" },
    { name: "url", type: "string", checks: ["below-map"], nullable: true, description: "where the listing was seen, or null" },
    { name: "onlineMedian", type: "number", checks: ["online-offline-gap"], description: "median unit price of online orders/sales in the window" },
    { name: "offlineMedian", type: "number", checks: ["online-offline-gap"], description: "median unit price of offline orders/sales (direct included) in the window" },
    { name: "gapPct", type: "number", checks: ["online-offline-gap"], description: "|online − offline| / offline × 100" },
    { name: "onlineCheaper", type: "boolean", checks: ["online-offline-gap"], description: "true when the online median is below the offline one" },
    { name: "onlineSamples", type: "number", checks: ["online-offline-gap"], description: "online orders/sales in the window" },
    { name: "offlineSamples", type: "number", checks: ["online-offline-gap"], description: "offline orders/sales in the window" },
    { name: "windowDays", type: "number", checks: ["online-offline-gap"], description: "the window length the medians were taken over" },
  ],
  refTypes: ["pricePolicy", "promotion"],
  // Windows are per sku and currency; every group is of one sku.
  shardKey: (event) => event.sku,
  messages: priceDeviationTexts,
  whyNotMessages: priceDeviationWhyNotTexts,
  skipMessages: priceDeviationSkipTexts,
  create: createRun,
  describe(group, context): MessageOf<PriceDeviationMessages> {
    const facts = group.worst.facts;
    const occurrences = occurrencesOf(group);
    const currency = String(facts.currency);
    // What every message of a seller's price says: who, what, how often, in which currency.
    const sold = { seller: namedPartner(context.index, group.partners[0] ?? ""), sku: String(facts.sku), occurrences, currency };
    switch (group.check) {
      case "below-floor":
        return {
          code: "price-deviation.below-floor",
          args: {
            ...sold,
            unitPrice: Number(facts.unitPrice),
            floorPrice: Number(facts.floorPrice),
            belowFloorPct: Number(facts.belowFloorPct),
            amountBelowFloor: group.amount,
          },
        };
      case "below-map":
        return {
          code: "price-deviation.below-map",
          args: {
            ...sold,
            advertisedPrice: Number(facts.advertisedPrice),
            map: Number(facts.map),
            belowMapPct: Number(facts.belowMapPct),
            url: facts.url ? String(facts.url) : null,
          },
        };
      default:
        return {
          code: "price-deviation.online-offline-gap",
          args: {
            sku: String(facts.sku),
            occurrences,
            currency,
            gapPct: Number(facts.gapPct),
            onlineCheaper: facts.onlineCheaper === true,
            onlineMedian: Number(facts.onlineMedian),
            offlineMedian: Number(facts.offlineMedian),
            windowDays: Number(facts.windowDays),
            sellers: group.partners.slice(0, 3).map((id) => namedPartner(context.index, id)),
          },
        };
    }
  },
};
