import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RunReader, RunWriter, type RunBlock } from "./runFile.js";

const folder = mkdtempSync(join(tmpdir(), "cc-runfile-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function blockOf(oneOff: string[]): RunBlock {
  const count = oneOff.length;
  return {
    count,
    ints: Int32Array.from({ length: count * 13 }, (_, i) => i - 7),
    nums: Float64Array.from({ length: count * 3 }, (_, i) => i * 1.5),
    oneOff,
    positions: Int32Array.from({ length: count }, (_, i) => i + 1),
    files: Int32Array.from({ length: count }, (_, i) => i % 3),
  };
}

describe("run files", () => {
  it("give back every block as written: ASCII, Latin-1, Chinese, emoji, lone surrogates, empty strings and blocks", () => {
    const blocks = [
      blockOf(["O-1", "", "LOT-2502Q", "CN-ZJ-HZ"]),
      blockOf(["café", "Zürich 8001", "ÿ"]),
      blockOf(["订单-1", "O-2", "🎧 headphones", "\uD800", "x\uDFFFy"]),
      blockOf([]),
      blockOf(Array.from({ length: 5000 }, (_, i) => `O-${i}`)),
    ];
    const path = join(folder, "run.bin");
    const writer = new RunWriter(path);
    for (const block of blocks) writer.write(block);
    writer.close();
    const reader = new RunReader(path);
    const read: RunBlock[] = [];
    for (let block = reader.next(); block; block = reader.next()) read.push(block);
    expect(read).toEqual(blocks);
    expect(writer.bytes).toBeGreaterThan(0);
  });

  it("refuses a file cut inside a block", async () => {
    const { truncateSync, statSync } = await import("node:fs");
    const path = join(folder, "cut.bin");
    const writer = new RunWriter(path);
    writer.write(blockOf(["O-1", "O-2"]));
    writer.close();
    truncateSync(path, statSync(path).size - 3);
    expect(() => new RunReader(path).next()).toThrow(/ends inside a block/);
  });
});
