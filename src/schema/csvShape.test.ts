import { describe, expect, it } from "vitest";
import { csvRowReader } from "./csvShape.js";

describe("csvRowReader", () => {
  it("nests dotted columns, converts by the field's kind, leaves empty cells out and keeps unknown columns as text", () => {
    const read = csvRowReader("events", ["id", "type", "shipTo.region", "quantity", "unitPrice", "note", "shipTo.postalCode"]);
    const record = read(["O-1", "order", "CN-ZJ-HZ", "3", "", "x", ""]);
    expect(record).toEqual({ id: "O-1", type: "order", shipTo: { region: "CN-ZJ-HZ" }, quantity: 3, note: "x" });
    // A nested object whose cells are all empty is absent; a cell that is not a plain number stays text.
    expect(read(["O-2", "order", "", "3 pcs", "", "", ""])).toEqual({ id: "O-2", type: "order", quantity: "3 pcs" });
  });

  it("sets columns in the order an object keyed by the header lists them (integer-like names first)", () => {
    const read = csvRowReader("events", ["b", "2", "a", "1"]);
    expect(Object.keys(read(["x", "y", "z", "w"]))).toEqual(["1", "2", "b", "a"]);
    // A plain column and a dotted one under the same name: the later in that order wins, as before.
    expect(csvRowReader("events", ["shipTo", "shipTo.region"])(["text", "CN-SH"])).toEqual({ shipTo: { region: "CN-SH" } });
    expect(csvRowReader("events", ["shipTo.region", "shipTo"])(["CN-SH", "text"])).toEqual({ shipTo: "text" });
  });
});
