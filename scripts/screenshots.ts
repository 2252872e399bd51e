// Writes the README's screenshots of the html report: docs/report-en.png (fixtures/demo, English) and
// docs/report-zh-CN.png (fixtures/erp-zh, Chinese), in Debian's headless Chromium (CHROMIUM_PATH to use
// another). Chinese text needs a CJK font on the machine (Debian: fonts-wqy-microhei or fonts-noto-cjk).
// Run: npx tsx scripts/screenshots.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadRules } from "../src/rules/loadRules.js";
import { formatHtml } from "../src/report/formatHtml.js";
import { packageVersion } from "../src/io/packageRoot.js";
import { scan } from "../src/scan/scan.js";
import { launchChromium } from "../test/report/chromium.js";

const rules = (await loadRules()).rules;
const shots = [
  { dataset: "fixtures/demo", lang: "en", timeZone: "UTC", out: "docs/report-en.png" },
  { dataset: "fixtures/erp-zh", lang: "zh-CN", timeZone: "Asia/Shanghai", out: "docs/report-zh-CN.png" },
] as const;

const folder = mkdtempSync(join(tmpdir(), "cc-shots-"));
const browser = await launchChromium();
try {
  mkdirSync("docs", { recursive: true });
  for (const shot of shots) {
    const report = await scan(shot.dataset, { rules: { rules }, lang: shot.lang });
    const html = await formatHtml(report, { rules, lang: shot.lang, timeZone: shot.timeZone, dataset: shot.dataset, version: packageVersion() });
    const path = join(folder, `${shot.lang}.html`);
    writeFileSync(path, html);
    const page = await browser.newPage({ viewport: { width: 1180, height: 1700 }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(path).href, { waitUntil: "load" });
    await page.screenshot({ path: shot.out });
    await page.close();
    console.log(`wrote ${shot.out}`);
  }
} finally {
  await browser.close();
  rmSync(folder, { recursive: true, force: true });
}
