import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { textEncoding, type TextEncoding } from "../io/encoding.js";
import { splitByteLineBatches, type ByteLines } from "../io/lines.js";
import type { CollectionFile } from "../io/sources.js";
import { DEFAULT_READ_LIMITS } from "../io/readRecords.js";
import type { Rejection } from "../core/records.js";
import type { ChannelEvent } from "../schema/dataset.js";
import { validateLines, type LineReader } from "./eventBatches.js";
import { EventReaderThread, eventWorkerPath } from "./readEventsInWorker.js";
import { asEnglish } from "../../test/helpers.js";

// "华南" and "华北" in GB18030 (and GBK).
const 华南 = [0xbb, 0xaa, 0xc4, 0xcf];
const 华北 = [0xbb, 0xaa, 0xb1, 0xb1];

function bytes(...pieces: (string | number[])[]): Buffer {
  return Buffer.concat(pieces.map((piece) => (typeof piece === "string" ? Buffer.from(piece, "utf8") : Buffer.from(piece))));
}

function encoding(label: string): TextEncoding {
  const found = textEncoding(label);
  if (!found) throw new Error(label);
  return found;
}

/** An NDJSON sale line, with `region` (bytes) as its shipTo region. */
function sale(id: string, region: string | number[]): Buffer {
  const head = JSON.stringify({ id, type: "sale", occurredAt: "2025-03-01T10:00:00Z", partnerId: "P1", sku: "S", quantity: 1, unitPrice: 2, currency: "CNY", shipTo: { region: "@" } });
  const [before, after] = head.split("@") as [string, string];
  return bytes(before, region, after, "\n");
}

const GB_FILE = Buffer.concat([sale("E1", [0x44, 0x2d, ...华南]), sale("E2", "plain"), sale("E3", [0x44, 0x2d, ...华北]), bytes("{", [0x81, 0x20], "}\n")]);

async function batchesOf(file: Buffer, enc: TextEncoding): Promise<ByteLines[]> {
  const out: ByteLines[] = [];
  async function* chunks() {
    yield file;
  }
  for await (const lines of splitByteLineBatches(chunks(), 1 << 20, enc)) out.push({ ...lines, bytes: Buffer.from(lines.bytes) });
  return out;
}

describe("validateLines", () => {
  it("never hands the byte reader a line that is not valid in the encoding: it is rejected with the reason", async () => {
    const asked: number[] = [];
    const fast: LineReader = (_bytes, _text, start) => {
      asked.push(start);
      return false;
    };
    const taken: unknown[] = [];
    const take = (value: unknown) => {
      taken.push(value);
      return undefined;
    };
    const [lines] = (await batchesOf(GB_FILE, encoding("utf-8"))) as [ByteLines];
    const lineOf: number[] = [];
    const { rejected, read } = validateLines(lines, "events.ndjson", DEFAULT_READ_LIMITS, { fast, take }, lineOf);
    expect(read).toBe(4);
    expect(lineOf).toEqual([2]);
    expect(asked).toEqual([lines.starts[1]]);
    expect(taken).toHaveLength(1);
    expect(asEnglish(rejected)).toEqual([
      { file: "events.ndjson", line: 1, reason: expect.stringMatching(/^not valid UTF-8 \(byte 0xBB at byte \d+ of the line\); if this file is GB18030, say so in channel-conflict\.yaml \(encoding: gb18030\)$/) },
      { file: "events.ndjson", line: 3, reason: expect.stringMatching(/^not valid UTF-8 .*encoding: gb18030\)$/) },
      { file: "events.ndjson", line: 4, reason: expect.stringMatching(/^not valid UTF-8 \(byte 0x81 at byte 2 of the line\)/) },
    ]);
  });

  it("reads lines decoded in their encoding through JSON.parse", async () => {
    const taken: unknown[] = [];
    const [lines] = (await batchesOf(GB_FILE, encoding("gb18030"))) as [ByteLines];
    const lineOf: number[] = [];
    const never: LineReader = () => false;
    const { rejected } = validateLines(lines, "events.ndjson", DEFAULT_READ_LIMITS, { fast: never, take: (value) => void taken.push(value) }, lineOf);
    expect(taken.map((value) => (value as { shipTo: { region: string } }).shipTo.region)).toEqual(["D-华南", "plain", "D-华北"]);
    expect(lineOf).toEqual([1, 2, 3]);
    expect(asEnglish(rejected)).toEqual([{ file: "events.ndjson", line: 4, reason: "not valid GB18030 (byte 0x81 at byte 2 of the line); check the encoding named in channel-conflict.yaml" }]);
  });
});

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

/** The events and rejections the worker thread reads from one events file, every event accepted. */
async function readInWorker(content: Buffer, encodingLabel?: string): Promise<{ events: ChannelEvent[]; rejected: Rejection[] }> {
  const path = eventWorkerPath();
  if (!path) throw new Error("no event worker");
  const folder = await mkdtemp(join(tmpdir(), "channel-conflict-encoding-"));
  folders.push(folder);
  await writeFile(join(folder, "events.ndjson"), content);
  const file: CollectionFile = {
    collection: "events",
    name: "events.ndjson",
    path: join(folder, "events.ndjson"),
    format: "ndjson",
    ...(encodingLabel !== undefined ? { encoding: encodingLabel } : {}),
  };
  const thread = new EventReaderThread(path, [file], DEFAULT_READ_LIMITS, "UTC");
  const events: ChannelEvent[] = [];
  const rejected: Rejection[] = [];
  for await (const batch of thread.batches({ judge: () => undefined })) {
    events.push(...batch.events);
    rejected.push(...batch.rejected);
  }
  return { events, rejected };
}

const regions = (events: readonly ChannelEvent[]) => events.map((event) => [event.id, (event as { shipTo?: { region?: string } }).shipTo?.region]);

describe("the event worker (linesOf)", () => {
  it("rejects UTF-8 lines holding GB18030 bytes, suggesting gb18030, and reads the others from their bytes", async () => {
    const { events, rejected } = await readInWorker(GB_FILE);
    expect(regions(events)).toEqual([["E2", "plain"]]);
    // 0xBB, the first byte of 华, comes after the line's text up to the region and "D-".
    const at = sale("E1", "D-").indexOf('"}}') + 1;
    const gb = `not valid UTF-8 (byte 0xBB at byte ${at} of the line); if this file is GB18030, say so in channel-conflict.yaml (encoding: gb18030)`;
    expect(rejected.map((r) => [r.line, r.reason])).toEqual([
      [1, gb],
      [3, gb],
      // Not GB18030 either: no suggestion of it.
      [4, "not valid UTF-8 (byte 0x81 at byte 2 of the line); name the file's encoding in channel-conflict.yaml (encoding: windows-1252, shift_jis, …)"],
    ]);
  });

  it("reads a GB18030 file by its encoding: D-华南 and D-华北 stay distinct", async () => {
    const { events, rejected } = await readInWorker(GB_FILE, "gb18030");
    expect(regions(events)).toEqual([
      ["E1", "D-华南"],
      ["E2", "plain"],
      ["E3", "D-华北"],
    ]);
    expect(asEnglish(rejected)).toEqual([{ file: "events.ndjson", line: 4, reason: "not valid GB18030 (byte 0x81 at byte 2 of the line); check the encoding named in channel-conflict.yaml" }]);
  });

  it("reads a UTF-16LE file (with a BOM), and fails on invalid UTF-16 naming the file", async () => {
    const text = `\ufeff${sale("E1", "D-华南").toString("utf8")}${sale("E2", "😀").toString("utf8")}`;
    const { events, rejected } = await readInWorker(Buffer.from(text, "utf16le"), "utf-16le");
    expect(regions(events)).toEqual([
      ["E1", "D-华南"],
      ["E2", "😀"],
    ]);
    expect(rejected).toEqual([]);
    const bad = Buffer.concat([Buffer.from(text, "utf16le"), Buffer.from([0x00, 0xdc])]);
    await expect(readInWorker(bad, "utf-16le")).rejects.toThrow(/^events\.ndjson: not valid UTF-16LE near byte \d+; check the encoding named in channel-conflict\.yaml$/);
  });
});
