import { compareSeverity } from "../core/types.js";
import type { Finding } from "../findings/types.js";
import type { ScanReport } from "../findings/report.js";
import type { RenderContext } from "./context.js";
import { escapeXml } from "./xml.js";
import { reportLabels, type ReportLabels } from "./labels.js";

/** The JUnit body's labels: English as before (`partners`, `events`, `refs`), else the report labels. */
function bodyLabels(labels: ReportLabels, lang: string): { partners: string; events: string; refs: string; remediation: string } {
  return lang === "en"
    ? { partners: "partners", events: "events", refs: "refs", remediation: "remediation" }
    : { partners: labels.partners, events: labels.evidence, refs: labels.refs, remediation: labels.remediation };
}

/** One finding as lines of a failure body or of `system-out`. */
function findingText(f: Finding, labels: ReportLabels, lang: string): string {
  const body = bodyLabels(labels, lang);
  const label = (name: string) => `  ${name}${labels.colon}`;
  return [
    `${labels.severityTag(f.severity)}${f.message}`,
    `  ${labels.findingLine(f.id, f.rank, f.score)}`,
    f.partners.length > 0 ? `${label(body.partners)}${f.partners.join(", ")}` : "",
    f.eventIds.length > 0 ? `${label(body.events)}${f.eventIds.join(", ")}` : "",
    f.refs.length > 0 ? `${label(body.refs)}${f.refs.map((r) => `${labels.recordType[r.type] ?? r.type} ${r.id}`).join(", ")}` : "",
    f.remediation ? `${label(body.remediation)}${f.remediation}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

/**
 * JUnit XML for CI dashboards (the Jenkins/Surefire schema): one test case per enabled rule, so `tests` is
 * the number of rules that ran. A rule with findings at or above `failOn` fails: its case has one `failure`
 * whose body lists those findings, so `failures` counts failing rules and never exceeds `tests`. Findings
 * below `failOn` (all of them without it) are listed in the case's `system-out`.
 */
export function formatJunit(report: ScanReport, context: RenderContext): string {
  const lang = context.lang ?? "en";
  const labels = reportLabels(lang);
  const text = (f: Finding) => findingText(f, labels, lang);
  const failing = (f: Finding) => context.failOn !== undefined && compareSeverity(f.severity, context.failOn) >= 0;
  const rules = context.rules.filter((rule) => rule.enabled);
  const cases: string[] = [];
  let failures = 0;
  for (const rule of rules) {
    const findings = report.findings.filter((f) => f.ruleId === rule.id);
    const failed = findings.filter(failing);
    const passed = findings.filter((f) => !failing(f));
    const body: string[] = [];
    if (failed.length > 0) {
      failures++;
      const worst = failed.reduce((a, b) => (compareSeverity(b.severity, a.severity) > 0 ? b : a));
      const message = labels.failureMessage(failed.length, context.failOn ?? "", failed[0]?.message ?? "");
      body.push(
        `      <failure message="${escapeXml(message)}" type="${escapeXml(`${rule.kind}/${worst.severity}`)}">${escapeXml(
          failed.map(text).join("\n\n"),
        )}</failure>`,
      );
    }
    if (passed.length > 0) body.push(`      <system-out>${escapeXml(passed.map(text).join("\n\n"))}</system-out>`);
    const open = `    <testcase name="${escapeXml(rule.id)}" classname="${escapeXml(`channel-conflict.${rule.kind}`)}" time="0"`;
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
