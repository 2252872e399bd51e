import type { NamedRecord, Occurrences, Texts } from "../../messages/types.js";

/** What price-deviation findings say, by code. */
export interface PriceDeviationMessages {
  "price-deviation.below-floor": {
    readonly seller: NamedRecord;
    readonly sku: string;
    readonly occurrences: Occurrences;
    readonly currency: string;
    /** The worst occurrence's unit price and floor, and how far below (percent). */
    readonly unitPrice: number;
    readonly floorPrice: number;
    readonly belowFloorPct: number;
    /** Money under the floor over every occurrence. */
    readonly amountBelowFloor: number;
  };
  "price-deviation.below-map": {
    readonly seller: NamedRecord;
    readonly sku: string;
    readonly occurrences: Occurrences;
    readonly currency: string;
    readonly advertisedPrice: number;
    readonly map: number;
    readonly belowMapPct: number;
    readonly url: string | null;
  };
  "price-deviation.online-offline-gap": {
    readonly sku: string;
    readonly occurrences: Occurrences;
    readonly currency: string;
    readonly gapPct: number;
    readonly onlineCheaper: boolean;
    readonly onlineMedian: number;
    readonly offlineMedian: number;
    readonly windowDays: number;
    /** The cheapest side's first sellers (at most three). */
    readonly sellers: readonly NamedRecord[];
  };
}

export const priceDeviationTexts: Texts<PriceDeviationMessages> = {
  en: {
    "price-deviation.below-floor": (a, w) =>
      `${w.named(a.seller)} sold ${a.sku} below its floor price ${w.occurrences(a.occurrences)}: lowest ${w.money(a.unitPrice, a.currency)} ` +
      `against a floor of ${w.money(a.floorPrice, a.currency)} (${w.percent(a.belowFloorPct)} below), ` +
      `${w.money(a.amountBelowFloor, a.currency)} under the floor in all, with no promotion allowing it.`,
    "price-deviation.below-map": (a, w) =>
      `${w.named(a.seller)} advertised ${a.sku} below MAP ${w.occurrences(a.occurrences)}: lowest ${w.money(a.advertisedPrice, a.currency)} ` +
      `against a MAP of ${w.money(a.map, a.currency)} (${w.percent(a.belowMapPct)} below)${a.url ? ` at ${a.url}` : ""}.`,
    "price-deviation.online-offline-gap": (a, w) =>
      `${a.sku}: the online median price was ${w.percent(a.gapPct)} ${a.onlineCheaper ? "below" : "above"} ` +
      `the offline median (online ${w.money(a.onlineMedian, a.currency)}, offline ${w.money(a.offlineMedian, a.currency)}, ` +
      `${a.windowDays}-day window) ${w.occurrences(a.occurrences)}; cheapest sellers: ${w.list(a.sellers.map(w.named))}.`,
  },
};
