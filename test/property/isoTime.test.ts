import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIsoTime, parseIsoTimeWithDateFns } from "../../src/core/time.js";

import { isoLike } from "./isoLike.js";

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
