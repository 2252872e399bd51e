// fixtures/erp-zh holds the data of fixtures/demo as a Chinese ERP / POS / WMS / CRM exports it (GB18030 CSV
// with `;` and CRLF, a title row, Chinese headers and words, Beijing wall times, grouped amounts, `、` lists,
// UTF-8 NDJSON with Chinese keys), read through its channel-conflict.yaml manifest. Read that way it must be
// the demo: the same findings and counts, only the names (and so the messages) in Chinese.
import { isUtf8 } from "node:buffer";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/index.js";
import { buildErpFixture, writeErpFixture } from "../../scripts/make-erp-fixture.js";

const DEMO = "fixtures/demo";
const ERP = "fixtures/erp-zh";

type Report = Awaited<ReturnType<typeof scan>>;

/** A finding without what is worded for people (`message`, `title`, and `messageArgs`, which carry the names). */
function withoutWording(finding: Report["findings"][number]): Record<string, unknown> {
  const { message: _message, title: _title, messageArgs: _args, ...rest } = finding;
  return rest;
}

function summaryCounts(report: Report) {
  const { events, rejected, findings, bySeverity, byKind, skipped } = report.summary;
  return { events, rejected, findings, bySeverity, byKind, skipped };
}

/** Every file under `dir`, as paths relative to it with `/`, sorted. */
function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      return entry.isDirectory() ? filesUnder(dir, path) : [path];
    })
    .sort();
}

describe("fixtures/erp-zh: the demo as Chinese ERP exports, read through its manifest", () => {
  let demo: Report;
  let erp: Report;

  beforeAll(async () => {
    demo = await scan(DEMO);
    erp = await scan(ERP);
  });

  it("gives the demo's findings (wording aside) and the demo's summary counts, with nothing rejected", () => {
    expect(erp.findings.map(withoutWording)).toEqual(demo.findings.map(withoutWording));
    expect(summaryCounts(erp)).toEqual(summaryCounts(demo));
    expect(demo.summary.rejected).toBe(0);
    expect(erp.summary.rejected).toBe(0);
    expect(erp.rejected).toEqual([]);
    expect(erp.findings.length).toBeGreaterThan(0);
  });

  it("names the partners in Chinese in its messages, with no character lost in decoding", () => {
    const shipped = erp.findings.find((f) => f.eventIds.includes("O-1027"));
    expect(shipped, "the out-of-territory finding of O-1027 and O-1033").toBeDefined();
    expect(shipped?.message).toContain("南粤电子分销有限公司");
    expect(shipped?.message).toContain("钱塘数码供应链有限公司");
    expect(shipped?.message).not.toContain("Nanyue Electronics");
    const json = JSON.stringify(erp);
    expect(json).not.toContain("\uFFFD");
  });

  describe("the generator", () => {
    let out: string;
    beforeAll(() => {
      out = mkdtempSync(join(tmpdir(), "erp-zh-"));
    });
    afterAll(() => {
      rmSync(out, { recursive: true, force: true });
    });

    it("regenerates the committed fixture byte for byte", () => {
      const written = writeErpFixture(out).map((file) => file.path);
      const committed = filesUnder(ERP);
      expect(filesUnder(out)).toEqual(committed);
      expect([...written].sort()).toEqual(committed);
      for (const file of committed) {
        const fresh = readFileSync(join(out, file));
        const kept = readFileSync(join(ERP, file));
        expect(fresh.equals(kept), `${file} differs from what scripts/make-erp-fixture.ts writes`).toBe(true);
      }
    });

    it("writes the event exports in GB18030: their bytes are not UTF-8", () => {
      const eventFiles = buildErpFixture()
        .filter((file) => file.collection === "events")
        .map((file) => file.path);
      expect(eventFiles.length).toBeGreaterThan(1);
      for (const file of eventFiles) {
        const bytes = readFileSync(join(ERP, file));
        expect(isUtf8(bytes), `${file} must be GB18030, not UTF-8`).toBe(false);
        expect(new TextDecoder("gb18030", { fatal: true }).decode(bytes)).toContain("单据编号");
      }
    });
  });
});
