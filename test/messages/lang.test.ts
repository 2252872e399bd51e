import { describe, expect, it } from "vitest";
import { DETECTORS } from "../../src/detectors/registry.js";
import { LANGS } from "../../src/messages/types.js";
import { formatAmount, groupDigits } from "../../src/messages/numbers.js";
import { scan } from "../../src/scan/scan.js";
import { loadRules } from "../../src/rules/loadRules.js";

const HAN = /[\u4e00-\u9fff]/;

describe("languages", () => {
  it.each(Object.values(DETECTORS).map((d) => [d.kind, d] as const))("%s has a text in every language for every code", (_kind, detector) => {
    const codes = Object.keys(detector.messages.en).sort();
    for (const lang of LANGS) expect(Object.keys(detector.messages[lang] ?? {}).sort(), lang).toEqual(codes);
  });

  it("every shipped rule has a Chinese title, description and remediation", async () => {
    for (const rule of (await loadRules()).rules) {
      for (const field of ["title", "description", "remediation"] as const) expect(rule.translations?.["zh-CN"]?.[field], `${rule.id} ${field}`).toMatch(HAN);
    }
  });

  it("zh-CN changes only the texts: ids, order, codes, args and keys are those of en", async () => {
    const [en, zh] = await Promise.all([scan("fixtures/demo", { lang: "en" }), scan("fixtures/demo", { lang: "zh-CN" })]);
    expect(zh.findings.length).toBeGreaterThan(0);
    const strip = (r: typeof en) => r.findings.map(({ title: _t, message: _m, remediation: _r, ...rest }) => rest);
    expect(strip(zh)).toEqual(strip(en));
    expect(zh.summary).toEqual(en.summary);
    for (const [i, finding] of zh.findings.entries()) {
      expect(Object.keys(finding)).toEqual(Object.keys(en.findings[i]!));
      expect(finding.title, finding.id).toMatch(HAN);
      expect(finding.message, finding.id).toMatch(HAN);
      expect(finding.message).not.toBe(en.findings[i]!.message);
    }
  });

  it("messages name regions and products with their codes and group digits", async () => {
    const report = await scan("fixtures/demo", { lang: "zh-CN" });
    const shipped = report.findings.find((f) => f.messageCode === "cross-region-shipping.out-of-territory" && /32,382/.test(f.message));
    expect(shipped?.message).toContain("（CN-ZJ-HZ）");
    expect(shipped?.message).toContain("¥32,382.00");
  });

  it("rejects a language it does not have", async () => {
    await expect(scan("fixtures/demo", { lang: "fr" as never })).rejects.toThrow(/lang/);
  });
});

describe("amounts", () => {
  it("groups digits and keeps signs and decimals", () => {
    expect(groupDigits(1234567.5)).toBe("1,234,567.50");
    expect(groupDigits(999.999)).toBe("1,000.00");
    expect(groupDigits(-1234)).toBe("-1,234.00");
    expect(groupDigits(-0.001)).toBe("0.00");
  });
  it("uses a symbol only where the reader cannot mistake it", () => {
    expect(formatAmount(32382, "CNY", "zh-CN")).toBe("¥32,382.00");
    expect(formatAmount(32382, "CNY", "en")).toBe("CN¥32,382.00");
    expect(formatAmount(-5, "USD", "en")).toBe("-US$5.00");
    expect(formatAmount(10, "CHF", "en")).toBe("10.00 CHF");
  });
});
