import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { format } from "date-fns/format";
import { TZDate, tzScan } from "@date-fns/tz";
import { describe, expect, it } from "vitest";
import { utcDayIndex } from "./time.js";
import { instantOfWallTime, isTimeZone, timeZoneNames, timeZoneOf, UTC_ZONE, wallTimeAt, type TimeZone } from "./zonedTime.js";
import { MACHINE_IS_UTC, rerunUnderUtc } from "../../test/property/utcMachine.js";

const ZONES = ["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Sao_Paulo", "UTC"] as const;
const FROM = Date.UTC(1970, 0, 1);
const TO = Date.UTC(2100, 0, 1);
const HOUR = 3_600_000;

/** Each zone's offset changes 1970–2100 (tzScan finds them to the hour; the ±3 h around covers the minute). */
const TRANSITIONS: Record<string, readonly number[]> = Object.fromEntries(
  ZONES.map((zone) => [zone, zone === "UTC" ? [] : tzScan(zone, { start: new Date(FROM), end: new Date(TO) }).map((change) => change.date.getTime())]),
);

/**
 * A time 1970–2100, half of them within 3 hours of one of the zone's transitions: `at(t, delta)` places
 * it from a transition instant `t` (for wall times: from the wall time just after it, so the 3 hours
 * around take in the skipped or repeated span).
 */
function timeNear(zone: string, at: (t: number, delta: number) => number): fc.Arbitrary<number> {
  const transitions = TRANSITIONS[zone] ?? [];
  const anywhere = fc.integer({ min: FROM, max: TO - 1 });
  if (transitions.length === 0) return anywhere;
  const near = fc
    .tuple(fc.integer({ min: 0, max: transitions.length - 1 }), fc.integer({ min: -3 * HOUR, max: 3 * HOUR }))
    .map(([i, delta]) => at(transitions[i] as number, delta));
  return fc.oneof(anywhere, near);
}

/** A zone and a wall time (as UTC ms) 1970–2100, half of them around the zone's transitions (gaps and overlaps). */
const zonedWallTime = fc.constantFrom(...ZONES).chain((zone) => timeNear(zone, (t, delta) => wallTimeAt(zone, t) + delta).map((wall) => ({ zone, wall })));

/** A zone and an instant 1970–2100, half of them around the zone's transitions. */
const zonedInstant = fc.constantFrom(...ZONES).chain((zone) => timeNear(zone, (t, delta) => t + delta).map((ms) => ({ zone, ms })));

/** The reference: @date-fns/tz built from the wall-clock fields. */
function tzDateOf(zone: string, wall: number): number {
  const d = new Date(wall);
  return new TZDate(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds(), zone).getTime();
}

/**
 * TZDate builds a wall time from a local-time Date and corrects it by the machine's offset, so in DST gaps
 * and overlaps its answer depends on the machine's zone. instantOf follows what it gives on a UTC machine:
 * the comparisons with it run there, in a child process when this machine is elsewhere.
 */

describe("time zone names", () => {
  it("takes UTC and the IANA names Intl knows, and refuses the rest", () => {
    for (const name of ["UTC", "Asia/Shanghai", "America/New_York", "Etc/UTC", "Asia/Calcutta"]) expect(isTimeZone(name), name).toBe(true);
    // Offsets: newer engines take them as zone names, Node 20 does not; refused everywhere.
    for (const name of ["", "Mars/Olympus", "+08:00", "-05:00", "GMT+8 ", "Asia/Shangai"]) expect(isTimeZone(name), name).toBe(false);
  });

  it("lists the zone names with UTC, for did-you-mean messages", () => {
    const names = timeZoneNames();
    expect(names).toContain("UTC");
    expect(names).toContain("Asia/Shanghai");
    expect(names.every(isTimeZone)).toBe(true);
  });

  it("makes zones by name; UTC and its aliases are the UTC zone", () => {
    expect(timeZoneOf("UTC")).toBe(UTC_ZONE);
    expect(timeZoneOf("Etc/UTC")).toMatchObject({ name: "Etc/UTC", isUtc: true });
    expect(timeZoneOf("Asia/Shanghai")).toMatchObject({ name: "Asia/Shanghai", isUtc: false });
    expect(() => timeZoneOf("Asia/Shangai")).toThrow(RangeError);
  });
});

describe("UTC", () => {
  it("is the identity, and its days are utcDayIndex's", () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(UTC_ZONE.instantOf(ms)).toBe(ms);
        expect(UTC_ZONE.wallTimeOf(ms)).toBe(ms);
        expect(UTC_ZONE.dayIndex(ms)).toBe(utcDayIndex(ms));
      }),
    );
    expect(UTC_ZONE.dayText(Date.UTC(2025, 2, 1, 23, 59))).toBe("2025-03-01");
  });
});

describe.runIf(MACHINE_IS_UTC)("instantOf, held to TZDate (on this UTC machine)", () => {
  it("equals new TZDate(fields, zone) for wall times 1970–2100, around transitions too", () => {
    // One zone object per name for the whole run: its hour caches fill and are hit as they would be.
    const zones = new Map<string, TimeZone>(ZONES.map((name) => [name, timeZoneOf(name)]));
    fc.assert(
      fc.property(zonedWallTime, ({ zone, wall }) => {
        const expected = tzDateOf(zone, wall);
        expect(zones.get(zone)?.instantOf(wall)).toBe(expected);
        expect(instantOfWallTime(zone, wall)).toBe(expected);
      }),
      { numRuns: 30_000 },
    );
  });

  it("reads New York's skipped and repeated half hours as TZDate does", () => {
    const newYork = timeZoneOf("America/New_York");
    // 2025-03-09 02:30 does not exist (02:00 EST → 03:00 EDT): TZDate moves it forward by the gap, to
    // 03:30 EDT = 07:30Z (read with the offset from before the jump, -05:00).
    const gap = Date.UTC(2025, 2, 9, 2, 30);
    expect(tzDateOf("America/New_York", gap)).toBe(Date.UTC(2025, 2, 9, 7, 30));
    expect(newYork.instantOf(gap)).toBe(Date.UTC(2025, 2, 9, 7, 30));
    // 2025-11-02 01:30 happens twice (EDT, then EST): TZDate takes the first, 01:30 EDT = 05:30Z.
    const overlap = Date.UTC(2025, 10, 2, 1, 30);
    expect(tzDateOf("America/New_York", overlap)).toBe(Date.UTC(2025, 10, 2, 5, 30));
    expect(newYork.instantOf(overlap)).toBe(Date.UTC(2025, 10, 2, 5, 30));
    // East of Greenwich it takes the second: London's 2025-10-26 01:30 is 01:30 GMT, not 01:30 BST.
    expect(timeZoneOf("Europe/London").instantOf(Date.UTC(2025, 9, 26, 1, 30))).toBe(Date.UTC(2025, 9, 26, 1, 30));
    // Lord Howe's clocks move 30 minutes: 2025-10-05 02:15 does not exist (02:00 +10:30 → 02:30 +11:00).
    expect(timeZoneOf("Australia/Lord_Howe").instantOf(Date.UTC(2025, 9, 5, 2, 15))).toBe(tzDateOf("Australia/Lord_Howe", Date.UTC(2025, 9, 5, 2, 15)));
    expect(timeZoneOf("Australia/Lord_Howe").instantOf(Date.UTC(2025, 9, 5, 2, 15))).toBe(Date.UTC(2025, 9, 4, 15, 45));
  });
});

rerunUnderUtc(import.meta.url, "TZDate");

describe("the calendar day of an instant", () => {
  it("is the date date-fns formats for new TZDate(ms, zone), and its day number counts days", () => {
    const zones = new Map<string, TimeZone>(ZONES.map((name) => [name, timeZoneOf(name)]));
    fc.assert(
      fc.property(zonedInstant, ({ zone, ms }) => {
        const text = format(new TZDate(ms, zone), "yyyy-MM-dd");
        const tz = zones.get(zone) as TimeZone;
        expect(tz.dayText(ms)).toBe(text);
        expect(tz.dayIndex(ms)).toBe(utcDayIndex(Date.parse(text)));
        expect(tz.wallTimeOf(ms)).toBe(Date.parse(format(new TZDate(ms, zone), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")));
      }),
      { numRuns: 30_000 },
    );
  });

  it("is the zone's date, not the UTC one", () => {
    const shanghai = timeZoneOf("Asia/Shanghai");
    const ms = Date.UTC(2025, 2, 1, 16); // 2025-03-02 00:00 in Shanghai
    expect(shanghai.dayText(ms)).toBe("2025-03-02");
    expect(shanghai.dayIndex(ms) - shanghai.dayIndex(ms - 1)).toBe(1);
    expect(shanghai.dayIndex(ms) - utcDayIndex(ms)).toBe(1);
  });
});

describe("on any machine", () => {
  it("gives the same instants and days whatever the machine's time zone (child processes with TZ set)", () => {
    const walls = ZONES.filter((zone) => zone !== "UTC").flatMap((zone) =>
      (TRANSITIONS[zone] ?? []).slice(0, 40).flatMap((t) => Array.from({ length: 25 }, (_, i) => [zone, wallTimeAt(zone, t) + (i - 12) * 17 * 60_000] as const)),
    );
    const run = (machine: string | undefined): string =>
      execFileSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "--input-type=module",
          "-e",
          `import { timeZoneOf } from "./src/core/zonedTime.ts";
           import { readFileSync } from "node:fs";
           const zones = new Map();
           const zone = (name) => zones.get(name) ?? zones.set(name, timeZoneOf(name)).get(name);
           const cases = JSON.parse(readFileSync(0, "utf8"));
           process.stdout.write(JSON.stringify(cases.map(([name, wall]) => [zone(name).instantOf(wall), zone(name).dayText(wall), zone(name).dayIndex(wall)])));`,
        ],
        { input: JSON.stringify(walls), env: { ...process.env, TZ: machine }, encoding: "utf8" },
      );
    const here = run("UTC");
    expect(JSON.parse(here)).toHaveLength(walls.length);
    for (const machine of ["America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/London"]) expect(run(machine), machine).toBe(here);
  });
});
