import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { locateRecords, recordKey } from "../../src/report/locateRecords.js";

function dataset(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "cc-locate-"));
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, ...name.split("/"));
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

describe("locateRecords", () => {
  it("finds events in NDJSON and CSV files of a folder, by line, first occurrence first", async () => {
    const dir = dataset({
      "events/a.csv": 'id,type,note\nE-1,sale,"two\nlines"\nE-2,sale,x\n\nE-3,sale,y\n',
      "events/b.ndjson": '{"id":"E-4"}\n\n{"id":" E-5 "}\n{"id":"E-2"}\nnot json\n{"id":"E-6"}\n',
    });
    const found = await locateRecords(dir, { events: ["E-1", "E-2", "E-3", "E-4", "E-5", "E-6", "E-404"] });
    expect(Object.fromEntries(found)).toEqual({
      [recordKey("event", "E-1")]: { file: "events/a.csv", line: 2 },
      [recordKey("event", "E-2")]: { file: "events/a.csv", line: 4 },
      [recordKey("event", "E-3")]: { file: "events/a.csv", line: 6 },
      [recordKey("event", "E-4")]: { file: "events/b.ndjson", line: 1 },
      // Ids are trimmed, as the schema trims them.
      [recordKey("event", "E-5")]: { file: "events/b.ndjson", line: 3 },
      [recordKey("event", "E-6")]: { file: "events/b.ndjson", line: 6 },
    });
  });

  it("skips records the scan rejected: the kept record of a duplicated id is the evidence", async () => {
    const dir = dataset({ "events.ndjson": '{"id":"E-1","bad":true}\n{"id":"E-1"}\n' });
    const found = await locateRecords(dir, { events: ["E-1"] }, { rejected: [{ file: "events.ndjson", line: 1 }] });
    expect(found.get(recordKey("event", "E-1"))).toEqual({ file: "events.ndjson", line: 2 });
  });

  it("gives a JSON array record the line its value starts on, and its index", async () => {
    const territories = [
      { id: "T-1", note: 'has "quotes", [brackets] and {braces}\\' },
      { id: "T-2", nested: [{ a: [1, 2] }, { b: "}" }] },
      { id: "T-3" },
    ];
    const pretty = JSON.stringify(territories, null, 2);
    const dir = dataset({
      "territories.json": `\uFEFF${pretty}\n`,
      "registrations.json": `[{"id":"R-1"},\n  {"id":"R-2"},{"id":"R-3"}]`,
      "pricePolicies.json": "[]",
      "promotions.json": '[\r\n  {\r\n    "id": "PR-1"\r\n  },\r\n  {\r\n    "id": "PR-2"\r\n  }\r\n]\r\n',
    });
    const found = await locateRecords(dir, {
      refs: [
        { type: "territory", id: "T-2" },
        { type: "territory", id: "T-3" },
        { type: "registration", id: "R-3" },
        { type: "registration", id: "R-1" },
        { type: "pricePolicy", id: "PP-1" },
        { type: "promotion", id: "PR-2" },
        { type: "lot", id: "LOT-1" },
      ],
    });
    // The line of the `{` just above the record's `"id"` line (1-based: the 0-based index of the id line).
    const lineOf = (id: string) => pretty.split("\n").findIndex((line) => line.includes(`"id": "${id}"`));
    expect(found.get(recordKey("territory", "T-2"))).toEqual({ file: "territories.json", line: lineOf("T-2"), index: 1 });
    expect(found.get(recordKey("territory", "T-3"))).toEqual({ file: "territories.json", line: lineOf("T-3"), index: 2 });
    expect(found.get(recordKey("registration", "R-1"))).toEqual({ file: "registrations.json", line: 1, index: 0 });
    expect(found.get(recordKey("registration", "R-3"))).toEqual({ file: "registrations.json", line: 2, index: 2 });
    expect(found.get(recordKey("promotion", "PR-2"))).toEqual({ file: "promotions.json", line: 5, index: 1 });
    // Not found, and refs that are no record: left out.
    expect(found.size).toBe(5);
  });

  it("reads files as the manifest says: globs, encoding, delimiter, skipped rows and mapped fields", async () => {
    const gb = (text: string) => {
      // GB18030 of the few characters used here (TextEncoder only writes UTF-8).
      const table: Record<string, number[]> = { 编: [0xb1, 0xe0], 号: [0xba, 0xc5], 表: [0xb1, 0xed] };
      const bytes: number[] = [];
      for (const ch of text) bytes.push(...(table[ch] ?? [...Buffer.from(ch, "utf8")]));
      return Buffer.from(bytes);
    };
    expect(new TextDecoder("gb18030").decode(gb("编号表"))).toBe("编号表");
    const dir = dataset({
      "channel-conflict.yaml": 'collections:\n  events:\n    files: ["erp/*.csv"]\n    encoding: gb18030\n    delimiter: ";"\n    skipRows: 1\n    fields:\n      id: 编号\n',
      "erp/订单 1.csv": gb("表\n编号;x\nO-1;1\nO-2;2\n"),
    });
    const found = await locateRecords(dir, { events: ["O-2"] });
    expect(found.get(recordKey("event", "O-2"))).toEqual({ file: "erp/订单 1.csv", line: 4 });
  });

  it("never fails: an unreadable dataset locates nothing", async () => {
    expect((await locateRecords(join(tmpdir(), "cc-no-such-dataset"), { events: ["E-1"] })).size).toBe(0);
    expect((await locateRecords(join(tmpdir(), "cc-no-such-dataset"), {})).size).toBe(0);
  });
});
