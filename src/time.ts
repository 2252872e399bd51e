import { addDays, parseISO, isValid } from "date-fns";
import { utc, UTCDate } from "@date-fns/utc";

/** ISO 8601 extended date or date-time; a bare date or a time without offset is read as UTC. */
const ISO_PATTERN =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Parses a strict ISO 8601 string to epoch milliseconds, or returns undefined.
 * `2025-02-30` is invalid (not March 2nd); no offset means UTC, whatever the machine's time zone.
 */
export function parseIsoTime(text: string): number | undefined {
  if (!ISO_PATTERN.test(text)) return undefined;
  const date = parseISO(text, { in: utc });
  if (!isValid(date)) return undefined;
  return date.getTime();
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
