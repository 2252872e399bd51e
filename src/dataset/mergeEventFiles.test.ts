import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MessageChannel } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { EventPacker } from "../fast/eventCodec.js";
import type { CollectionFile } from "../io/sources.js";
import type { ChannelEvent } from "../schema/dataset.js";
import type { EventWorkerData, PackedBatch } from "./eventWorker.js";
import { mergeEventFiles, shareSort, type SortedMessage } from "./mergeEventFiles.js";

const folder = mkdtempSync(join(tmpdir(), "cc-merge-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function fileOf(name: string, bytes: number): CollectionFile {
  const path = join(folder, name);
  writeFileSync(path, "x".repeat(bytes));
  return { collection: "events", name, path, format: "ndjson" };
}

const order = (id: string, at: number): ChannelEvent =>
  ({ type: "order", id, occurredAt: at, partnerId: "P-1", sku: "S-1", quantity: 1, unitPrice: 10, currency: "CNY", customerId: "C-1" }) as ChannelEvent;

describe("shareSort", () => {
  it("shares files to sort from the threshold on, the biggest first to the lighter side, each side in file order", () => {
    const files = [fileOf("a", 10), fileOf("b", 50), fileOf("c", 30), fileOf("d", 25)];
    // b (50) here, c (30) and d (25) to the helper, a (10) here: 60 against 55.
    expect(shareSort([0, 1, 2, 3], files, 100)).toEqual({ local: [0, 1], helped: [2, 3] });
    expect(shareSort([0, 1, 2, 3], files, 1000)).toEqual({ local: [0, 1, 2, 3], helped: [] });
    expect(shareSort([1], files, 0)).toEqual({ local: [1], helped: [] });
    expect(shareSort([0, 1, 2, 3], files, undefined)).toEqual({ local: [0, 1, 2, 3], helped: [] });
  });
});

describe("mergeEventFiles with a sort helper", () => {
  const run = async (answer: () => Promise<SortedMessage>) => {
    const files = [fileOf("one.ndjson", 100), fileOf("two.ndjson", 100)];
    const packer = new EventPacker();
    // Each file's events go back in time in their first chunk: both are sorted, one of them by the helper.
    async function* batchesOf(file: CollectionFile): AsyncGenerator<PackedBatch> {
      const packed = packer.pack([order(`${file.name}-1`, 2_000), order(`${file.name}-2`, 1_000)]);
      yield { packed, positions: [1, 2], at: "line", rejected: [], read: 2 };
    }
    const { port1, port2 } = new MessageChannel();
    const posted: Array<{ type: string }> = [];
    port2.on("message", (message: { type: string }) => {
      posted.push(message);
      if (message.type === "batch") port2.postMessage({ type: "ack" });
    });
    const data = { files, limits: { maxRecordBytes: 1 << 20, maxJsonFileBytes: 1 << 20 }, readAhead: 4, window: 4, timeZone: "UTC" } satisfies EventWorkerData;
    const asked: number[][] = [];
    try {
      await mergeEventFiles(port1, data, { sortFolder: folder, budgetBytes: 1 << 20, sortFiles: [], helperFromBytes: 0 }, packer, batchesOf, (settings) => {
        asked.push([...settings.fileIndexes]);
        return answer();
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      port1.close();
      port2.close();
    }
    return { asked, posted };
  };

  it("throws the helper's error, as the reader's own errors are thrown", async () => {
    const failure = Object.assign(new Error("two.ndjson: the file is not valid UTF-16"), { name: "DatasetError", file: "two.ndjson" });
    await expect(run(() => Promise.reject(failure))).rejects.toBe(failure);
  });

  it("merges what the helper sorted with its own runs: here nothing, so this thread's file alone", async () => {
    const { asked, posted } = await run(() => Promise.resolve({ type: "sorted", runs: [], table: [], rejected: [], read: 2 }));
    expect(asked).toEqual([[1]]);
    expect(posted.map((message) => message.type)).toEqual(["batch", "done"]);
    const batch = posted[0] as unknown as { packed: { count: number }; read: number };
    expect(batch.packed.count).toBe(2);
    expect(batch.read).toBe(4);
  });
});
