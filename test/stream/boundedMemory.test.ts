import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("scanStream memory", () => {
  it("does not grow with the length of the stream", () => {
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", "test/stream/longStream.mts", "400000"], { encoding: "utf8" });
    const { heap, findings, events } = JSON.parse(out.trim().split("\n").pop() as string) as { heap: number[]; findings: number; events: number };
    expect(events).toBe(400_000);
    expect(findings).toBeGreaterThan(0);
    const [quarter, end] = heap as [number, number];
    // Four times the events, and the heap after GC (typed arrays included) stays within a few MB: state
    // is windows, not history — and the lots, 15,000 more of them here at a few dozen bytes each.
    expect(end - quarter).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);
});
