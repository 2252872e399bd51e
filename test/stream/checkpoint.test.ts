import { describe, expect, it } from "vitest";
import { CheckpointError } from "../../src/index.js";
import { decodeCheckpoint, encodeCheckpoint } from "../../src/scan/checkpoint.js";
import { parseDuration, ReorderBuffer } from "../../src/scan/allowedLateness.js";
import { PriceWindow } from "../../src/fast/PriceWindow.js";
import { LatestByKey } from "../../src/fast/LatestByKey.js";
import { RecentIds } from "../../src/fast/RecentIds.js";
import type { ChannelEvent } from "../../src/schema/dataset.js";

describe("the checkpoint codec", () => {
  it("gives back JSON values and typed arrays at any depth, at any byte offset of the bytes handed in", () => {
    const state = {
      a: [1, "two", null, true, { deep: new Float64Array([0.1, -2.5e300, 3]) }],
      ints: new Int32Array([1, -2, 2 ** 31 - 1]),
      bytes: new Uint8Array([255, 0, 7]),
      empty: new Float64Array(0),
      text: "汉字 and \u0000 inside",
    };
    const bytes = encodeCheckpoint(state);
    expect(decodeCheckpoint(bytes)).toEqual(state);
    // Bytes read from a file or a database often sit at an odd offset of a larger buffer.
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeCheckpoint(shifted.subarray(3))).toEqual(state);
  });

  it("keeps large numeric arrays as their bytes, not their digits", () => {
    const at = Float64Array.from({ length: 100_000 }, (_, i) => 1_735_689_600_000 + i * 61_234.5);
    const bytes = encodeCheckpoint({ at });
    expect(bytes.length).toBeLessThan(at.byteLength + 200);
  });

  it("refuses what is no checkpoint, a truncated one, and another version", () => {
    expect(() => decodeCheckpoint(new Uint8Array([1, 2, 3]))).toThrow(CheckpointError);
    const bytes = encodeCheckpoint({ x: new Float64Array(10) });
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8))).toThrow(/checkpoint: unreadable: a Float64Array of 10 ends past/);
    const other = bytes.slice();
    new DataView(other.buffer).setUint32(4, 2, true);
    expect(() => decodeCheckpoint(other)).toThrow(expect.objectContaining({ code: "CHECKPOINT_VERSION" }));
  });
});

describe("toState / fromState of the stateful structures", () => {
  it("PriceWindow: the same entries, medians and order after a round trip through the codec", () => {
    const window = new PriceWindow();
    for (let i = 0; i < 5000; i++) window.add(i * 1000, (i * 7919) % 1000, i % 3 === 0, i % 11);
    window.expire(1_200_000);
    const restored = PriceWindow.fromState(decodeCheckpoint(encodeCheckpoint(window.toState())) as ReturnType<PriceWindow["toState"]>);
    const entries = (w: PriceWindow) => {
      const out: [number, number, boolean][] = [];
      w.forEach((tag, price, side) => out.push([tag, price, side]));
      return out;
    };
    expect(entries(restored)).toEqual(entries(window));
    expect(entries(restored)).toHaveLength(5000 - 1201);
    expect(restored.truePrices.median()).toBe(window.truePrices.median());
    expect(restored.falsePrices.median()).toBe(window.falsePrices.median());
  });

  it("LatestByKey: every key's latest owner and id, in the same slots", () => {
    const lots = new LatestByKey("lots");
    for (let i = 0; i < 3000; i++) lots.set(`L${i % 1000}`, `P${i % 7}`, `a-${i}${"x".repeat(i % 5)}`);
    const restored = new LatestByKey("lots");
    restored.fromState(decodeCheckpoint(encodeCheckpoint(lots.toState())) as ReturnType<LatestByKey["toState"]>);
    for (let i = 0; i < 1000; i++) {
      const slot = lots.find(`L${i}`);
      expect(restored.find(`L${i}`)).toBe(slot);
      expect([restored.ownerAt(slot), restored.idAt(slot)]).toEqual([lots.ownerAt(slot), lots.idAt(slot)]);
    }
    expect(restored.find("L1000")).toBe(-1);
    // It goes on as the original: a new key takes the next slot, a replaced id is the latest.
    restored.set("L-new", "P-new", "a-new");
    lots.set("L-new", "P-new", "a-new");
    expect(restored.find("L-new")).toBe(lots.find("L-new"));
    restored.set("L3", "P9", "a-longer-than-before");
    expect([restored.ownerAt(restored.find("L3")), restored.idAt(restored.find("L3"))]).toEqual(["P9", "a-longer-than-before"]);
  });

  it("RecentIds: the same ids in the window, and the same expiry", () => {
    const ids = new RecentIds();
    for (let i = 0; i < 2000; i++) ids.add(`e${i}`, i);
    ids.expire(500);
    const restored = RecentIds.fromState(decodeCheckpoint(encodeCheckpoint(ids.toState())) as ReturnType<RecentIds["toState"]>);
    expect(restored.add("e499", 2000)).toBe(true); // expired in both
    expect(ids.add("e499", 2000)).toBe(true);
    expect(restored.add("e500", 2000)).toBe(false);
    restored.expire(1000);
    expect(restored.add("e999", 2001)).toBe(true);
    expect(restored.add("e1000", 2001)).toBe(false);
  });

  it("ReorderBuffer: releases in time order only what nothing still to come can precede", () => {
    const buffer = new ReorderBuffer((a, b) => a.occurredAt - b.occurredAt || (a.id < b.id ? -1 : 1));
    const event = (id: string, occurredAt: number) => ({ id, occurredAt }) as ChannelEvent;
    for (const [id, at] of [["c", 30], ["a", 10], ["b", 20], ["b2", 20], ["d", 40]] as const) buffer.add(event(id, at));
    const out: ChannelEvent[] = [];
    buffer.release(20, out);
    expect(out.map((e) => e.id)).toEqual(["a"]);
    const restored = new ReorderBuffer((a, b) => a.occurredAt - b.occurredAt || (a.id < b.id ? -1 : 1));
    restored.fromState(JSON.parse(JSON.stringify(buffer.toState())));
    restored.add(event("b1", 20));
    restored.drain(out);
    expect(out.map((e) => e.id)).toEqual(["a", "b", "b1", "b2", "c", "d"]);
  });

  it("parseDuration reads the documented grammar", () => {
    expect(parseDuration("2h", "x")).toBe(7_200_000);
    expect(parseDuration("1h30m", "x")).toBe(5_400_000);
    expect(parseDuration("1.5d", "x")).toBe(129_600_000);
    expect(parseDuration("250ms", "x")).toBe(250);
    expect(parseDuration("90s", "x")).toBe(90_000);
    expect(parseDuration(0, "x")).toBe(0);
    expect(parseDuration("0", "x")).toBe(0);
    for (const bad of ["2 h", "h", "-1h", "2w", "", -5, Number.NaN]) expect(() => parseDuration(bad, "x"), String(bad)).toThrow(/options\.x: expected/);
  });
});
