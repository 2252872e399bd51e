import type { NamedRecord, Occurrences, Texts } from "../../../src/messages/types.js";

/** What unauthorized-seller findings say, by code. */
export interface UnauthorizedSellerMessages {
  "unauthorized-seller.unknown-seller": {
    readonly seller: NamedRecord;
    readonly sku: string;
    readonly occurrences: Occurrences;
    readonly price: number;
    readonly currency: string;
  };
}

export const unauthorizedSellerTexts: Texts<UnauthorizedSellerMessages> = {
  en: {
    "unauthorized-seller.unknown-seller": (a, w) =>
      `${w.named(a.seller)}, who is not an authorised partner, listed ${a.sku} ${w.occurrences(a.occurrences)} (first at ${w.money(a.price, a.currency)}).`,
  },
};
