import { round } from "../core/money.js";
import { UTC_ZONE, type TimeZone } from "../core/zonedTime.js";
import { formatAmount } from "./numbers.js";
import type { NameLookup, Words } from "./types.js";

const NO_NAMES: NameLookup = { regions: new Map(), products: new Map() };

/** `名称（编码）` when there is a name, else the code: full-width parentheses, as Chinese text writes them. */
export function namedCodeZh(code: string, name: string | undefined): string {
  return name ? `${name}（${code}）` : code;
}

/** `2025-03-01` → `2025年3月1日`. */
function chineseDay(isoDay: string): string {
  const [y, m, d] = isoDay.split("-");
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/**
 * The simplified-Chinese words (zh-CN), dates as `2025年3月1日` in `zone` (the dataset's time zone),
 * regions and products by name where `names` has them.
 */
export function chineseWords(zone: TimeZone, names: NameLookup = NO_NAMES): Words {
  const day = (ms: number): string => chineseDay(zone.dayText(ms));
  return {
    lang: "zh-CN",
    named: (record) => namedCodeZh(record.id, record.name),
    region: (code) => namedCodeZh(code, names.regions.get(code)),
    product: (sku) => namedCodeZh(sku, names.products.get(sku)),
    money: (amount, currency) => formatAmount(amount, currency, "zh-CN"),
    day,
    occurrences({ count, firstAt, lastAt }) {
      if (count === 1) return `于${day(firstAt)}`;
      const span = day(firstAt) === day(lastAt) ? `于${day(firstAt)}` : `在${day(firstAt)}至${day(lastAt)}期间`;
      return `${span}共${count}次`;
    },
    list(items) {
      if (items.length <= 1) return items[0] ?? "";
      return `${items.slice(0, -1).join("、")}和${items[items.length - 1]}`;
    },
    percent: (value) => `${round(value, 1)}%`,
  };
}

/** The Chinese words, dates in UTC. */
export const ZH_CN_WORDS: Words = chineseWords(UTC_ZONE);
