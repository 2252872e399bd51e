import { describe, expect, it } from "vitest";
import { scan } from "../../src/index.js";
import { formatJson } from "../../src/report/formatJson.js";

describe("the compiled evaluator and json-rules-engine", () => {
  it("give byte-identical reports on fixtures/demo", async () => {
    const compiled = formatJson(await scan("fixtures/demo", { evaluator: "compiled" }));
    const engine = formatJson(await scan("fixtures/demo", { evaluator: "json-rules-engine" }));
    expect(engine).toBe(compiled);
  });
});
