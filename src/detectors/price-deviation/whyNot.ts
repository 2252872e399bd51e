import type { Texts } from "../../messages/types.js";
import { sharedWhyNotTexts, type SharedWhyNotMessages } from "../whyNot.js";

/** Why price-deviation made no candidate of a sale or listing, by code. */
export interface PriceDeviationWhyNotMessages extends SharedWhyNotMessages {
  /** No policy sets the price (`floor` or `MAP`) for the sku, channel and currency at that time. */
  "price-deviation.no-policy": {
    readonly price: "floor" | "MAP";
    readonly sku: string;
    readonly channel: string;
    readonly currency: string;
    readonly at: number;
    /** A policy applies, in another currency. */
    readonly otherCurrency: boolean;
  };
  "price-deviation.no-list-price": { readonly sku: string; readonly currency: string };
  "price-deviation.few-samples": {
    readonly sku: string;
    readonly currency: string;
    readonly windowDays: number;
    readonly online: number;
    readonly offline: number;
    readonly minSamples: number;
  };
}

export const priceDeviationWhyNotTexts: Texts<PriceDeviationWhyNotMessages> = {
  en: {
    ...sharedWhyNotTexts.en,
    "price-deviation.no-policy": (a, w) =>
      a.otherCurrency
        ? `the price policy for ${a.sku} on the ${a.channel} channel on ${w.day(a.at)} is not in ${a.currency}; prices in different currencies are not compared.`
        : `no price policy sets a ${a.price} for ${a.sku} on the ${a.channel} channel in ${a.currency} on ${w.day(a.at)}.`,
    "price-deviation.no-list-price": (a) =>
      `a promotion runs for ${a.sku}, but there is no list price in ${a.currency} to apply its discount to, so the sale is not judged.`,
    "price-deviation.few-samples": (a) =>
      `the ${a.windowDays}-day window of ${a.sku} in ${a.currency} holds ${a.online} online and ${a.offline} offline prices; ` +
      `the medians are compared from ${a.minSamples} of each.`,
  },
  "zh-CN": {
    ...sharedWhyNotTexts["zh-CN"],
    "price-deviation.no-policy": (a, w) =>
      a.otherCurrency
        ? `${w.day(a.at)}${w.product(a.sku)}在${channelZh(a.channel)}渠道的价格政策不是以 ${a.currency} 计价，不同币种的价格不做比较。`
        : `${w.day(a.at)}没有价格政策规定${w.product(a.sku)}在${channelZh(a.channel)}渠道以 ${a.currency} 计的${a.price === "floor" ? "底价" : "最低广告价（MAP）"}。`,
    "price-deviation.no-list-price": (a, w) =>
      `${w.product(a.sku)}正在促销，但没有 ${a.currency} 的标价可用来计算促销折扣，因此这笔销售不做判断。`,
    "price-deviation.few-samples": (a, w) =>
      `${w.product(a.sku)}（${a.currency}）最近 ${a.windowDays} 天的窗口里有线上成交价 ${a.online} 个、线下 ${a.offline} 个；` +
      `两边各满 ${a.minSamples} 个才比较中位数。`,
  },
};

/** Channels as Chinese channel managers name them. */
const CHANNEL_ZH: Readonly<Record<string, string>> = {
  direct: "直销",
  distributor: "经销商",
  reseller: "分销商",
  retail: "零售",
  ecommerce: "电商",
  marketplace: "平台店铺",
};

function channelZh(channel: string): string {
  return CHANNEL_ZH[channel] ?? channel;
}
