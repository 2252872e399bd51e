import { describe, expect, it } from "vitest";
import { formatMarkdown } from "../../src/report/formatMarkdown.js";
import { evidenceList, formatTable } from "../../src/report/formatTable.js";
import { scan } from "../../src/scan/scan.js";

// What a channel manager acts on: each finding's remediation and the order/sale ids to ask about,
// in table and markdown, in both languages.
describe.each([
  ["en", "what to do: ", "evidence events: ", ", "],
  ["zh-CN", "处理建议：", "证据单据：", "、"],
] as const)("table and markdown in %s", (lang, remediationLabel, evidenceLabel, joiner) => {
  it("the table shows each finding's remediation and its evidence event ids", async () => {
    const report = await scan("fixtures/demo", { lang });
    const lines = formatTable(report, { width: 1000, lang }).split("\n");
    expect(report.findings.length).toBeGreaterThan(5);
    for (const f of report.findings) {
      const at = lines.findIndex((line) => line.includes(f.message));
      expect(at, f.id).toBeGreaterThan(0);
      expect(lines[at + 1]).toBe(`      ${remediationLabel}${f.remediation}`);
      if (f.eventIds.length > 0) expect(lines[at + 2]).toBe(`      ${evidenceLabel}${f.eventIds.slice(0, 5).join(joiner)}`);
    }
  });

  it("markdown's top findings carry remediation and evidence ids in their rows", async () => {
    const report = await scan("fixtures/demo", { lang });
    const md = formatMarkdown(report, { top: report.findings.length, lang });
    for (const f of report.findings) {
      const row = md.split("\n").find((line) => line.startsWith(`| ${f.rank} |`));
      expect(row, f.id).toBeDefined();
      expect(row).toContain(`**${remediationLabel.replace(/[:：] ?$/, "")}**`);
      expect(row).toContain(f.remediation!.replace(/\|/g, "\\|"));
      for (const id of f.eventIds.slice(0, 5)) expect(row).toContain(`\`${id}\``);
    }
  });

  it("lists five evidence ids, then says how many more the JSON holds", () => {
    const ids = Array.from({ length: 8 }, (_, i) => `O-${i + 1}`);
    const text = evidenceList(ids, lang);
    expect(text.startsWith(ids.slice(0, 5).join(joiner))).toBe(true);
    expect(text).not.toContain("O-6");
    expect(text).toContain("3");
  });
});
