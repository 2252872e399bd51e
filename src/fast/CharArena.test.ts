import { describe, expect, it } from "vitest";
import { CharArena } from "./CharArena.js";

describe("CharArena", () => {
  it("gives back narrow and wide keys, longer than String.fromCharCode takes at once", () => {
    const arena = new CharArena(() => new Error("full"));
    // One byte per unit below 256, two above (a key is wide as soon as one unit is).
    const long = "\u00e9x".repeat(40_000);
    const wide = "x".repeat(9_000) + "\ud83d\ude00\u0100".repeat(5_000);
    const at = arena.append(long);
    const wideAt = arena.append(wide);
    expect(arena.read(arena.append("e"))).toBe("e");
    expect(arena.read(at)).toBe(long);
    expect(arena.read(wideAt)).toBe(wide);
    expect(arena.equals(wideAt, wide)).toBe(true);
    expect(arena.equals(at, long.slice(0, -1) + "\u0178")).toBe(false);
  });
});
