import { formatMoney, round } from "../core/money.js";
import { UTC_ZONE, type TimeZone } from "../core/zonedTime.js";
import type { Words } from "./types.js";

/** The English words, dates shown as calendar dates in `zone` (the dataset's time zone). */
export function englishWords(zone: TimeZone): Words {
  const day = (ms: number): string => zone.dayText(ms);
  return {
    named: (record) => (record.name ? `${record.name} (${record.id})` : record.id),
    money: formatMoney,
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
