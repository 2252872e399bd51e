import type { NamedRecord, Occurrences, SkipTexts, Texts } from "../../messages/types.js";

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
      `${w.named(a.seller)} sold ${w.product(a.sku)} below its floor price ${w.occurrences(a.occurrences)}: lowest ${w.money(a.unitPrice, a.currency)} ` +
      `against a floor of ${w.money(a.floorPrice, a.currency)} (${w.percent(a.belowFloorPct)} below), ` +
      `${w.money(a.amountBelowFloor, a.currency)} under the floor in all, with no promotion allowing it.`,
    "price-deviation.below-map": (a, w) =>
      `${w.named(a.seller)} advertised ${w.product(a.sku)} below MAP ${w.occurrences(a.occurrences)}: lowest ${w.money(a.advertisedPrice, a.currency)} ` +
      `against a MAP of ${w.money(a.map, a.currency)} (${w.percent(a.belowMapPct)} below)${a.url ? ` at ${a.url}` : ""}.`,
    "price-deviation.online-offline-gap": (a, w) =>
      `${w.product(a.sku)}: the online median price was ${w.percent(a.gapPct)} ${a.onlineCheaper ? "below" : "above"} ` +
      `the offline median (online ${w.money(a.onlineMedian, a.currency)}, offline ${w.money(a.offlineMedian, a.currency)}, ` +
      `${a.windowDays}-day window) ${w.occurrences(a.occurrences)}; cheapest sellers: ${w.list(a.sellers.map(w.named))}.`,
  },
  "zh-CN": {
    "price-deviation.below-floor": (a, w) =>
      `${w.named(a.seller)}低于底价销售${w.product(a.sku)}（破价），${w.occurrences(a.occurrences)}：最低成交价${w.money(a.unitPrice, a.currency)}，` +
      `底价${w.money(a.floorPrice, a.currency)}（低${w.percent(a.belowFloorPct)}），累计低于底价${w.money(a.amountBelowFloor, a.currency)}，` +
      `且没有可覆盖该价格的促销活动。`,
    "price-deviation.below-map": (a, w) =>
      `${w.named(a.seller)}以低于最低广告价（MAP）的价格挂出${w.product(a.sku)}，${w.occurrences(a.occurrences)}：` +
      `最低标价${w.money(a.advertisedPrice, a.currency)}，MAP 为${w.money(a.map, a.currency)}（低${w.percent(a.belowMapPct)}）${a.url ? `，链接：${a.url}` : ""}。`,
    "price-deviation.online-offline-gap": (a, w) =>
      `${w.product(a.sku)}线上成交价中位数比线下${a.onlineCheaper ? "低" : "高"}${w.percent(a.gapPct)}` +
      `（线上${w.money(a.onlineMedian, a.currency)}，线下${w.money(a.offlineMedian, a.currency)}，${a.windowDays}天滚动窗口），` +
      `${w.occurrences(a.occurrences)}；价格最低的卖家：${w.list(a.sellers.map(w.named))}。`,
  },
};

/** Checks of price-deviation that could not be made: prices are never compared across currencies or guessed. */
export const priceDeviationSkipTexts: SkipTexts<
  "price-deviation.sale-currency-mismatch" | "price-deviation.promotion-without-list-price" | "price-deviation.listing-currency-mismatch"
> = {
  en: {
    "price-deviation.sale-currency-mismatch": "sale currency differs from its price policy",
    "price-deviation.promotion-without-list-price": "promotion without a list price in the sale's currency",
    "price-deviation.listing-currency-mismatch": "listing currency differs from its price policy",
  },
  "zh-CN": {
    "price-deviation.sale-currency-mismatch": "销售币种与价格政策的币种不同，未比价",
    "price-deviation.promotion-without-list-price": "有促销，但没有该销售币种的标价，无法算出促销允许的价格",
    "price-deviation.listing-currency-mismatch": "线上标价的币种与价格政策的币种不同，未比价",
  },
};
