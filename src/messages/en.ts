import { formatMoney, round } from "../core/money.js";
import { formatIsoTime } from "../core/time.js";
import type { Words } from "./types.js";

const day = (ms: number): string => formatIsoTime(ms).slice(0, 10);

/** The English words. */
export const EN_WORDS: Words = {
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
