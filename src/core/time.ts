import { addDays } from "date-fns/addDays";
import { isExists } from "date-fns/isExists";
import { isValid } from "date-fns/isValid";
import { parseISO } from "date-fns/parseISO";
import { utc, UTCDate } from "@date-fns/utc";
import type { TimeZone } from "./zonedTime.js";

/** ISO 8601 extended date or date-time; a bare date or a time without offset is a wall time (UTC by default). */
const ISO_PATTERN =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?)?$/;

/** The common shapes: `2025-03-01`, `2025-03-01T09:30[:00[.000]][Z|+08:00]`. */
const COMMON_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:\d{2})?)?$/;

/** The reference parse: date-fns `parseISO` in UTC. */
export function parseIsoTimeWithDateFns(text: string): number | undefined {
  if (!ISO_PATTERN.test(text)) return undefined;
  const date = parseISO(text, { in: utc });
  if (!isValid(date)) return undefined;
  return date.getTime();
}

/**
 * Parses a strict ISO 8601 string to epoch milliseconds, or returns undefined.
 * `2025-02-30` is invalid (not March 2nd). A time with an offset or `Z` is that instant; a bare date or
 * a time without offset is a wall time in `zone` (UTC when absent), whatever the machine's time zone:
 * `2025-03-01T09:00` in Asia/Shanghai is 01:00Z. A wall time the zone skips or repeats (DST) is read as
 * `zone.instantOf` reads it.
 *
 * The common shapes take a fast path — date-fns `isExists` validates the calendar date, then the
 * engine's own ISO parser reads it — and every other shape goes to date-fns `parseISO`. A property
 * test holds both paths to `parseIsoTimeWithDateFns` on generated strings, and the zoned reading to
 * date-fns `parseISO(text, { in: tz(zone) })`.
 */
export function parseIsoTime(text: string, zone?: TimeZone): number | undefined {
  const ms = parseIsoTimeInUtc(text);
  if (zone === undefined || zone.isUtc || ms === undefined || HAS_OFFSET.test(text)) return ms;
  return zone.instantOf(ms);
}

/** An ISO string (one that matched ISO_PATTERN) ending in an offset or `Z`: those come after the `T`. */
const HAS_OFFSET = /T.*[Z+-]/;

/** `parseIsoTime` in UTC: the instant, or for text without offset its wall time. */
function parseIsoTimeInUtc(text: string): number | undefined {
  const match = COMMON_PATTERN.exec(text);
  // Years before 100 take the slow path: isExists reads two-digit years as 19xx.
  const offset = match?.[5];
  if (
    match === null ||
    (match[1] as string) < "0100" ||
    // date-fns accepts offset hours past 23, the engine's parser does not: leave those to date-fns.
    (offset !== undefined && offset !== "Z" && (offset.slice(1, 3) > "23" || offset.slice(4, 6) > "59"))
  ) {
    return parseIsoTimeWithDateFns(text);
  }
  if (!isExists(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) return undefined;
  // A date alone is UTC for Date.parse already; a date-time without offset needs its `Z`.
  const ms = Date.parse(match[4] !== undefined && match[5] === undefined ? `${text}Z` : text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Formats epoch milliseconds as an ISO 8601 UTC string. */
export function formatIsoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** A half-open time span [from, to); undefined ends are open. */
export interface Span {
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

/** True when `t` lies in the half-open span [from, to). */
export function spanContains(span: Span, t: number): boolean {
  return (span.from === undefined || span.from <= t) && (span.to === undefined || t < span.to);
}

/** True when two half-open spans share at least one instant. */
export function spansIntersect(a: Span, b: Span): boolean {
  const startA = a.from ?? -Infinity;
  const startB = b.from ?? -Infinity;
  const endA = a.to ?? Infinity;
  const endB = b.to ?? Infinity;
  return Math.max(startA, startB) < Math.min(endA, endB);
}

/**
 * The length of `days` UTC days in milliseconds, computed once with date-fns: UTC has no daylight
 * saving, so a window of n days is always this long and each event then costs one subtraction.
 */
export function utcDaysInMs(days: number): number {
  const origin = new UTCDate(0);
  return addDays(origin, days).getTime() - origin.getTime();
}

const DAY_MS = utcDaysInMs(1);

/** The UTC calendar day an instant falls on, as a day number: differences are calendar-day counts. */
export function utcDayIndex(ms: number): number {
  return Math.floor(ms / DAY_MS);
}
