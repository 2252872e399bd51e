import { round } from "../core/money.js";
import { UTC_ZONE, type TimeZone } from "../core/zonedTime.js";
import { formatAmount } from "./numbers.js";
import type { NameLookup, Words } from "./types.js";

const NO_NAMES: NameLookup = { regions: new Map(), products: new Map() };

/** `Name (code)` when there is a name, else the code. */
export function namedCode(code: string, name: string | undefined): string {
  return name ? `${name} (${code})` : code;
}

/**
 * The English words, dates shown as calendar dates in `zone` (the dataset's time zone), regions and
 * products by name where `names` has them.
 */
export function englishWords(zone: TimeZone, names: NameLookup = NO_NAMES): Words {
  const day = (ms: number): string => zone.dayText(ms);
  return {
    lang: "en",
    named: (record) => namedCode(record.id, record.name),
    region: (code) => namedCode(code, names.regions.get(code)),
    product: (sku) => namedCode(sku, names.products.get(sku)),
    money: (amount, currency) => formatAmount(amount, currency, "en"),
    day,
    occurrences({ count, firstAt, lastAt }) {
      if (count === 1) return `on ${day(firstAt)}`;
      const span = day(firstAt) === day(lastAt) ? `on ${day(firstAt)}` : `between ${day(firstAt)} and ${day(lastAt)}`;
      return `${count} times ${span}`;
    },
    list(items) {
      if (items.length <= 1) return items[0] ?? "";
      return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
    },
    percent: (value) => `${round(value, 1)}%`,
  };
}

/** The English words, dates in UTC. */
export const EN_WORDS: Words = englishWords(UTC_ZONE);
