import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { parseISO } from "date-fns/parseISO";
import { tz, TZDate } from "@date-fns/tz";
import { describe, expect, it } from "vitest";
import { parseIsoTime, parseIsoTimeWithDateFns } from "../../src/core/time.js";
import { timeZoneOf, UTC_ZONE } from "../../src/core/zonedTime.js";

import { isoLike } from "./isoLike.js";
import { MACHINE_IS_UTC, rerunUnderUtc } from "./utcMachine.js";

describe("parseIsoTime", () => {
  it("agrees with date-fns parseISO (UTC) on generated ISO-like strings", () => {
    fc.assert(
      fc.property(isoLike, (text) => {
        expect(parseIsoTime(text)).toBe(parseIsoTimeWithDateFns(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it("agrees on arbitrary strings too", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(parseIsoTime(text)).toBe(parseIsoTimeWithDateFns(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it("reads the documented cases", () => {
    expect(parseIsoTime("2025-03-01")).toBe(Date.UTC(2025, 2, 1));
    expect(parseIsoTime("2025-03-01T09:00:00")).toBe(Date.UTC(2025, 2, 1, 9));
    expect(parseIsoTime("2025-03-01T09:00:00+08:00")).toBe(Date.UTC(2025, 2, 1, 1));
    expect(parseIsoTime("2025-02-30")).toBeUndefined();
    expect(parseIsoTime("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
    expect(parseIsoTime("2025-03-01 09:00")).toBeUndefined();
  });
});

const ZONES = ["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Sao_Paulo", "UTC"].map(timeZoneOf);
const HAS_OFFSET = /T.*[Z+-]/;

/**
 * @date-fns/tz answers for wall times in DST gaps and overlaps depend on the machine's zone (it corrects a
 * local-time Date by the machine's offset); parseIsoTime follows what it gives on a UTC machine. The
 * comparisons run there: here when this machine is in UTC, else in a re-run of this file under TZ=UTC.
 */

describe("parseIsoTime in a time zone", () => {
  const zoned = fc.tuple(isoLike, fc.constantFrom(...ZONES));

  it("reads a time with an offset or Z as that instant, and in UTC as without a zone", () => {
    fc.assert(
      fc.property(zoned, ([text, zone]) => {
        if (HAS_OFFSET.test(text)) expect(parseIsoTime(text, zone)).toBe(parseIsoTime(text));
        expect(parseIsoTime(text, UTC_ZONE)).toBe(parseIsoTime(text));
        // Valid or not does not depend on the zone.
        expect(parseIsoTime(text, zone) === undefined).toBe(parseIsoTime(text) === undefined);
      }),
      { numRuns: 10_000 },
    );
  });

  describe.runIf(MACHINE_IS_UTC)("held to @date-fns/tz (on this UTC machine)", () => {
    // date-fns parseISO with `in: tz(zone)` does read a time without offset as a wall time in the zone (it
    // sets the fields one by one on a TZDate). Before 1920 these zones kept local mean time, offsets with
    // seconds (Shanghai +08:05:43), and those setters lose the seconds: its instant shows a wall time up to
    // 43 s off the text's. From 1920 on it is the reference; for every year it is TZDate built from the
    // fields (the constructor keeps the seconds), which parseIsoTime follows through zone.instantOf.
    it("agrees with date-fns parseISO(text, { in: tz(zone) }) from 1920 on", () => {
      fc.assert(
        fc.property(zoned, ([text, zone]) => {
          fc.pre(text.slice(0, 4) >= "1920");
          const expected = HAS_OFFSET.test(text) ? parseIsoTimeWithDateFns(text) : parseIsoTimeWithDateFns(text) === undefined ? undefined : parseISO(text, { in: tz(zone.name) }).getTime();
          expect(parseIsoTime(text, zone)).toBe(expected);
        }),
        { numRuns: 20_000 },
      );
    });

    it("agrees with new TZDate(fields, zone) in every year from 100 (the constructor reads 0–99 as 19xx)", () => {
      fc.assert(
        fc.property(zoned, ([text, zone]) => {
          fc.pre(text.slice(0, 4) >= "0100");
          const wall = parseIsoTimeWithDateFns(text);
          let expected = wall;
          if (wall !== undefined && !HAS_OFFSET.test(text)) {
            const d = new Date(wall);
            expected = new TZDate(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds(), zone.name).getTime();
          }
          expect(parseIsoTime(text, zone)).toBe(expected);
        }),
        { numRuns: 20_000 },
      );
    });
  });

  rerunUnderUtc(import.meta.url, "@date-fns/tz");

  it("reads the documented cases", () => {
    const shanghai = timeZoneOf("Asia/Shanghai");
    const newYork = timeZoneOf("America/New_York");
    expect(parseIsoTime("2025-03-01T09:00", shanghai)).toBe(Date.UTC(2025, 2, 1, 1));
    expect(parseIsoTime("2025-03-01", shanghai)).toBe(Date.UTC(2025, 1, 28, 16));
    expect(parseIsoTime("2025-03-01T09:00:00Z", shanghai)).toBe(Date.UTC(2025, 2, 1, 9));
    expect(parseIsoTime("2025-03-01T09:00:00-05:00", shanghai)).toBe(Date.UTC(2025, 2, 1, 14));
    expect(parseIsoTime("2025-02-30", shanghai)).toBeUndefined();
    // New York's skipped hour: 02:30 is read as 03:30 EDT; the repeated one: 01:30 as the first, EDT.
    expect(parseIsoTime("2025-03-09T02:30:00", newYork)).toBe(Date.UTC(2025, 2, 9, 7, 30));
    expect(parseIsoTime("2025-11-02T01:30:00", newYork)).toBe(Date.UTC(2025, 10, 2, 5, 30));
    // 24:00 is the next day's midnight, there too.
    expect(parseIsoTime("2025-03-01T24:00:00", shanghai)).toBe(Date.UTC(2025, 2, 1, 16));
  });

  it("reads the same whatever the machine's time zone (child processes with TZ set)", () => {
    const texts = ["2025-03-09T02:30:00", "2025-11-02T01:30:00", "2025-03-09", "2025-11-02T01:59:59.999", "1986-01-01T00:05", "2025-10-05T02:15", "2025-10-26T01:30"];
    const run = (machine: string): string =>
      execFileSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "--input-type=module",
          "-e",
          `import { parseIsoTime } from "./src/core/time.ts";
           import { timeZoneOf } from "./src/core/zonedTime.ts";
           const zones = ${JSON.stringify(ZONES.map((zone) => zone.name))}.map(timeZoneOf);
           const texts = ${JSON.stringify(texts)};
           process.stdout.write(JSON.stringify(zones.flatMap((zone) => texts.map((text) => parseIsoTime(text, zone) ?? null))));`,
        ],
        { env: { ...process.env, TZ: machine }, encoding: "utf8" },
      );
    const here = run("UTC");
    for (const machine of ["America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Asia/Kathmandu"]) expect(run(machine), machine).toBe(here);
  });
});
