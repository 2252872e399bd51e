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
};
