import { compareSeverity } from "../core/types.js";
import type { ScanReport } from "../findings/report.js";
import type { RenderContext } from "./context.js";
import { escapeXml } from "./xml.js";

/**
 * JUnit XML for CI dashboards: one test case per rule that ran; each finding at or above
 * `failOn` is a failure of its rule's case (findings below it are listed in `system-out`).
 */
export function formatJunit(report: ScanReport, context: RenderContext): string {
  const failing = (severity: Parameters<typeof compareSeverity>[0]) =>
    context.failOn !== undefined && compareSeverity(severity, context.failOn) >= 0;
  const rules = context.rules.filter((rule) => rule.enabled);
  const cases: string[] = [];
  let failures = 0;
  for (const rule of rules) {
    const findings = report.findings.filter((f) => f.ruleId === rule.id);
    const failed = findings.filter((f) => failing(f.severity));
    const passed = findings.filter((f) => !failing(f.severity));
    failures += failed.length;
    const body: string[] = [];
    for (const f of failed) {
      body.push(
        `      <failure message="${escapeXml(f.message)}" type="${escapeXml(`${f.kind}/${f.severity}`)}">${escapeXml(
          [`finding ${f.id} (rank ${f.rank}, score ${f.score})`, `partners: ${f.partners.join(", ")}`, `events: ${f.eventIds.join(", ")}`, f.remediation ?? ""]
            .filter(Boolean)
            .join("\n"),
        )}</failure>`,
      );
    }
    if (passed.length > 0) {
      body.push(`      <system-out>${escapeXml(passed.map((f) => `${f.severity}: ${f.message}`).join("\n"))}</system-out>`);
    }
    const open = `    <testcase classname="${escapeXml(`channel-conflict.${rule.kind}`)}" name="${escapeXml(rule.id)}" time="0"`;
    cases.push(body.length === 0 ? `${open}/>` : `${open}>\n${body.join("\n")}\n    </testcase>`);
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="channel-conflict" tests="${rules.length}" failures="${failures}" errors="0" time="0">\n` +
    `  <testsuite name="${escapeXml(context.dataset)}" tests="${rules.length}" failures="${failures}" errors="0" skipped="0" time="0">\n` +
    `${cases.join("\n")}${cases.length ? "\n" : ""}` +
    `  </testsuite>\n</testsuites>\n`
  );
}
