import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { spanContains, type Span } from "../core/time.js";
import { EpochCache, SpanEpochs } from "./spanEpochs.js";

const span: fc.Arbitrary<Span> = fc.record({ from: fc.option(fc.integer({ min: -50, max: 50 }), { nil: undefined }), to: fc.option(fc.integer({ min: -50, max: 50 }), { nil: undefined }) });

describe("SpanEpochs", () => {
  it("gives two instants the same epoch only when the same spans hold at both", () => {
    fc.assert(
      fc.property(fc.array(span, { maxLength: 8 }), fc.integer({ min: -60, max: 60 }), fc.integer({ min: -60, max: 60 }), (spans, a, b) => {
        const epochs = new SpanEpochs(spans);
        const holding = (t: number) => spans.map((s) => spanContains(s, t)).join();
        if (epochs.of(a) === epochs.of(b)) expect(holding(a)).toBe(holding(b));
        // Epochs never decrease with time.
        if (a <= b) expect(epochs.of(a)).toBeLessThanOrEqual(epochs.of(b));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("EpochCache", () => {
  it("computes again in a new epoch and after its limit, and reuses within one", () => {
    let computed = 0;
    const cache = new EpochCache<number>(new SpanEpochs([{ from: 10 }]), () => ++computed, 2);
    const get = (t: number, key: string) => cache.get(t, key, "", "");
    expect(get(0, "a")).toBe(1);
    expect(get(5, "a")).toBe(1);
    expect(get(10, "a")).toBe(2);
    expect(get(11, "b")).toBe(3);
    // Full: the next new key starts the cache over.
    expect(get(12, "c")).toBe(4);
    expect(get(12, "a")).toBe(5);
    // Back in an earlier epoch (out of time order): computed again, not served from the later one.
    expect(get(3, "a")).toBe(6);
  });
});
