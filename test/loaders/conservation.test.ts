import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadDataset } from "../../src/dataset/loadDataset.js";
import { DEFAULT_READ_LIMITS } from "../../src/io/readRecords.js";
import { DEMO_FIXTURE, expectConservation, loaderFixture, order, removeDatasets, writeDataset } from "./helpers.js";

afterAll(removeDatasets);

describe("conservation: every record read is accepted or listed as rejected, once", () => {
  it.each(["formats-json", "formats-ndjson", "formats-jsonl", "formats-csv", "collection-folder", "rejections"])(
    "holds for fixtures/loader/%s",
    async (name) => {
      expectConservation(await loadDataset(loaderFixture(name)));
    },
  );

  it("holds for fixtures/demo", async () => {
    const dataset = await loadDataset(DEMO_FIXTURE);
    expectConservation(dataset);
    expect(dataset.counts.events.read).toBeGreaterThan(0);
  });

  type Fault =
    | "none"
    | "zeroQuantity"
    | "negativePrice"
    | "badCurrency"
    | "unknownType"
    | "badDate"
    | "hugeNumber"
    | "missingPartner"
    | "unknownPartner"
    | "duplicateId"
    | "tooLong"
    | "unreadable";
  const FAULTS: Fault[] = [
    "none",
    "zeroQuantity",
    "negativePrice",
    "badCurrency",
    "unknownType",
    "badDate",
    "hugeNumber",
    "missingPartner",
    "unknownPartner",
    "duplicateId",
    "tooLong",
    "unreadable",
  ];
  const MAX_RECORD_BYTES = 400;
  const CSV_COLUMNS = ["id", "type", "occurredAt", "partnerId", "sku", "quantity", "unitPrice", "currency", "url"] as const;

  function eventWith(id: string, fault: Fault, url: string): Record<string, unknown> {
    const event = order(id, url === "" ? {} : { url });
    switch (fault) {
      case "zeroQuantity":
        return { ...event, quantity: 0 };
      case "negativePrice":
        return { ...event, unitPrice: -0.5 };
      case "badCurrency":
        return { ...event, currency: "yuan" };
      case "unknownType":
        return { ...event, type: "refund" };
      case "badDate":
        return { ...event, occurredAt: "2025-02-30" };
      case "hugeNumber":
        return { ...event, unitPrice: "1e400" };
      case "missingPartner": {
        const { partnerId: _partnerId, ...rest } = event;
        return rest;
      }
      case "unknownPartner":
        return { ...event, partnerId: "P-404" };
      case "duplicateId":
        return { ...event, id: "e-0" };
      case "tooLong":
        return { ...event, url: "x".repeat(MAX_RECORD_BYTES) };
      default:
        return event;
    }
  }

  const csvCell = (value: unknown) => {
    const text = value === undefined ? "" : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };

  type Format = "json" | "ndjson" | "csv";
  const extension = { json: "json", ndjson: "ndjson", csv: "csv" } as const;

  /** Writes events in one format; returns the text and where each record starts (line or index). */
  function render(format: Format, events: Array<{ record: Record<string, unknown>; fault: Fault }>, crlf: boolean) {
    const nl = crlf ? "\r\n" : "\n";
    if (format === "json") {
      // A JSON array cannot hold an unparsable element: an unreadable record is a non-object there.
      const items = events.map(({ record, fault }) => (fault === "unreadable" ? 42 : record));
      return { text: JSON.stringify(items, null, 1), positions: events.map((_, i) => ({ index: i })) };
    }
    const positions: Array<{ line: number }> = [];
    const lines: string[] = [];
    let line = format === "csv" ? 2 : 1;
    if (format === "csv") lines.push(CSV_COLUMNS.join(","));
    for (const { record, fault } of events) {
      // Blank lines between records are skipped but still counted.
      if (line % 3 === 0) {
        lines.push("");
        line++;
      }
      positions.push({ line });
      let text: string;
      if (format === "ndjson") text = fault === "unreadable" ? '{"id": "half' : JSON.stringify(record);
      else text = fault === "unreadable" ? "e-x,order,too,few" : CSV_COLUMNS.map((c) => csvCell(record[c])).join(",");
      lines.push(text);
      line += text.split("\n").length;
    }
    return { text: lines.join(nl) + nl, positions };
  }

  it("holds for any mix of good and bad events, in any format, split over a collection folder", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...FAULTS), fc.constantFrom("", "https://a.example/x,y", 'say "hi"', "two\nlines")), {
          maxLength: 25,
        }),
        fc.array(fc.constantFrom<Format>("json", "ndjson", "csv"), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        async (specs, formats, crlf, asFolder) => {
          // The first event is always good, so a duplicate of e-0 is always a duplicate.
          const events = [{ fault: "none" as Fault, url: "" }, ...specs.map(([fault, url]) => ({ fault, url }))].map(
            ({ fault, url }, i) => ({ record: eventWith(`e-${i}`, fault, url), fault }),
          );
          const files: Record<string, string> = { "partners.json": JSON.stringify([{ id: "P1", channel: "retail" }]) };
          const expectedRejected: string[] = [];
          const parts = asFolder ? formats : formats.slice(0, 1);
          const size = Math.ceil(events.length / parts.length);
          parts.forEach((format, p) => {
            const slice = events.slice(p * size, (p + 1) * size);
            const name = asFolder ? `events/part-${String(p + 1).padStart(4, "0")}.${extension[format]}` : `events.${extension[format]}`;
            const { text, positions } = render(format, slice, crlf);
            files[name] = text;
            slice.forEach(({ fault }, i) => {
              const at = positions[i] as { line?: number; index?: number };
              // A JSON array is read whole, so an over-long element is not a reason there.
              const rejected = fault !== "none" && !(fault === "tooLong" && format === "json");
              if (rejected) expectedRejected.push(`${name}@${at.line ?? at.index}`);
            });
          });
          const dataset = await loadDataset(await writeDataset(files), { ...DEFAULT_READ_LIMITS, maxRecordBytes: MAX_RECORD_BYTES });
          expectConservation(dataset);
          expect(dataset.counts.events.read).toBe(events.length);
          const rejectedAt = dataset.rejected.map((r) => `${r.file}@${r.line ?? r.index}`);
          expect(rejectedAt.sort()).toEqual(expectedRejected.sort());
        },
      ),
      { numRuns: 60 },
    );
  });
});
