import type { Lang } from "./types.js";

/** `1234567.5` → `1,234,567.50` with `digits` decimals: grouping by hand, so no ICU version changes a byte. */
export function groupDigits(value: number, digits = 2): string {
  const fixed = Math.abs(value).toFixed(digits);
  const [whole = "0", fraction] = fixed.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  // -0.00 is shown as 0.00
  const sign = value < 0 && Number(fixed) !== 0 ? "-" : "";
  return `${sign}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

// Symbols only where a reader of the language cannot mistake them: `$` alone could be any dollar, and
// `¥` alone is the yuan to a Chinese reader but the yen to many others.
const SYMBOLS: Readonly<Record<Lang, Readonly<Record<string, string>>>> = {
  en: { EUR: "€", GBP: "£", CNY: "CN¥", JPY: "JP¥", USD: "US$", HKD: "HK$", INR: "₹", KRW: "₩" },
  "zh-CN": { CNY: "¥", EUR: "€", GBP: "£", JPY: "JP¥", USD: "US$", HKD: "HK$", INR: "₹", KRW: "₩" },
};

/** An amount with digit grouping and its currency: a symbol where unambiguous (`CN¥32,382.00`), else `1,234.00 CHF`. */
export function formatAmount(amount: number, currency: string, lang: Lang): string {
  const symbol = Object.hasOwn(SYMBOLS[lang], currency) ? SYMBOLS[lang][currency] : undefined;
  const digits = groupDigits(amount, 2);
  if (symbol === undefined) return `${digits} ${currency}`;
  return digits.startsWith("-") ? `-${symbol}${digits.slice(1)}` : `${symbol}${digits}`;
}
