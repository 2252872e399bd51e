/** Money is compared in integer ten-thousandths of a major unit, never as raw floating point. */
const SCALE = 10_000;

/** Converts an amount in major units to integer ten-thousandths (exact for up to four decimals). */
export function toMinor(amount: number): number {
  return Math.round(amount * SCALE);
}

/** Converts integer ten-thousandths back to major units. */
export function fromMinor(minor: number): number {
  return minor / SCALE;
}

const DISCOUNT_SCALE = 1_000_000n;

/**
 * True when `price` is at least `list × (1 − maxDiscount)`, computed exactly in integers
 * (the discount to six decimals), so a price equal to the allowed one is allowed.
 */
export function allowedByDiscount(priceMinor: number, listMinor: number, maxDiscount: number): boolean {
  const keep = DISCOUNT_SCALE - BigInt(Math.round(maxDiscount * 1_000_000));
  return BigInt(priceMinor) * DISCOUNT_SCALE >= BigInt(listMinor) * keep;
}

/** `(reference − value) / reference × 100`, from exact integers with a single rounding. */
export function percentBelow(valueMinor: number, referenceMinor: number): number {
  if (referenceMinor === 0) return 0;
  return ((referenceMinor - valueMinor) * 100) / referenceMinor;
}

/** Rounds a number for output so findings stay short and byte-identical across runs. */
export function round(value: number, digits = 2): number {
  const factor = FACTORS[digits] ?? 10 ** digits;
  return Math.round(value * factor) / factor;
}

const FACTORS = [1, 10, 100, 1_000, 10_000];

/** Formats an amount with two decimals and its currency, e.g. `780.00 CNY`. */
export function formatMoney(amount: number, currency: string): string {
  return `${amount.toFixed(2)} ${currency}`;
}
