import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RejectionCode, RejectionMessages } from "../../src/core/rejectionReasons.js";
import { DETECTORS } from "../../src/detectors/registry.js";
import { skipCodeOfKey, skipKey, skipText } from "../../src/detectors/skipReasons.js";
import { formatRejection, REJECTION_TEXTS, rejectionReason, renderReason } from "../../src/messages/rejections/renderRejection.js";
import { LANGS } from "../../src/messages/types.js";
import { scan } from "../../src/scan/scan.js";
import { createStreamScanner } from "../../src/scan/createStreamScanner.js";

const HAN = /[\u4e00-\u9fff]/;

/** Arguments of every rejection code (the type makes a new code add its own), several where the text branches. */
const SAMPLES: { readonly [C in RejectionCode]: readonly RejectionMessages[C][] } = {
  not_json: [{ detail: "Unexpected token } in JSON at position 7" }],
  too_long: [{ unit: "line", maxRecordBytes: 1024 }, { unit: "record", maxRecordBytes: 1024 }],
  invalid_text: [
    { encoding: "UTF-8", unit: "line", byte: "0xBB", at: 14, advice: "gb18030" },
    { encoding: "UTF-8", unit: "record", byte: "0xE9", at: 4, advice: "name" },
    { encoding: "GB18030", unit: "line", byte: "0x81", at: 2, advice: "check" },
    { encoding: "UTF-8", unit: "line", advice: "none" },
  ],
  csv_stray_quote: [{ cell: 2 }],
  csv_after_quote: [{ cell: 1, what: '"x"', delimiter: '","' }, { cell: 1, delimiter: '","' }],
  csv_unclosed_quote: [{ cell: 3, openedOn: 7 }],
  csv_cells: [{ cells: 3, expected: 5 }],
  not_a_record: [{ got: "an array" }, { got: "null" }, { got: "string" }],
  unreadable_cell: [
    { column: "下单时间", value: '"2025/13/01"', kind: "time", format: "yyyy/MM/dd", field: "occurredAt" },
    { column: "单价", value: '"1.2.3"', kind: "number", format: "#,##0.00", field: "unitPrice" },
  ],
  unmapped_cell: [{ column: "渠道", value: '"批发"', field: "channel", known: '"经销", "零售"' }],
  unrepresentable_value: [
    { column: "occurredAt", problem: "time_range", value: "9e15" },
    { column: "quantity", problem: "integer_range", value: "-9007199254740993" },
  ],
  invalid_fields: [
    {
      issues: [
        { path: "type", code: "invalid_union", values: ['"sale"', '"order"'], got: { type: "missing" }, message: "Invalid input" },
        { path: "quantity", code: "too_small", minimum: 0, inclusive: false, origin: "number", message: "must be greater than 0" },
        { path: "maxDiscount", code: "too_big", maximum: 1, inclusive: true, origin: "number", message: "must be at most 1" },
        { path: "id", code: "too_small", minimum: 1, inclusive: true, origin: "string", message: "must be a non-empty string" },
        { path: "unitPrice", code: "invalid_type", expected: "number", got: { type: "string", text: '"12"' }, message: "Invalid input" },
        { path: "unitPrice", code: "invalid_type", expected: "number", got: { type: "number", text: "Infinity" }, message: "Invalid input" },
        { path: "currency", code: "invalid_format", pattern: "/^[A-Z]{3}$/", message: "must be a three-letter ISO 4217 code such as CNY or USD" },
        { path: "occurredAt", code: "custom", reason: "iso_time", got: { type: "string", text: '"yesterday"' }, message: 'must be an ISO 8601 date…, got "yesterday"' },
        { path: "occurredAt", code: "custom", reason: "invalid_date", message: "must be a valid Date, got an invalid Date (its time is NaN)" },
      ],
    },
  ],
  duplicate_id: [{ field: "id", id: "D1", first: "partners.json[0]" }],
  duplicate_event: [{ id: "o-7" }],
  unknown_reference: [
    { field: "partnerId", collection: "partners", id: "NOPE" },
    { field: "sku", collection: "products", id: "S9" },
    { field: "region", collection: "regions", id: "XX" },
  ],
  unknown_ancestor: [
    { field: "parent", collection: "regions", ancestor: "CN-GD", parent: "CN-X" },
    { field: "parentId", collection: "partners", ancestor: "D1", parent: "D0" },
  ],
  own_ancestor: [{ field: "parent", id: "CN", through: "CN-GD" }],
  parent_cycle: [
    { field: "parent", collection: "regions", through: "CN-GD" },
    { field: "parentId", collection: "partners", through: "D1" },
  ],
  end_before_start: [{ field: "validTo", start: "validFrom" }],
  out_of_order: [
    { at: "2025-03-01T00:00:00.000Z", latest: "2025-03-02T00:00:00.000Z", stream: true },
    { at: "2025-03-01T00:00:00.000Z", latest: "2025-03-02T00:00:00.000Z", stream: false },
  ],
  too_late: [{ at: "2025-03-01T00:00:00.000Z", latest: "2025-03-02T00:00:00.000Z", allowedLateness: "2h" }],
};

describe("rejection reasons", () => {
  const codes = Object.keys(SAMPLES).sort();

  it("every language has a text for every code, and no other", () => {
    for (const lang of LANGS) expect(Object.keys(REJECTION_TEXTS[lang]).sort(), lang).toEqual(codes);
  });

  it.each(codes)("%s reads in every language; zh-CN is Chinese and keeps the field names and values", (code) => {
    for (const args of SAMPLES[code as RejectionCode]) {
      const reason = { code, args } as Parameters<typeof renderReason>[0];
      const en = renderReason(reason, "en");
      const zh = renderReason(reason, "zh-CN");
      expect(en).not.toMatch(HAN.test(JSON.stringify(args)) ? /^$/ : HAN);
      expect(zh).toMatch(HAN);
      expect(zh).not.toBe(en);
      // What to look for in the data stays as the data writes it.
      for (const value of Object.values(args)) if (typeof value === "string" && /^[A-Za-z][\w.-]*$/.test(value) && value.length > 2 && !["line", "record", "time", "number", "check", "name", "none", "gb18030", "partners", "regions", "products", "an array", "null", "string", "time_range", "integer_range"].includes(value)) expect(zh, `${code} ${value}`).toContain(value);
    }
  });

  it("a Chinese field problem says what to fix rather than zod's English", () => {
    const zh = renderReason({ code: "invalid_fields", args: SAMPLES.invalid_fields[0]! }, "zh-CN");
    expect(zh).toContain("quantity：必须大于 0");
    expect(zh).toContain("maxDiscount：不能大于 1");
    expect(zh).toContain("id：不能为空");
    expect(zh).toContain('unitPrice：应为数字，实际为"12"');
    expect(zh).toContain("currency：应为三位大写字母的 ISO 4217 币种代码");
    expect(zh).toContain("type：应为 \"sale\"、\"order\" 之一，实际为缺少该字段");
    expect(zh).not.toMatch(/must be|expected|Invalid/);
  });

  it("a scan's rejections carry their code and arguments, and `reason` is their English text", async () => {
    const report = await scan(
      {
        partners: [{ id: "D1", channel: "distributor" }, { id: "D1", channel: "retail" }],
        products: [{ sku: "S1", category: "c" }],
        events: [
          { id: "e1", type: "sale", occurredAt: "2025-03-01", partnerId: "D1", sku: "S1", quantity: 1, unitPrice: 10, currency: "CNY" },
          { id: "e1", type: "sale", occurredAt: "2025-03-02", partnerId: "D1", sku: "S1", quantity: 1, unitPrice: 10, currency: "CNY" },
          { id: "e2", type: "sale", occurredAt: "2025-03-02", partnerId: "NOPE", sku: "S1", quantity: 1, unitPrice: 10, currency: "CNY" },
          { id: "e3", type: "sale", occurredAt: "2025-03-02", partnerId: "D1", sku: "S1", quantity: -1, unitPrice: 10, currency: "cny" },
        ],
      },
      { lang: "zh-CN" },
    );
    expect(report.rejected.map((r) => r.code)).toEqual(["duplicate_event", "unknown_reference", "invalid_fields", "duplicate_id"]);
    for (const rejection of report.rejected) {
      expect(rejection.reason).toBe(renderReason({ code: rejection.code, args: rejection.args } as Parameters<typeof renderReason>[0]));
      expect(rejection.reason).not.toMatch(HAN);
      expect(rejectionReason(rejection, "zh-CN")).toMatch(HAN);
      expect(formatRejection(rejection, "zh-CN")).toMatch(new RegExp(`^${rejection.file}:\\[\\d+\\]: `));
    }
    expect(report.rejected[1]?.args).toEqual({ field: "partnerId", collection: "partners", id: "NOPE" });
    expect(rejectionReason(report.rejected[1]!, "zh-CN")).toBe("partnerId：合作伙伴“NOPE”不存在；应为 partners 里列出的合作伙伴编号");
    expect(rejectionReason(report.rejected[2]!, "zh-CN")).toBe("quantity：必须大于 0；currency：应为三位大写字母的 ISO 4217 币种代码，如 CNY、USD");
  });

  it("a stream's late event names the event in Chinese too", async () => {
    const rejected: Parameters<typeof formatRejection>[0][] = [];
    const scanner = await createStreamScanner({ reference: "fixtures/demo", onRejected: (r) => rejected.push(r) });
    const base = { type: "sale", partnerId: "D-NANYUE", sku: "LA-H200", quantity: 1, unitPrice: 100, currency: "CNY" } as const;
    scanner.push([{ ...base, id: "s1", occurredAt: "2025-03-02T00:00:00Z" }, { ...base, id: "s2", occurredAt: "2025-03-01T00:00:00Z" }]);
    await scanner.finish();
    expect(rejected.map((r) => r.code)).toEqual(["out_of_order"]);
    expect(formatRejection(rejected[0]!, "zh-CN")).toContain("事件“s2”：occurredAt：2025-03-01T00:00:00.000Z 早于已读到的事件");
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("skip reasons", () => {
  const skipped = sourceFiles("src/detectors").flatMap((file) => [...readFileSync(file, "utf8").matchAll(/context\.skip\("([^"]+)"\)/g)].map((m) => m[1] as string));

  it("every code a detector counts is declared by its kind, in every language", () => {
    expect(skipped.length).toBeGreaterThan(0);
    for (const code of new Set(skipped)) {
      const kind = code.slice(0, code.indexOf("."));
      const texts = (DETECTORS as Record<string, { skipMessages?: Record<string, Record<string, string> | undefined> }>)[kind]?.skipMessages;
      for (const lang of LANGS) expect(texts?.[lang]?.[code], `${code} ${lang}`).toBeTypeOf("string");
      expect(skipText(code, "zh-CN")).toMatch(HAN);
      // `summary.skipped` keys stay what they were; a checkpoint keyed by them restores to the code.
      expect(skipKey(code)).toBe(`${kind}: ${skipText(code, "en")}`);
      expect(skipCodeOfKey(skipKey(code))).toBe(code);
    }
  });

  it("every declared code is counted somewhere, and each language declares the same codes", () => {
    for (const detector of Object.values(DETECTORS) as { kind: string; skipMessages?: Record<string, Record<string, string> | undefined> }[]) {
      const declared = Object.keys(detector.skipMessages?.en ?? {}).sort();
      for (const lang of LANGS) expect(Object.keys(detector.skipMessages?.[lang] ?? {}).sort(), `${detector.kind} ${lang}`).toEqual(declared);
      for (const code of declared) expect(skipped, code).toContain(code);
    }
  });

  it("the summary counts the same skips by key and by code", async () => {
    const report = await scan("fixtures/demo");
    expect(Object.keys(report.summary.skippedByCode).length).toBeGreaterThan(0);
    expect(Object.fromEntries(Object.entries(report.summary.skippedByCode).map(([code, n]) => [skipKey(code), n]))).toEqual(report.summary.skipped);
  });
});
