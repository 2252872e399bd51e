import type { ChannelEvent, ListingEvent, SaleEvent } from "../../schema/dataset.js";
import { ONLINE_CHANNELS } from "../../schema/primitives.js";
import { allowedByDiscount, formatMoney, fromMinor, percentBelow, round, toMinor } from "../../reference/money.js";
import type { FindingRef } from "../../findings/types.js";
import { describeOccurrences, groupKey, isSale, listLabels } from "../shared.js";
import { utcDaysInMs } from "../../time.js";
import type { Candidate, Detector, DetectorContext, DetectorRun } from "../types.js";
import { SortedPrices } from "./medianWindow.js";

interface WindowEntry {
  readonly at: number;
  readonly price: number;
  readonly online: boolean;
  readonly partnerId: string;
}

interface SkuWindow {
  readonly entries: WindowEntry[];
  head: number;
  readonly online: SortedPrices;
  readonly offline: SortedPrices;
}

function createRun(context: DetectorContext): DetectorRun {
  const { index } = context;
  const windowDays = context.params.windowDays as number;
  const minSamples = context.params.minSamples as number;
  const windows = new Map<string, SkuWindow>();
  const windowMs = utcDaysInMs(windowDays);

  function belowFloor(event: SaleEvent): Candidate | undefined {
    const partner = index.partners.get(event.partnerId);
    if (!partner) return undefined;
    const { policy, mismatch } = index.applicablePolicy(event.sku, partner.channel, event.occurredAt, "floorPrice", event.currency);
    if (!policy) {
      if (mismatch) context.skip("price-deviation: sale currency differs from its price policy");
      return undefined;
    }
    const price = toMinor(event.unitPrice);
    const floor = toMinor(policy.floorPrice as number);
    const isBelow = price < floor;
    let promotionAllowed = false;
    const refs: FindingRef[] = [{ type: "pricePolicy", id: policy.id }];
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
          context.skip("price-deviation: promotion without a list price in the sale's currency");
          return undefined;
        }
        const allowing = promotions.find((promotion) => allowedByDiscount(price, toMinor(list), promotion.maxDiscount));
        promotionAllowed = allowing !== undefined;
        const shown = allowing ?? promotions[0];
        if (shown) refs.push({ type: "promotion", id: shown.id });
      }
    }
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
      groupKey: groupKey(partner.id, event.sku, event.currency),
      partners: [partner.id],
      eventIds: [event.id],
      refs,
      at: event.occurredAt,
      magnitude: Math.max(0, pct),
      amount: shortfall,
      currency: event.currency,
    };
  }

  function belowMap(event: ListingEvent): Candidate | undefined {
    const partner = index.partners.get(event.partnerId);
    if (!partner) return undefined;
    const { policy, mismatch } = index.applicablePolicy(event.sku, partner.channel, event.occurredAt, "map", event.currency);
    if (!policy) {
      if (mismatch) context.skip("price-deviation: listing currency differs from its price policy");
      return undefined;
    }
    const price = toMinor(event.price);
    const map = toMinor(policy.map as number);
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
      groupKey: groupKey(partner.id, event.sku, event.currency),
      partners: [partner.id],
      eventIds: [event.id],
      refs: [{ type: "pricePolicy", id: policy.id }],
      at: event.occurredAt,
      magnitude: Math.max(0, pct),
      amount: 0,
      currency: event.currency,
    };
  }

  function onlineOfflineGap(event: SaleEvent): Candidate | undefined {
    const partner = index.partners.get(event.partnerId);
    if (!partner) return undefined;
    const key = groupKey(event.sku, event.currency);
    let window = windows.get(key);
    if (!window) {
      window = { entries: [], head: 0, online: new SortedPrices(), offline: new SortedPrices() };
      windows.set(key, window);
    }
    const online = ONLINE_CHANNELS.has(partner.channel);
    const price = toMinor(event.unitPrice);
    window.entries.push({ at: event.occurredAt, price, online, partnerId: partner.id });
    (online ? window.online : window.offline).add(price);
    // The window is (t − windowDays, t]: entries at or before the start leave it.
    const start = event.occurredAt - windowMs;
    while (window.head < window.entries.length && (window.entries[window.head] as WindowEntry).at <= start) {
      const old = window.entries[window.head] as WindowEntry;
      (old.online ? window.online : window.offline).remove(old.price);
      window.head++;
    }
    if (window.head > 1024 && window.head * 2 > window.entries.length) {
      window.entries.splice(0, window.head);
      window.head = 0;
    }
    if (window.online.size < minSamples || window.offline.size < minSamples) return undefined;
    const onlineMedian = window.online.median();
    const offlineMedian = window.offline.median();
    const gapPct = offlineMedian === 0 ? 0 : (Math.abs(onlineMedian - offlineMedian) * 100) / offlineMedian;
    const onlineCheaper = onlineMedian < offlineMedian;
    // The cheaper side's sellers are the offenders, cheapest first; the other side is affected.
    // Computed only when a rule fires (the assembler reads `partners` before the next event moves the window).
    const partnersInWindow = (): string[] => {
      const lowest = new Map<string, number>();
      const others = new Set<string>();
      for (let i = window.head; i < window.entries.length; i++) {
        const entry = window.entries[i] as WindowEntry;
        if (entry.online === onlineCheaper) lowest.set(entry.partnerId, Math.min(lowest.get(entry.partnerId) ?? Infinity, entry.price));
        else others.add(entry.partnerId);
      }
      const offenders = [...lowest.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
      return [...offenders, ...[...others].filter((id) => !lowest.has(id)).sort()];
    };
    return {
      check: "online-offline-gap",
      facts: {
        check: "online-offline-gap",
        sku: event.sku,
        category: index.categoryOf(event.sku) ?? null,
        currency: event.currency,
        onlineMedian: round(fromMinor(onlineMedian), 4),
        offlineMedian: round(fromMinor(offlineMedian), 4),
        gapPct: round(gapPct, 4),
        onlineCheaper,
        onlineSamples: window.online.size,
        offlineSamples: window.offline.size,
        windowDays,
      },
      groupKey: key,
      get partners() {
        return partnersInWindow();
      },
      eventIds: [event.id],
      refs: [],
      at: event.occurredAt,
      magnitude: gapPct,
      amount: fromMinor(Math.abs(offlineMedian - onlineMedian) * event.quantity),
      currency: event.currency,
    };
  }

  return {
    start: () => [],
    onEvent(event: ChannelEvent): Candidate[] {
      const out: Candidate[] = [];
      if (isSale(event)) {
        const floor = belowFloor(event);
        if (floor) out.push(floor);
        const gap = onlineOfflineGap(event);
        if (gap) out.push(gap);
      } else if (event.type === "listing") {
        const map = belowMap(event);
        if (map) out.push(map);
      }
      return out;
    },
  };
}

/** Price deviation: below the floor, advertised below MAP, online and offline medians apart. */
export const priceDeviation: Detector = {
  kind: "price-deviation",
  checks: ["below-floor", "below-map", "online-offline-gap"],
  params: [
    { name: "windowDays", default: 30, min: 1, description: "length of the rolling window of the online/offline medians, in days" },
    { name: "minSamples", default: 3, min: 1, description: "order/sale events each side needs in the window before medians are compared" },
  ],
  facts: [
    { name: "check", type: "string", description: "`below-floor`, `below-map` or `online-offline-gap`" },
    { name: "sku", type: "string", description: "the product" },
    { name: "category", type: "string", description: "the product's category, or null when the catalogue does not know it" },
    { name: "currency", type: "string", description: "the currency of the prices compared" },
    { name: "partnerId", type: "string", checks: ["below-floor", "below-map"], description: "the selling or advertising partner" },
    { name: "channel", type: "string", checks: ["below-floor", "below-map"], description: "the partner's channel" },
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
    { name: "url", type: "string", checks: ["below-map"], description: "where the listing was seen, or null" },
    { name: "onlineMedian", type: "number", checks: ["online-offline-gap"], description: "median unit price of online orders/sales in the window" },
    { name: "offlineMedian", type: "number", checks: ["online-offline-gap"], description: "median unit price of offline orders/sales (direct included) in the window" },
    { name: "gapPct", type: "number", checks: ["online-offline-gap"], description: "|online − offline| / offline × 100" },
    { name: "onlineCheaper", type: "boolean", checks: ["online-offline-gap"], description: "true when the online median is below the offline one" },
    { name: "onlineSamples", type: "number", checks: ["online-offline-gap"], description: "online orders/sales in the window" },
    { name: "offlineSamples", type: "number", checks: ["online-offline-gap"], description: "offline orders/sales in the window" },
    { name: "windowDays", type: "number", checks: ["online-offline-gap"], description: "the window length the medians were taken over" },
  ],
  create: createRun,
  describe(group, context) {
    const facts = group.worst.facts;
    const who = context.partnerLabel(group.partners[0] ?? "");
    const when = describeOccurrences(group.count, group.firstAt, group.lastAt);
    const currency = String(facts.currency);
    switch (group.check) {
      case "below-floor":
        return (
          `${who} sold ${String(facts.sku)} below its floor price ${when}: lowest ${formatMoney(Number(facts.unitPrice), currency)} ` +
          `against a floor of ${formatMoney(Number(facts.floorPrice), currency)} (${round(Number(facts.belowFloorPct), 1)}% below), ` +
          `${formatMoney(group.amount, currency)} under the floor in all, with no promotion allowing it.`
        );
      case "below-map":
        return (
          `${who} advertised ${String(facts.sku)} below MAP ${when}: lowest ${formatMoney(Number(facts.advertisedPrice), currency)} ` +
          `against a MAP of ${formatMoney(Number(facts.map), currency)} (${round(Number(facts.belowMapPct), 1)}% below)` +
          `${facts.url ? ` at ${String(facts.url)}` : ""}.`
        );
      default: {
        const sellers = listLabels(group.partners.slice(0, 3).map((id) => context.partnerLabel(id)));
        return (
          `${String(facts.sku)}: the online median price was ${round(Number(facts.gapPct), 1)}% ${facts.onlineCheaper ? "below" : "above"} ` +
          `the offline median (online ${formatMoney(Number(facts.onlineMedian), currency)}, offline ${formatMoney(Number(facts.offlineMedian), currency)}, ` +
          `${String(facts.windowDays)}-day window) ${when}; cheapest sellers: ${sellers}.`
        );
      }
    }
  },
};
