import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { formatCsv } from "../../src/report/formatCsv.js";
import { scan } from "../../src/scan/scan.js";

describe("formatCsv", () => {
  it.each(["en", "zh-CN"] as const)("writes N+1 rows with a BOM, one per finding in rank order (%s)", async (lang) => {
    const report = await scan("fixtures/demo", { lang });
    const text = formatCsv(report);
    expect(text.startsWith("\uFEFF")).toBe(true);
    const rows = parse(text.slice(1), { relax_quotes: false }) as string[][];
    expect(rows).toHaveLength(report.findings.length + 1);
    expect(rows[0]?.slice(0, 3)).toEqual(["id", "fingerprint", "rank"]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(report.findings.map((f) => f.id));
    expect(rows.slice(1).map((r) => r[9])).toEqual(report.findings.map((f) => f.message));
    expect(rows.slice(1).map((r) => r[7])).toEqual(report.findings.map((f) => f.partners.join("|")));
  });

  it("keeps quotes, commas and line breaks in one cell and defuses formulas", async () => {
    const report = await scan("fixtures/demo");
    const first = report.findings[0]!;
    const tricky = { ...report, findings: [{ ...first, message: 'a "quoted", \r\nmulti-line text', title: "=HYPERLINK(1)" }] };
    const rows = parse(formatCsv(tricky).slice(1)) as string[][];
    expect(rows).toHaveLength(2);
    expect(rows[1]?.[9]).toBe('a "quoted", \r\nmulti-line text');
    expect(rows[1]?.[8]).toBe("'=HYPERLINK(1)");
  });
});
