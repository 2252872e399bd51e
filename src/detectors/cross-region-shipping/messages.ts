import type { NamedRecord, Occurrences, SkipTexts, Texts } from "../../messages/types.js";

/** What cross-region-shipping findings say, by code. */
export interface CrossRegionShippingMessages {
  "cross-region-shipping.out-of-territory": {
    readonly seller: NamedRecord;
    readonly sku: string;
    readonly destination: string;
    /** Other partners holding the destination exclusively (the affected parties). */
    readonly exclusiveHolders: readonly NamedRecord[];
    readonly occurrences: Occurrences;
    readonly amount: number;
    readonly currency: string;
  };
  "cross-region-shipping.lot-diversion": {
    readonly lot: string;
    /** The partner the lot was allocated to: where the goods leaked from. */
    readonly source: NamedRecord;
    readonly seller: NamedRecord;
    readonly sku: string;
    readonly destination: string;
    readonly exclusiveHolders: readonly NamedRecord[];
    readonly occurrences: Occurrences;
    readonly amount: number;
    readonly currency: string;
  };
}

type Holders = { readonly exclusiveHolders: readonly NamedRecord[] };
const intoEn = (a: Holders, list: (items: readonly string[]) => string, named: (r: NamedRecord) => string): string =>
  a.exclusiveHolders.length > 0 ? `, into the exclusive territory of ${list(a.exclusiveHolders.map(named))}` : "";

const intoZh = (a: Holders, list: (items: readonly string[]) => string, named: (r: NamedRecord) => string): string =>
  a.exclusiveHolders.length > 0 ? `，进入了${list(a.exclusiveHolders.map(named))}的独家区域` : "";

export const crossRegionShippingTexts: Texts<CrossRegionShippingMessages> = {
  en: {
    "cross-region-shipping.out-of-territory": (a, w) =>
      `${w.named(a.seller)} shipped ${w.product(a.sku)} to ${w.region(a.destination)}, outside its territory${intoEn(a, w.list, w.named)}, ` +
      `${w.occurrences(a.occurrences)} (${w.money(a.amount, a.currency)}).`,
    "cross-region-shipping.lot-diversion": (a, w) =>
      `Goods of lot ${a.lot} allocated to ${w.named(a.source)} were sold ` +
      `by ${w.named(a.seller)} to ${w.region(a.destination)}, outside the source's territory${intoEn(a, w.list, w.named)}, ` +
      `${w.occurrences(a.occurrences)} (${w.product(a.sku)}, ${w.money(a.amount, a.currency)}).`,
  },
  "zh-CN": {
    "cross-region-shipping.out-of-territory": (a, w) =>
      `${w.named(a.seller)}跨区销售：将${w.product(a.sku)}发往授权区域以外的${w.region(a.destination)}${intoZh(a, w.list, w.named)}，` +
      `${w.occurrences(a.occurrences)}，涉及金额${w.money(a.amount, a.currency)}。`,
    "cross-region-shipping.lot-diversion": (a, w) =>
      `窜货：批次 ${a.lot} 的货物分配给${w.named(a.source)}，却由${w.named(a.seller)}销往${w.region(a.destination)}，` +
      `不在${w.named(a.source)}的授权区域内${intoZh(a, w.list, w.named)}，${w.occurrences(a.occurrences)}` +
      `（${w.product(a.sku)}，涉及金额${w.money(a.amount, a.currency)}）。`,
  },
};

/** Checks of cross-region-shipping that could not be made: where the goods went, or where the lot came from, is unknown. */
export const crossRegionShippingSkipTexts: SkipTexts<
  "cross-region-shipping.no-destination" | "cross-region-shipping.unknown-destination" | "cross-region-shipping.lot-before-allocation"
> = {
  en: {
    "cross-region-shipping.no-destination": "order/sale with neither ship-to nor a customer region",
    "cross-region-shipping.unknown-destination": "destination region not in regions",
    "cross-region-shipping.lot-before-allocation": "lot sold before any allocation of it",
  },
  "zh-CN": {
    "cross-region-shipping.no-destination": "订单或销售既没有收货地区，客户也没有所属地区，无法判断是否跨区",
    "cross-region-shipping.unknown-destination": "收货地区不在地区表（regions）里，无法判断是否跨区",
    "cross-region-shipping.lot-before-allocation": "批次在分配给任何经销商之前就已售出，无法追溯货源",
  },
};
