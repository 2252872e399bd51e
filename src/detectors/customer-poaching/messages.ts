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
  "zh-CN": {
    "customer-poaching.protected-customer": (a, w) =>
      `撞单：${w.named(a.seller)}向${w.named(a.owner)}已报备的客户${w.named(a.customer)}销售，` +
      `${w.occurrences(a.occurrences)}，涉及金额${w.money(a.amount, a.currency)}。`,
    "customer-poaching.duplicate-registration": (a, w) =>
      `${w.named(a.partner)}于${w.day(a.registeredAt)}报备了客户${w.named(a.customer)}（${statusZh(a.status)}），` +
      `而${w.named(a.earlierPartner)}对该客户的报备仍然有效（${statusZh(a.earlierStatus)}）；` +
      `除非客户归属已正式变更，应以先报备者为准。`,
  },
};

const STATUS_ZH: Readonly<Record<string, string>> = { approved: "已批准", pending: "待审批", rejected: "已驳回", expired: "已过期" };
function statusZh(status: string): string {
  return Object.hasOwn(STATUS_ZH, status) ? (STATUS_ZH[status] as string) : status;
}
