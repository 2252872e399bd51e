import { describe, expect, it } from "vitest";
import { combineAdmissions } from "./admission.js";

describe("combineAdmissions", () => {
  it("is the union of the admissions, absent ones admitting nothing", () => {
    expect(combineAdmissions([])).toEqual({ unknownPartners: [], unknownSkus: [] });
    expect(
      combineAdmissions([{ unknownPartners: ["listing"] }, undefined, { unknownPartners: ["listing", "sale"], unknownSkus: ["allocation"] }, {}]),
    ).toEqual({ unknownPartners: ["listing", "sale"], unknownSkus: ["allocation"] });
  });
});
