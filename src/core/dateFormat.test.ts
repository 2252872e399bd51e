import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { format } from "date-fns/format";
import { parse } from "date-fns/parse";
import { tz, TZDate, tzScan } from "@date-fns/tz";
import { utc } from "@date-fns/utc";
import { describe, expect, it } from "vitest";
import { compileDateFormat, dateFormatProblem } from "./dateFormat.js";
import { instantOfWallTime, timeZoneOf, UTC_ZONE, type TimeZone } from "./zonedTime.js";
import { MACHINE_IS_UTC, rerunUnderUtc } from "../../test/property/utcMachine.js";

const ZONES = ["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Sao_Paulo", "UTC"] as const;
const FROM = Date.UTC(1970, 0, 1);
const TO = Date.UTC(2100, 0, 1);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const REFERENCE = Date.UTC(2000, 0, 1);

/** The formats of the differential tests; `instant`: it has an offset token, so the zone plays no part. */
const FORMATS: readonly { readonly format: string; readonly instant: boolean }[] = [
  { format: "yyyy/MM/dd HH:mm:ss.SSS", instant: false },
  { format: "yyyy-MM-dd HH:mm:ss", instant: false },
  { format: "yyyy/M/d H:mm", instant: false },
  { format: "yyyyMMdd", instant: false },
  { format: "dd.MM.yyyy", instant: false },
  { format: "yyyyMMddHHmmss", instant: false },
  { format: "MM/dd/yyyy hh:mm:ss a", instant: false },
  { format: "d/M/yy h:mm aaa", instant: false },
  { format: "yyyy年M月d日 HH时mm分", instant: false },
  { format: "yyyy-MM-dd'T'HH:mm:ss.S", instant: false },
  { format: "yyyy-MM-dd'T'HH:mm:ssXXX", instant: true },
  { format: "yyyy-MM-dd'T'HH:mm:ss.SSSxx", instant: true },
  { format: "yyyy-MM-dd HH:mm:ss.SSX", instant: true },
  // Not in the fast path: date-fns reads these.
  { format: "EEE, dd MMM yyyy HH:mm:ss", instant: false },
  { format: "do MMMM yyyy, HH:mm", instant: false },
];

/** Each zone's offset changes 1970–2100. */
const TRANSITIONS: Record<string, readonly number[]> = Object.fromEntries(
  ZONES.map((zone) => [zone, zone === "UTC" ? [] : tzScan(zone, { start: new Date(FROM), end: new Date(TO) }).map((change) => change.date.getTime())]),
);

/** An instant 1970–2100, half of them within 3 hours of one of the zone's transitions. */
function instantIn(zone: string): fc.Arbitrary<number> {
  const transitions = TRANSITIONS[zone] ?? [];
  const anywhere = fc.integer({ min: FROM, max: TO - 1 });
  if (transitions.length === 0) return anywhere;
  return fc.oneof(
    anywhere,
    fc.tuple(fc.integer({ min: 0, max: transitions.length - 1 }), fc.integer({ min: -3 * HOUR, max: 3 * HOUR })).map(([i, delta]) => (transitions[i] as number) + delta),
  );
}

/** A zone, a format, an instant and the text date-fns writes for it in the zone. */
const written = fc
  .record({ zone: fc.constantFrom(...ZONES), entry: fc.constantFrom(...FORMATS) })
  .chain(({ zone, entry }) => instantIn(zone).map((ms) => ({ zone, entry, ms, text: format(new TZDate(ms, zone), entry.format) })));

/** Ways a written text goes wrong: a character dropped, added or changed, the end cut, something appended. */
const broken = written.chain((sample) =>
  fc
    .tuple(
      fc.constantFrom("drop", "insert", "replace", "cut", "append"),
      fc.nat({ max: Math.max(0, sample.text.length - 1) }),
      fc.constantFrom("0", "1", "3", "9", "/", "-", " ", ":", ".", "Z", "+", "a", "P", "M", "x", "年", "\t"),
    )
    .map(([how, at, c]) => {
      const t = sample.text;
      const text =
        how === "drop" ? t.slice(0, at) + t.slice(at + 1) : how === "insert" ? t.slice(0, at) + c + t.slice(at) : how === "replace" ? t.slice(0, at) + c + t.slice(at + 1) : how === "cut" ? t.slice(0, at) : t + c;
      return { ...sample, text };
    }),
);

/**
 * The reference: date-fns `parse` of the wall-clock fields (in UTC, from the reference date 2000-01-01),
 * then for a format without offset @date-fns/tz's TZDate built from those fields in the zone. (TZDate's
 * constructor reads years 0–99 as 19xx: a broken text can give one, and those are placed by
 * instantOfWallTime, itself held to TZDate in zonedTime.test.ts.)
 */
function reference(text: string, entry: (typeof FORMATS)[number], zone: string): number | undefined {
  const date = parse(text, entry.format, REFERENCE, { in: utc });
  const wall = date.getTime();
  if (Number.isNaN(wall)) return undefined;
  if (entry.instant) return wall;
  const year = date.getUTCFullYear();
  if (year < 100) return instantOfWallTime(zone, wall);
  return new TZDate(year, date.getUTCMonth(), date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds(), zone).getTime();
}

/** One compiled reader per zone and format for a whole run, so the hour caches fill as they would. */
function readers(): (zone: string, format: string) => (text: string) => number | undefined {
  const zones = new Map<string, TimeZone>(ZONES.map((name) => [name, timeZoneOf(name)]));
  const compiled = new Map<string, (text: string) => number | undefined>();
  return (zone, format) => {
    const key = `${zone} ${format}`;
    let read = compiled.get(key);
    if (read === undefined) compiled.set(key, (read = compileDateFormat(format, zones.get(zone) as TimeZone)));
    return read;
  };
}

/**
 * TZDate's answers in DST gaps and overlaps depend on the machine's zone; compileDateFormat follows what it
 * gives on a UTC machine. The comparisons with it run there: here when this machine is in UTC, else in a
 * re-run of this file under TZ=UTC.
 */

describe("dateFormatProblem", () => {
  it("takes the formats of real exports", () => {
    for (const { format: f } of FORMATS) expect(dateFormatProblem(f), f).toBeUndefined();
    for (const f of ["yyyy-DDD", "P", "PPpp", "MMM d, yyyy h:mm a", "T", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS"]) expect(dateFormatProblem(f), f).toBeUndefined();
  });

  it("refuses the week-numbering year and the day of year, naming the token to use", () => {
    expect(dateFormatProblem("YYYY-MM-dd")).toMatch(/YYYY, the week-numbering year.*use yyyy/);
    expect(dateFormatProblem("YY-MM-dd")).toMatch(/use yy for the calendar year/);
    expect(dateFormatProblem("yyyy-MM-DD")).toMatch(/DD, the day of the year.*use dd for the day of the month/);
    expect(dateFormatProblem("D.M.yyyy")).toMatch(/use d for the day of the month/);
  });

  it("refuses a format without a date, unknown letters, tokens date-fns cannot combine", () => {
    expect(dateFormatProblem("")).toMatch(/empty/);
    expect(dateFormatProblem("HH:mm:ss")).toMatch(/no year, month or day/);
    expect(dateFormatProblem("'2025-01-01' HH:mm")).toMatch(/no year, month or day/);
    expect(dateFormatProblem("yyyy-MM-ddTHH:mm")).toMatch(/unquoted T, the timestamp token.*yyyy-MM-dd'T'HH:mm/);
    expect(dateFormatProblem("yyyy-MM-dd zzz")).toMatch(/letter z, which is not a date-fns parse token.*single quotes/);
    expect(dateFormatProblem("yyyy-MM-dd HH:mm a")).toMatch(/mustn't contain `HH` and `a`/);
    expect(dateFormatProblem("yyyy-MM-dd yyyy")).toMatch(/mustn't contain/);
  });

  it("makes compileDateFormat throw the same message", () => {
    expect(() => compileDateFormat("YYYY-MM-dd", UTC_ZONE)).toThrow(/use yyyy/);
  });
});

describe.runIf(MACHINE_IS_UTC)("compileDateFormat, held to date-fns parse and TZDate (on this UTC machine)", () => {
  it("reads what date-fns format writes, in every zone, around transitions too", () => {
    const read = readers();
    fc.assert(
      fc.property(written, ({ zone, entry, text }) => {
        expect(read(zone, entry.format)(text)).toBe(reference(text, entry, zone));
      }),
      { numRuns: 30_000 },
    );
  });

  it("gives undefined exactly when date-fns gives Invalid Date, on broken texts", () => {
    const read = readers();
    fc.assert(
      fc.property(broken, ({ zone, entry, text }) => {
        expect(read(zone, entry.format)(text)).toBe(reference(text, entry, zone));
      }),
      { numRuns: 30_000 },
    );
  });

  it("agrees on arbitrary and digit-heavy strings", () => {
    const read = readers();
    const texts = fc.oneof(fc.string(), fc.stringMatching(/^[0-9/:. TZ+-]{0,30}$/));
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.constantFrom(...FORMATS), texts, (zone, entry, text) => {
        expect(read(zone, entry.format)(text)).toBe(reference(text, entry, zone));
      }),
      { numRuns: 20_000 },
    );
  });

  it("agrees with date-fns parse(text, format, reference, { in: tz(zone) }) away from transitions", () => {
    // date-fns in tz(zone) sets the year (at Jan 1 00:00), the month (at its 1st), the day (at midnight),
    // then the time, each on a TZDate: when one of those passes lands near a transition it can go wrong
    // (see the Kathmandu case below). Elsewhere it is the meaning compileDateFormat keeps.
    const read = readers();
    // The passes are placed from the text's own fields (`yy` writes 2086 as 86, read back as 1986); a wall
    // time is within a day of its instant.
    const nearTransition = (zone: string, text: string, format: string): boolean => {
      const wall = parse(text, format, REFERENCE, { in: utc });
      const passes = [wall.getTime(), Date.UTC(wall.getUTCFullYear(), 0, 1), Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), 1)];
      return (TRANSITIONS[zone] ?? []).some((t) => passes.some((pass) => Math.abs(t - pass) < 2 * DAY));
    };
    fc.assert(
      fc.property(written, ({ zone, entry, text }) => {
        fc.pre(!nearTransition(zone, text, entry.format));
        const expected = parse(text, entry.format, new TZDate(2000, 0, 1, zone), { in: tz(zone) }).getTime();
        expect(read(zone, entry.format)(text)).toBe(Number.isNaN(expected) ? undefined : expected);
      }),
      { numRuns: 10_000 },
    );
  });
});

rerunUnderUtc(import.meta.url, "date-fns and TZDate");

describe("compileDateFormat", () => {
  const shanghai = timeZoneOf("Asia/Shanghai");
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

  it.each([
    ["yyyy/MM/dd HH:mm:ss.SSS", "2025/03/01 10:00:00.123", "2025-03-01T02:00:00.123Z"],
    ["yyyy-MM-dd HH:mm:ss", "2025-03-01 10:00:00", "2025-03-01T02:00:00.000Z"],
    ["yyyy/M/d H:mm", "2025/3/1 9:05", "2025-03-01T01:05:00.000Z"],
    ["yyyy/M/d H:mm", "2025/12/31 23:59", "2025-12-31T15:59:00.000Z"],
    ["yyyyMMdd", "20250301", "2025-02-28T16:00:00.000Z"],
    ["dd.MM.yyyy", "01.03.2025", "2025-02-28T16:00:00.000Z"],
    ["MM/dd/yyyy hh:mm a", "03/01/2025 12:30 AM", "2025-02-28T16:30:00.000Z"],
    ["MM/dd/yyyy hh:mm a", "03/01/2025 12:30 pm", "2025-03-01T04:30:00.000Z"],
    // date-fns takes `p.m.` too: the fast path hands it over.
    ["MM/dd/yyyy hh:mm a", "03/01/2025 01:30 p.m.", "2025-03-01T05:30:00.000Z"],
    // An offset wins over the zone.
    ["yyyy-MM-dd'T'HH:mm:ssXXX", "2025-03-01T10:00:00-05:00", "2025-03-01T15:00:00.000Z"],
    ["yyyy-MM-dd'T'HH:mm:ssXXX", "2025-03-01T10:00:00Z", "2025-03-01T10:00:00.000Z"],
    // date-fns is lenient: MM reads one digit or two, trailing whitespace is allowed.
    ["yyyy/MM/dd HH:mm:ss.SSS", "2025/3/1 10:00:00.123", "2025-03-01T02:00:00.123Z"],
    ["yyyy-MM-dd", "2025-03-01  ", "2025-02-28T16:00:00.000Z"],
    // A format without a year reads 2000 (the reference date), whatever today is.
    ["MM-dd", "02-29", "2000-02-28T16:00:00.000Z"],
    // yy: 00–49 is 20xx, 50–99 is 19xx.
    ["yy-MM-dd", "49-01-01", "2048-12-31T16:00:00.000Z"],
    ["yy-MM-dd", "50-01-01", "1949-12-31T16:00:00.000Z"],
    ["EEE, dd MMM yyyy HH:mm:ss", "Sat, 01 Mar 2025 10:00:00", "2025-03-01T02:00:00.000Z"],
  ])("%s reads %j as %s in Asia/Shanghai", (f, text, expected) => {
    expect(iso(compileDateFormat(f, shanghai)(text))).toBe(expected);
  });

  it.each([
    ["yyyy/MM/dd HH:mm:ss.SSS", "2025/02/30 10:00:00.000"],
    ["yyyy/MM/dd HH:mm:ss.SSS", "2025/02/29 10:00:00.000"],
    ["yyyy/MM/dd", "2025/13/01"],
    ["yyyy/MM/dd", "2025/00/01"],
    ["yyyy/MM/dd HH:mm", "2025/03/01 24:00"],
    ["yyyy/MM/dd HH:mm", "2025/03/01 10:60"],
    ["yyyy/MM/dd HH:mm:ss", "2025/03/01 10:00"],
    ["yyyy/MM/dd HH:mm:ss", "2025/03/01 10:00:00x"],
    ["yyyy/MM/dd HH:mm:ss", " 2025/03/01 10:00:00"],
    ["yyyy/MM/dd HH:mm:ss", "2025-03-01 10:00:00"],
    ["yyyy/MM/dd", "0000/03/01"],
    ["yyyy/MM/dd", ""],
    ["MM/dd/yyyy hh:mm a", "03/01/2025 13:30 PM"],
    ["MM/dd/yyyy hh:mm a", "03/01/2025 00:30 AM"],
    ["yyyy-MM-dd'T'HH:mm:ssXXX", "2025-03-01T10:00:00+0800"],
  ])("%s refuses %j", (f, text) => {
    expect(compileDateFormat(f, shanghai)(text)).toBeUndefined();
    expect(Number.isNaN(parse(text, f, REFERENCE, { in: utc }).getTime())).toBe(true);
  });

  it("reads in UTC what date-fns parse reads in UTC", () => {
    fc.assert(
      fc.property(written, ({ entry, text }) => {
        const expected = parse(text, entry.format, REFERENCE, { in: utc }).getTime();
        expect(compileDateFormat(entry.format, UTC_ZONE)(text)).toBe(Number.isNaN(expected) ? undefined : expected);
      }),
      { numRuns: 5_000 },
    );
  });

  it("reads Kathmandu's 1986 as TZDate does, where date-fns parse in tz(zone) loses a year", () => {
    // Kathmandu moved from +05:30 to +05:45 at 1986-01-01 00:00: the clocks skipped to 00:15. 00:05 is read
    // as TZDate reads it (in a gap under 30 minutes, with the offset after: 1985-12-31T18:20Z)…
    const kathmandu = timeZoneOf("Asia/Kathmandu");
    const read = compileDateFormat("yyyy-MM-dd HH:mm", kathmandu);
    expect(iso(read("1986-01-01 00:05"))).toBe("1985-12-31T18:20:00.000Z");
    expect(iso(read("1986-03-01 10:00"))).toBe("1986-03-01T04:15:00.000Z");
    // …where date-fns, setting the fields one by one on a TZDate, passes through 1986-01-01 00:00 (the year
    // setter's midnight, in the gap) and lands a year early, for any date of 1986.
    expect(parse("1986-03-01 10:00", "yyyy-MM-dd HH:mm", new TZDate(2000, 0, 1, "Asia/Kathmandu"), { in: tz("Asia/Kathmandu") }).getUTCFullYear()).toBe(1985);
  });

  it("reads the same whatever the machine's time zone (child processes with TZ set)", () => {
    const formats = ["yyyy-MM-dd HH:mm:ss", "d/M/yy h:mm aaa", "EEE, dd MMM yyyy HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssXXX"];
    const instants = ZONES.flatMap((zone) => (TRANSITIONS[zone] ?? [Date.UTC(2025, 2, 9, 7)]).slice(0, 20).flatMap((t) => Array.from({ length: 15 }, (_, i) => [zone, t + (i - 7) * 23 * 60_000] as const)));
    const cases = formats.flatMap((f) => instants.map(([zone, ms]) => [zone, f, format(new TZDate(ms, zone), f)] as const));
    const run = (machine: string): string =>
      execFileSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "--input-type=module",
          "-e",
          `import { compileDateFormat } from "./src/core/dateFormat.ts";
           import { timeZoneOf } from "./src/core/zonedTime.ts";
           import { readFileSync } from "node:fs";
           const readers = new Map();
           const reader = (zone, f) => readers.get(zone + f) ?? readers.set(zone + f, compileDateFormat(f, timeZoneOf(zone))).get(zone + f);
           const cases = JSON.parse(readFileSync(0, "utf8"));
           process.stdout.write(JSON.stringify(cases.map(([zone, f, text]) => reader(zone, f)(text) ?? null)));`,
        ],
        { input: JSON.stringify(cases), env: { ...process.env, TZ: machine }, encoding: "utf8" },
      );
    const here = run("UTC");
    expect(JSON.parse(here)).toHaveLength(cases.length);
    for (const machine of ["America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Asia/Kathmandu"]) expect(run(machine), machine).toBe(here);
  });
});
