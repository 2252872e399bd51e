import { isDate } from "node:util/types";
import { z } from "zod";
import { parseIsoTime } from "../core/time.js";
import { UTC_ZONE, type TimeZone } from "../core/zonedTime.js";

/** A non-empty identifier or code. */
export const idSchema = z.string().trim().min(1, "must be a non-empty string");

/**
 * A time: an ISO 8601 date or date-time or a `Date`, as epoch milliseconds; a bare date or a time without
 * offset is a wall time in `zone`.
 */
// `z.custom` types the input (what a caller may write) while the transform reads any value itself, so a
// string is checked exactly as `z.string()` checked it (same messages) and anything else that is not a
// Date keeps `z.string()`'s "expected string, got …".
export function isoTimeSchemaIn(zone: TimeZone) {
  return z.custom<string | Date>().transform((value: unknown, ctx): number => {
    if (typeof value === "string") {
      const ms = parseIsoTime(value, zone);
      if (ms !== undefined) return ms;
      ctx.issues.push({
        code: "custom",
        input: value,
        params: { reason: "iso_time" },
        message: `must be an ISO 8601 date or date-time such as 2025-03-01 or 2025-03-01T09:30:00Z, got "${value}"`,
      });
      return z.NEVER;
    }
    // isDate reads the internal slot: a Date of another realm counts, an object made from Date.prototype does
    // not (its getTime would throw, and a bad record must be rejected, never thrown).
    if (isDate(value)) {
      const ms = Date.prototype.getTime.call(value);
      if (!Number.isNaN(ms)) return ms;
      ctx.issues.push({ code: "custom", input: value, params: { reason: "invalid_date" }, message: "must be a valid Date, got an invalid Date (its time is NaN)" });
      return z.NEVER;
    }
    ctx.issues.push({ code: "invalid_type", expected: "string", input: value });
    return z.NEVER;
  });
}

/** A time (`isoTimeSchemaIn`) in UTC: the schema of the exported types. */
export const isoTimeSchema = isoTimeSchemaIn(UTC_ZONE);

/** A finite amount of money in major units. */
export const moneySchema = z
  .number()
  .finite("must be a finite number")
  .nonnegative("must be at least 0")
  .max(1e11, "must be at most 100000000000 (1e11)");

/** An ISO 4217 currency code. */
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 code such as CNY or USD");

/** The channels a partner can belong to. */
export const channelSchema = z.enum(["direct", "distributor", "reseller", "retail", "ecommerce", "marketplace"]);
export type Channel = z.infer<typeof channelSchema>;

/** Channels counted as online when comparing online and offline prices. */
export const ONLINE_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(["ecommerce", "marketplace"]);

export const idListSchema = z.array(idSchema);
