/// <reference lib="dom" />
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScanReport } from "../../src/findings/report.js";
import { formatHtml } from "../../src/report/formatHtml.js";
import { loadRules } from "../../src/rules/loadRules.js";
import { scan } from "../../src/scan/scan.js";
import { chromiumPath, launchChromium } from "./chromium.js";

// The html report in a real headless Chromium. CI installs Debian's chromium (.ci/run) and fails here if it
// cannot start; elsewhere, a machine without it skips these tests and says so.
const runnable = chromiumPath() !== undefined || process.env.CI !== undefined;
if (!runnable) console.warn("\n*** SKIPPED: the html report's browser tests need Chromium (apt-get install chromium, or set CHROMIUM_PATH) ***\n");

const rules = (await loadRules()).rules;

interface Opened {
  readonly page: Page;
  /** Every request the page made, the document's own included. */
  readonly requests: string[];
  /** Console errors (a CSP violation is one) and uncaught exceptions. */
  readonly errors: string[];
  readonly url: string;
}

describe.skipIf(!runnable)("the html report in headless Chromium", () => {
  let browser: Browser;
  let folder: string;
  let demo: ScanReport;
  let chinese: ScanReport;

  beforeAll(async () => {
    browser = await launchChromium();
    folder = mkdtempSync(join(tmpdir(), "cc-html-"));
    demo = await scan("fixtures/demo", { rules: { rules } });
    chinese = await scan("fixtures/erp-zh", { rules: { rules }, lang: "zh-CN" });
  });
  afterAll(async () => {
    await browser?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  async function open(name: string, html: string): Promise<Opened> {
    const path = join(folder, name);
    writeFileSync(path, html);
    const url = pathToFileURL(path).href;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(url, { waitUntil: "load" });
    return { page, requests, errors, url };
  }

  /** The ids of the findings shown (not hidden by a filter and laid out with a size). */
  const visibleFindings = (page: Page) =>
    page.$$eval("article.finding", (articles) => articles.filter((a) => !(a as HTMLElement).hidden && (a as HTMLElement).offsetHeight > 0).map((a) => a.id));

  /**
   * How much of a screenshot is drawn: the share of pixels that are not near-white and the number of
   * distinct colours, measured by Chromium itself on a canvas (an empty or broken page is almost all white).
   */
  async function inked(png: Buffer): Promise<{ share: number; colours: number }> {
    const page = await browser.newPage();
    try {
      await page.setContent(`<img id="shot" src="data:image/png;base64,${png.toString("base64")}">`);
      return await page.$eval("#shot", async (node) => {
        const img = node as HTMLImageElement;
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const context = canvas.getContext("2d") as CanvasRenderingContext2D;
        context.drawImage(img, 0, 0);
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        let ink = 0;
        const colours = new Set<number>();
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b] = [data[i] as number, data[i + 1] as number, data[i + 2] as number];
          if (r < 235 || g < 235 || b < 235) ink++;
          colours.add((r << 16) | (g << 8) | b);
        }
        return { share: ink / (data.length / 4), colours: colours.size };
      });
    } finally {
      await page.close();
    }
  }

  it("renders offline: every finding shown, three charts drawn, nothing requested but the page, no error", async () => {
    const { page, requests, errors, url } = await open("demo.html", await formatHtml(demo, { rules, dataset: "fixtures/demo" }));
    try {
      expect(requests).toEqual([url]);
      expect(errors).toEqual([]);
      expect(await page.title()).toBe("Channel conflicts — fixtures/demo");
      const shown = await visibleFindings(page);
      expect(shown).toEqual(demo.findings.map((f) => f.id));
      const charts = await page.$$eval("figure.chart svg", (svgs) => svgs.map((svg) => svg.getBoundingClientRect()).map((r) => ({ width: r.width, height: r.height })));
      expect(charts).toHaveLength(3);
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(300);
        expect(chart.height).toBeGreaterThan(150);
      }
      // The bars are drawn: each chart has filled shapes in its series' colours.
      const bars = await page.$$eval("figure.chart", (figures) => figures.map((f) => f.querySelectorAll('path[ecmeta_ssr_type="chart"]').length));
      for (const count of bars) expect(count).toBeGreaterThan(0);
      const message = await page.textContent(`[id="${demo.findings[0]!.id}"] .message`);
      expect(message).toBe(demo.findings[0]!.message);
    } finally {
      await page.close();
    }
  });

  it("filters by kind, severity and partner, and a link to a hidden finding clears the filters", async () => {
    const { page, errors } = await open("filters.html", await formatHtml(demo, { rules }));
    try {
      await page.selectOption('select[data-filter="kind"]', "price-deviation");
      const price = demo.findings.filter((f) => f.kind === "price-deviation").map((f) => f.id);
      expect(await visibleFindings(page)).toEqual(price);
      expect(await page.textContent("#shown-count")).toBe(String(price.length));
      await page.selectOption('select[data-filter="severity"]', "high");
      expect(await visibleFindings(page)).toEqual(demo.findings.filter((f) => f.kind === "price-deviation" && f.severity === "high").map((f) => f.id));
      await page.selectOption('select[data-filter="kind"]', "");
      await page.selectOption('select[data-filter="severity"]', "");
      const partner = demo.findings[0]!.partners[1]!;
      await page.selectOption('select[data-filter="partner"]', partner);
      const withPartner = demo.findings.filter((f) => f.partners.includes(partner)).map((f) => f.id);
      expect(await visibleFindings(page)).toEqual(withPartner);
      const hidden = demo.findings.find((f) => !f.partners.includes(partner))!;
      await page.evaluate((id) => (location.hash = id), hidden.id);
      await page.waitForFunction((id) => !(document.getElementById(id) as HTMLElement).hidden, hidden.id);
      expect(await visibleFindings(page)).toEqual(demo.findings.map((f) => f.id));
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("prints every finding with its conditions and facts, whatever the filters hide on screen", async () => {
    const { page } = await open("print.html", await formatHtml(demo, { rules }));
    try {
      await page.selectOption('select[data-filter="kind"]', "price-deviation");
      const visible = (selector: string) => page.$$eval(selector, (nodes) => nodes.filter((n) => n.checkVisibility()).length);
      expect(await visible("table.facts")).toBe(0);
      await page.emulateMedia({ media: "print" });
      expect(await visible("article.finding")).toBe(demo.findings.length);
      expect(await visible("table.facts")).toBe(demo.findings.length);
      expect(await visible("ul.conditions")).toBe(demo.findings.length);
      expect(await visible("form.filters")).toBe(0);
    } finally {
      await page.close();
    }
  });

  it("draws a page, not an empty or broken one, in English and in Chinese", async () => {
    for (const [name, html] of [
      ["en.html", await formatHtml(demo, { rules })],
      ["zh.html", await formatHtml(chinese, { rules, lang: "zh-CN", timeZone: "Asia/Shanghai" })],
    ] as const) {
      const { page, errors } = await open(name, html);
      try {
        expect(errors).toEqual([]);
        const top = await inked(await page.screenshot());
        expect(top.share).toBeGreaterThan(0.03);
        expect(top.colours).toBeGreaterThan(30);
        await page.locator("#charts").scrollIntoViewIfNeeded();
        const charts = await inked(await page.locator("#chart-partners").screenshot());
        expect(charts.share).toBeGreaterThan(0.05);
      } finally {
        await page.close();
      }
    }
    // The check itself tells a blank page apart.
    const { page } = await open("blank.html", "<!doctype html><html><body></body></html>");
    try {
      expect((await inked(await page.screenshot())).share).toBeLessThan(0.001);
    } finally {
      await page.close();
    }
  });

  it("refuses to load anything even if a finding's text holds markup", async () => {
    const tampered: ScanReport = {
      ...demo,
      findings: demo.findings.map((f, i) => (i === 0 ? { ...f, message: `<img src="https://example.invalid/x.png"><script src="https://example.invalid/x.js"></script>` } : f)),
    };
    const { page, requests, errors, url } = await open("tampered.html", await formatHtml(tampered, { rules }));
    try {
      expect(requests).toEqual([url]);
      expect(errors).toEqual([]);
      expect(await page.textContent(`[id="${demo.findings[0]!.id}"] .message`)).toContain('<img src="https://example.invalid/x.png">');
    } finally {
      await page.close();
    }
  });
});
