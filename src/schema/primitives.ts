import { z } from "zod";
import { parseIsoTime } from "../core/time.js";

/** A non-empty identifier or code. */
export const idSchema = z.string().trim().min(1, "must be a non-empty string");

/** An ISO 8601 date or date-time, parsed to epoch milliseconds (UTC when no offset is given). */
export const isoTimeSchema = z.string().transform((text, ctx) => {
  const ms = parseIsoTime(text);
  if (ms === undefined) {
    ctx.issues.push({
      code: "custom",
      input: text,
      message: `must be an ISO 8601 date or date-time such as 2025-03-01 or 2025-03-01T09:30:00Z, got "${text}"`,
    });
    return z.NEVER;
  }
  return ms;
});

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
