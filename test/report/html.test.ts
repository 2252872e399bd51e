import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadRules } from "../../src/rules/loadRules.js";
import { formatHtml } from "../../src/report/formatHtml.js";
import { renderCharts } from "../../src/report/htmlCharts.js";
import { htmlLabels } from "../../src/report/htmlLabels.js";
import { reportLabels } from "../../src/report/labels.js";
import { UTC_ZONE } from "../../src/core/zonedTime.js";
import { scan } from "../../src/scan/scan.js";
import { readRawCollections } from "../helpers.js";

const rules = (await loadRules()).rules;

/** The text a reader sees: tags, scripts and styles dropped, entities left as they are. */
function visibleText(html: string): string {
  return html.replace(/<script>[\s\S]*?<\/script>|<style[^>]*>[\s\S]*?<\/style>/g, "").replace(/<[^>]+>/g, " ");
}

describe("--format html", () => {
  it("holds every finding, addressable by its id, three charts and the scorecard", async () => {
    const report = await scan("fixtures/demo", { rules: { rules } });
    const html = await formatHtml(report, { rules, dataset: "fixtures/demo", version: "9.9.9" });
    expect(report.findings.length).toBeGreaterThan(5);
    for (const finding of report.findings) {
      expect(html).toContain(`<article class="finding" id="${finding.id}"`);
      expect(html).toContain(`href="#${finding.id}"`);
    }
    expect(html.match(/<article class="finding"/g)?.length).toBe(report.findings.length);
    for (const id of ["chart-partners", "chart-time", "chart-money"]) expect(html).toMatch(new RegExp(`<figure id="${id}" class="chart"><figcaption>[^<]+</figcaption><ul class="legend">(<li><i style="background:#[0-9a-f]{6}"></i>[^<]+</li>)+</ul><svg `));
    expect(html.match(/<svg /g)?.length).toBe(3);
    for (const partner of report.partners ?? []) expect(html).toContain(`${partner.name} (${partner.id})</td>`);
    // Each finding's rule conditions, beside the facts of its decisive occurrence.
    expect(html).toContain("<code>gapPct</code> &gt; <code>25</code>");
    expect(html).toContain("channel-conflict 9.9.9");
  });

  it("loads nothing: no external reference, a CSP that forbids loads, and the script allowed by its hash only", async () => {
    const report = await scan("fixtures/demo", { rules: { rules } });
    const html = await formatHtml(report, { rules });
    expect(html).not.toMatch(/<link\b|<img\b|<iframe\b|@import|url\(|\bsrc=/i);
    expect(html).not.toMatch(/(?:href|xlink:href)="(?!#)/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toMatch(/^default-src 'none';/);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
    expect(scripts).toHaveLength(1);
    const hash = createHash("sha256").update(scripts[0] as string).digest("base64");
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
  });

  it("is the same bytes for the same report, whatever was rendered before in the process", async () => {
    const report = await scan("fixtures/demo", { rules: { rules } });
    const first = await formatHtml(report, { rules, timeZone: "Asia/Shanghai" });
    // Charts rendered in between move zrender's process-wide instance counter.
    await renderCharts({ report, lang: "en", zone: UTC_ZONE, labels: reportLabels("en"), html: htmlLabels("en"), partnerLabel: (id: string) => id });
    const second = await formatHtml(report, { rules, timeZone: "Asia/Shanghai" });
    expect(second).toBe(first);
    expect(first).not.toMatch(/\bzr\d+-/);
  });

  it("writes its labels in Chinese with lang zh-CN, with no English heading left", async () => {
    const report = await scan("fixtures/erp-zh", { rules: { rules }, lang: "zh-CN" });
    const html = await formatHtml(report, { rules, lang: "zh-CN", timeZone: "Asia/Shanghai", dataset: "fixtures/erp-zh" });
    expect(html).toContain('<html lang="zh-CN">');
    for (const text of ["渠道冲突检查报告", "概览", "合作伙伴评分卡", "问题明细", "处理建议", "各合作伙伴的问题数（按类型）", "涉及金额", "<td>经销商</td>", "时间均为 Asia/Shanghai 时间"]) {
      expect(html).toContain(text);
    }
    const text = visibleText(html);
    for (const english of ["Summary", "Findings", "Partner scorecard", "what to do", "first seen", "money at stake", "offender", "Showing", "Charts"]) {
      expect(text).not.toContain(english);
    }
    // Times on the dataset's clocks, written as a Chinese reader writes dates.
    const finding = report.findings[0]!;
    const shanghai = new Date(Date.parse(finding.firstSeen) + 8 * 3_600_000).toISOString();
    expect(html).toContain(`${Number(shanghai.slice(0, 4))}年${Number(shanghai.slice(5, 7))}月${Number(shanghai.slice(8, 10))}日 ${shanghai.slice(11, 16)}`);
  });

  it("escapes what the data says: a partner name cannot inject markup, in the page or in a chart", async () => {
    const collections = await readRawCollections("fixtures/demo");
    const evil = `<img src=x onerror=alert(1)>"' & </svg><script>alert(2)</script>`;
    collections.partners = (collections.partners as Record<string, unknown>[]).map((p) => ({ ...p, name: evil }));
    const report = await scan(collections, { rules: { rules } });
    const html = await formatHtml(report, { rules });
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script>alert");
    expect(html.match(/<\/svg>/g)?.length).toBe(3);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("says there is nothing to report when there are no findings, with no charts", async () => {
    const report = await scan("fixtures/demo", { rules: { rules } });
    const html = await formatHtml({ ...report, findings: [], partners: [] }, { rules });
    expect(html).toContain("No conflicts found.");
    expect(html).not.toContain("<svg");
  });
});
