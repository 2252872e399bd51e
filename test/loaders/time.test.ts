import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatIsoTime, parseIsoTime, spanContains, spansIntersect } from "../../src/core/time.js";

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe("parseIsoTime", () => {
  it.each([
    ["2025-03-01", "2025-03-01T00:00:00.000Z"],
    ["2025-03-01T09:00:00", "2025-03-01T09:00:00.000Z"],
    ["2025-03-01T09:00", "2025-03-01T09:00:00.000Z"],
    ["2025-03-01T09:00:00.5", "2025-03-01T09:00:00.500Z"],
    ["2025-03-01T09:00:00.123456789Z", "2025-03-01T09:00:00.123Z"],
    ["2025-03-01T09:00:00Z", "2025-03-01T09:00:00.000Z"],
    ["2025-03-01T09:00:00+08:00", "2025-03-01T01:00:00.000Z"],
    ["2025-03-01T09:00:00+0800", "2025-03-01T01:00:00.000Z"],
    ["2025-03-01T09:00:00+08", "2025-03-01T01:00:00.000Z"],
    ["2025-03-01T09:00:00-05:30", "2025-03-01T14:30:00.000Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
    ["2025-03-01T24:00:00", "2025-03-02T00:00:00.000Z"],
  ])("reads %s as %s", (text, expected) => {
    expect(iso(parseIsoTime(text))).toBe(expected);
  });

  it.each([
    "2025-02-30",
    "2025-02-29",
    "2025-13-01",
    "2025-03-01T25:00:00",
    "2025-03-01T09:60:00",
    "2025-03-31T23:59:60Z",
    "2025-03-01 09:00:00",
    "20250301",
    "2025-3-1",
    "+2025-03-01",
    "2025-03-01T09:00:00z",
    "2025-03-01T09:00:00 Z",
    "March 1, 2025",
    "1740787200000",
    " 2025-03-01",
    "",
  ])("refuses %j", (text) => {
    expect(parseIsoTime(text)).toBeUndefined();
  });

  it("formats epoch milliseconds back as ISO UTC", () => {
    expect(formatIsoTime(Date.UTC(2025, 2, 1, 9))).toBe("2025-03-01T09:00:00.000Z");
  });

  it("reads times the same in any machine time zone: a date alone is the day's start in UTC, no offset means UTC", () => {
    const script = fileURLToPath(new URL("./scripts/parseTimesInChild.ts", import.meta.url));
    const inputs = ["2025-03-01", "2025-03-01T09:00:00", "2025-03-09T02:30:00", "2025-03-01T09:00:00+08:00"];
    const expected = ["2025-03-01T00:00:00.000Z", "2025-03-01T09:00:00.000Z", "2025-03-09T02:30:00.000Z", "2025-03-01T01:00:00.000Z"].map(
      Date.parse,
    );
    for (const [zone, offset] of [
      ["Asia/Shanghai", -480],
      // 2025-03-09T02:30 does not exist as local time in New York (the clocks jump): it must still be read as UTC.
      ["America/New_York", 300],
      ["UTC", 0],
    ] as const) {
      const out = execFileSync(process.execPath, ["--import", "tsx", script, ...inputs], {
        env: { ...process.env, TZ: zone },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
      expect(JSON.parse(out), zone).toEqual({ timezoneOffsetMinutes: offset, parsed: expected, loaded: expected });
    }
  });
});

describe("spans", () => {
  const from = Date.UTC(2025, 2, 1);
  const to = Date.UTC(2025, 3, 1);

  it("include their start and exclude their end; an absent end is open", () => {
    expect(spanContains({ from, to }, from)).toBe(true);
    expect(spanContains({ from, to }, to - 1)).toBe(true);
    expect(spanContains({ from, to }, to)).toBe(false);
    expect(spanContains({ from, to }, from - 1)).toBe(false);
    expect(spanContains({ from }, Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(spanContains({ to }, -Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(spanContains({}, 0)).toBe(true);
  });

  it("intersect only when they share an instant: touching spans do not", () => {
    expect(spansIntersect({ from, to }, { from: to, to: to + 1 })).toBe(false);
    expect(spansIntersect({ from, to }, { from: to - 1 })).toBe(true);
    expect(spansIntersect({ to: from }, { from })).toBe(false);
    expect(spansIntersect({}, { from, to })).toBe(true);
    expect(spansIntersect({ from, to: from }, { from: from - 1, to: to })).toBe(false);
  });
});
