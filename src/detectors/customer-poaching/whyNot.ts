import type { Texts } from "../../messages/types.js";
import { sharedWhyNotTexts, type SharedWhyNotMessages } from "../whyNot.js";

/** Why customer-poaching made no candidate of a sale, by code. */
export interface CustomerPoachingWhyNotMessages extends SharedWhyNotMessages {
  "customer-poaching.no-customer": Record<string, never>;
  "customer-poaching.unprotected": { readonly customerId: string; readonly at: number };
}

export const customerPoachingWhyNotTexts: Texts<CustomerPoachingWhyNotMessages> = {
  en: {
    ...sharedWhyNotTexts.en,
    "customer-poaching.no-customer": () => "the sale names no customer (customerId), so no registration can protect it.",
    "customer-poaching.unprotected": (a, w) =>
      `no approved or pending registration protected customer ${a.customerId} on ${w.day(a.at)}, so any partner may sell to it.`,
  },
  "zh-CN": {
    ...sharedWhyNotTexts["zh-CN"],
    "customer-poaching.no-customer": () => "这笔销售没有填写客户（customerId），无法对照客户报备判断撞单。",
    "customer-poaching.unprotected": (a, w) => `${w.day(a.at)}客户 ${a.customerId} 没有已批准或待审批的报备保护，任何伙伴都可以向其销售。`,
  },
};
