import type { NamedRecord, Occurrences, Texts } from "../../messages/types.js";

/** What customer-poaching findings say, by code. */
export interface CustomerPoachingMessages {
  "customer-poaching.protected-customer": {
    readonly seller: NamedRecord;
    readonly customer: NamedRecord;
    /** The partner whose approved registration protects the customer. */
    readonly owner: NamedRecord;
    readonly occurrences: Occurrences;
    readonly amount: number;
    readonly currency: string;
  };
  "customer-poaching.duplicate-registration": {
    /** The partner of the later registration. */
    readonly partner: NamedRecord;
    readonly customer: NamedRecord;
    readonly registeredAt: number;
    readonly status: string;
    readonly earlierPartner: NamedRecord;
    readonly earlierStatus: string;
  };
}

export const customerPoachingTexts: Texts<CustomerPoachingMessages> = {
  en: {
    "customer-poaching.protected-customer": (a, w) =>
      `${w.named(a.seller)} sold to ${w.named(a.customer)}, a customer registered to ` +
      `${w.named(a.owner)}, ${w.occurrences(a.occurrences)} (${w.money(a.amount, a.currency)}).`,
    "customer-poaching.duplicate-registration": (a, w) =>
      `${w.named(a.partner)} registered customer ${w.named(a.customer)} on ${w.day(a.registeredAt)} (${a.status}) ` +
      `while ${w.named(a.earlierPartner)} already held a live registration (${a.earlierStatus}); ` +
      `the earlier registration should win unless the account is reassigned.`,
  },
};
