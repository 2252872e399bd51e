import { describe, expect, it } from "vitest";
import { DuplicateIds } from "./DuplicateIds.js";

describe("DuplicateIds", () => {
  it("forgets ids older than its window, and only those", () => {
    const ids = new DuplicateIds(10);
    expect(ids.add("a", 0)).toBe(true);
    expect(ids.add("a", 10)).toBe(false);
    expect(ids.add("b", 11)).toBe(true);
    expect(ids.add("a", 11)).toBe(true);
  });
});
