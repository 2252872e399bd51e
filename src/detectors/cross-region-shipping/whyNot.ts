import type { NamedRecord, Texts } from "../../messages/types.js";
import { sharedWhyNotTexts, type SharedWhyNotMessages } from "../whyNot.js";

/** Why cross-region-shipping made no candidate of a sale, by code. */
export interface CrossRegionShippingWhyNotMessages extends SharedWhyNotMessages {
  /** The partner (the seller, or the lot's source) is not restricted by territories. */
  "cross-region-shipping.unrestricted": { readonly partner: NamedRecord; readonly role: "seller" | "source"; readonly direct: boolean };
  "cross-region-shipping.no-lot": Record<string, never>;
  /** An allocation: recorded, so later sales of its lot are traced to it. */
  "cross-region-shipping.allocation": { readonly lot: string; readonly partner: NamedRecord };
  "cross-region-shipping.lot-unallocated": { readonly lot: string };
  "cross-region-shipping.no-destination": Record<string, never>;
  "cross-region-shipping.unknown-destination": { readonly destination: string };
}

export const crossRegionShippingWhyNotTexts: Texts<CrossRegionShippingWhyNotMessages> = {
  en: {
    ...sharedWhyNotTexts.en,
    "cross-region-shipping.unrestricted": (a, w) =>
      `${a.role === "seller" ? "the seller" : "the lot's source"} ${w.named(a.partner)} ` +
      (a.direct ? "is the direct channel, which territories do not restrict." : "holds no territory, so it is not restricted."),
    "cross-region-shipping.allocation": (a, w) =>
      `this allocation of lot ${a.lot} to ${w.named(a.partner)} is recorded: later sales of the lot are traced back to it, and judged then.`,
    "cross-region-shipping.no-lot": () => "the sale names no lot, so it cannot be traced to an allocation.",
    "cross-region-shipping.lot-unallocated": (a) => `lot ${a.lot} was not allocated to any partner before this sale.`,
    "cross-region-shipping.no-destination": () => "the sale has neither a ship-to region nor a customer with a region.",
    "cross-region-shipping.unknown-destination": (a) => `its destination ${a.destination} is not in the regions.`,
  },
  "zh-CN": {
    ...sharedWhyNotTexts["zh-CN"],
    "cross-region-shipping.unrestricted": (a, w) =>
      `${a.role === "seller" ? "卖方" : "该批次的来源方"}${w.named(a.partner)}` +
      (a.direct ? "是品牌直销渠道，不受授权区域限制。" : "没有任何授权区域，因此不受区域限制。"),
    "cross-region-shipping.allocation": (a, w) =>
      `这是批次 ${a.lot} 配货给${w.named(a.partner)}的记录：之后该批次的销售会追溯到这里，届时再判断是否窜货。`,
    "cross-region-shipping.no-lot": () => "这笔销售没有批次号，无法追溯到配货记录。",
    "cross-region-shipping.lot-unallocated": (a) => `批次 ${a.lot} 在这笔销售之前没有配货给任何伙伴。`,
    "cross-region-shipping.no-destination": () => "这笔销售既没有收货地区，也没有带地区的客户，无法判断是否跨区。",
    "cross-region-shipping.unknown-destination": (a, w) => `收货地区${w.region(a.destination)}不在地区表中。`,
  },
};
