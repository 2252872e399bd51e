import { SEVERITIES } from "../core/types.js";
import { CONFLICT_KINDS } from "../detectors/registry.js";
import type { ScanReport } from "../findings/report.js";
import { printable } from "./printable.js";
import { baselineLine, sinceBaselineText } from "./formatTable.js";

function cell(text: string): string {
  return printable(text).replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** Text inside a code span: printable, on one line, without the backticks that would end it. */
function code(text: string): string {
  return printable(text).replace(/`/g, "'").replace(/\r?\n/g, " ");
}

/** How many rejected records the summary lists: enough to see what is wrong, not a listing. */
const SHOWN_REJECTIONS = 10;

/**
 * Markdown for CI job summaries and pull-request comments: a table of findings by kind and severity,
 * then the top findings, the first rejected records and the warnings.
 */
export function formatMarkdown(report: ScanReport, options: { top?: number } = {}): string {
  const top = options.top ?? 20;
  const s = report.summary;
  const out: string[] = ["## channel-conflict", ""];
  out.push(
    `**${s.findings} finding${s.findings === 1 ? "" : "s"}** from ${s.events} events` +
      `${s.rejected > 0 ? `, ${s.rejected} event records rejected` : ""}.`,
  );
  if (s.baseline) out.push("", baselineLine(s.baseline, (text) => `**${text}**`));
  if (report.suppressed && report.suppressed.length > 0) {
    out.push("", `Suppressed: ${report.suppressed.length} (${report.suppressed.map((hidden) => `\`${cell(hidden.ruleId)}\` ${cell(hidden.partners[0] ?? "")}: ${cell(hidden.reason)}`).join("; ")}).`);
  }
  out.push("", `| kind | ${SEVERITIES.join(" | ")} | total |`, `|---|${SEVERITIES.map(() => "---:").join("|")}|---:|`);
  for (const kind of CONFLICT_KINDS) {
    const counts = SEVERITIES.map((severity) => report.findings.filter((f) => f.kind === kind && f.severity === severity).length);
    out.push(`| ${kind} | ${counts.join(" | ")} | ${counts.reduce((a, b) => a + b, 0)} |`);
  }
  if (report.findings.length > 0) {
    const shown = report.findings.slice(0, top);
    out.push("", `### Top ${shown.length} finding${shown.length === 1 ? "" : "s"}`, "", "| # | score | severity | rule | partners | what happened |", "|---:|---:|---|---|---|---|");
    for (const f of shown) {
      const since = f.sinceBaseline ? ` ${sinceBaselineText(f.sinceBaseline)}.` : "";
      out.push(`| ${f.rank} | ${f.score.toFixed(1)} | ${f.severity} | \`${cell(f.ruleId)}\` | ${cell(f.partners.join(", "))} | ${cell(f.message + since)} |`);
    }
    if (report.findings.length > shown.length) out.push("", `…and ${report.findings.length - shown.length} more (see the JSON report).`);
  }
  const skipped = Object.entries(s.skipped);
  if (skipped.length > 0) {
    out.push("", "<details><summary>Skipped checks</summary>", "", ...skipped.map(([reason, n]) => `- ${cell(reason)}: ${n}`), "", "</details>");
  }
  if (report.rejected.length > 0) {
    const shown = report.rejected.slice(0, SHOWN_REJECTIONS);
    const rest = report.rejected.length - shown.length;
    out.push(
      "",
      `<details><summary>Rejected records (${report.rejected.length})</summary>`,
      "",
      ...shown.map((r) => `- \`${code(`${r.file}:${r.line ?? (r.index !== undefined ? `[${r.index}]` : "?")}`)}\` ${cell(r.reason)}`),
      ...(rest > 0 ? ["", `…and ${rest} more (see the JSON report).`] : []),
      "",
      "</details>",
    );
  }
  if (s.warnings.length > 0) {
    out.push("", "### Warnings", "", ...s.warnings.map((w) => `- ${cell(w.message)}`));
  }
  return `${out.join("\n")}\n`;
}
