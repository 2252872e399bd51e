import { formatAmount } from "../messages/numbers.js";
import type { Severity } from "../core/types.js";
import type { ScanReport } from "../findings/report.js";
import type { Finding } from "../findings/types.js";
import { printable } from "./printable.js";
import { formatRejection } from "../core/records.js";

/** How the table is laid out: terminal width and whether to colour severities. */
export interface TableOptions {
  readonly width?: number;
  readonly color?: boolean;
  /** Cut messages to the width (default true); a pipe or a file gets them whole. */
  readonly truncate?: boolean;
}

const COLORS: Readonly<Record<Severity, string>> = {
  critical: "\u001b[1;31m",
  high: "\u001b[31m",
  medium: "\u001b[33m",
  low: "\u001b[2m",
};
const RESET = "\u001b[0m";

function fit(text: string, width: number): string {
  const clean = printable(text).replace(/\s+/g, " ");
  if (clean.length <= width) return clean.padEnd(width);
  return `${clean.slice(0, Math.max(0, width - 1))}…`;
}

/** How many rejected records the table shows: enough to see what is wrong, not a listing. */
const SHOWN_REJECTIONS = 5;

/** A line of text from the data, made printable, cut to the width unless whole lines were asked for. */
function fitLine(text: string, width: number, truncate: boolean | undefined): string {
  return truncate === false ? printable(text) : fit(text, width).trimEnd();
}

/**
 * A table for a terminal: one row per finding (rank, score, severity, rule, partners) and the message
 * on an indented line below, truncated to the width; then the summary, the first rejected records
 * (file:line reason) and the warnings. Colour only when asked.
 */
export function formatTable(report: ScanReport, options: TableOptions = {}): string {
  const width = Math.max(60, options.width ?? 120);
  const lines: string[] = [];
  if (report.findings.length === 0) {
    lines.push("No conflicts found.");
  } else {
    const header = `${"#".padStart(4)}  ${"score".padStart(5)}  ${"severity".padEnd(8)}  ${"rule".padEnd(32)}  partners`;
    lines.push(header);
    lines.push("-".repeat(Math.min(width, 100)));
    for (const finding of report.findings) {
      const severity = finding.severity.padEnd(8);
      const shown = options.color ? `${COLORS[finding.severity]}${severity}${RESET}` : severity;
      const partnersWidth = Math.max(10, width - 4 - 2 - 5 - 2 - 8 - 2 - 32 - 2);
      lines.push(
        `${String(finding.rank).padStart(4)}  ${finding.score.toFixed(1).padStart(5)}  ${shown}  ${fit(finding.ruleId, 32)}  ${fit(finding.partners.join(", "), partnersWidth).trimEnd()}`,
      );
      lines.push(`      ${options.truncate === false ? printable(finding.message) : fit(finding.message, width - 6).trimEnd()}`);
      if (finding.sinceBaseline) lines.push(`      ${fitLine(sinceBaselineText(finding.sinceBaseline), width - 6, options.truncate)}`);
    }
  }
  if (report.partners && report.partners.length > 0) {
    lines.push("", "Partner scorecard:");
    for (const partner of report.partners) {
      const money = Object.entries(partner.amountAtStake).map(([currency, amount]) => formatAmount(amount, currency, "en")).join(", ");
      const text = `${partner.tier.padEnd(7)} ${partner.score.toFixed(1).padStart(5)}  ${partner.name ? `${partner.name} (${partner.id})` : partner.id}: ` +
        `${partner.findings} finding${partner.findings === 1 ? "" : "s"}, ${partner.repeatOffences} repeat${partner.repeatOffences === 1 ? "" : "s"}${money ? `, ${money} at stake` : ""}`;
      lines.push(`  ${fitLine(text, width - 2, options.truncate)}`);
    }
  }
  const s = report.summary;
  lines.push("");
  const severities = Object.entries(s.bySeverity)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
  lines.push(
    `${s.findings} finding${s.findings === 1 ? "" : "s"}${severities ? ` (${severities})` : ""} from ${s.events} events; ${s.rejected} event record${s.rejected === 1 ? "" : "s"} rejected.`,
  );
  if (s.baseline) lines.push(baselineLine(s.baseline));
  if (report.suppressed && report.suppressed.length > 0) {
    lines.push(`Suppressed: ${report.suppressed.length}:`);
    for (const hidden of report.suppressed) {
      lines.push(`  ${fitLine(`${hidden.ruleId} ${hidden.partners[0] ?? ""} (${hidden.fingerprint}): ${hidden.reason}${hidden.by ? ` — ${hidden.by}` : ""}`, width - 2, options.truncate)}`);
    }
  }
  const skipped = Object.entries(s.skipped);
  if (skipped.length > 0) lines.push(`Skipped checks: ${skipped.map(([reason, n]) => `${printable(reason)} (${n})`).join("; ")}.`);
  if (report.rejected.length > 0) {
    const shown = report.rejected.slice(0, SHOWN_REJECTIONS);
    const rest = report.rejected.length - shown.length;
    lines.push(`Rejected records: ${report.rejected.length}${rest > 0 ? ` (the first ${shown.length}; --format json lists them all)` : ""}:`);
    for (const rejection of shown) lines.push(`  ${fitLine(formatRejection(rejection), width - 2, options.truncate)}`);
    if (rest > 0) lines.push(`  …and ${rest} more.`);
  }
  for (const warning of s.warnings) lines.push(`Warning: ${fitLine(warning.message, width - 9, options.truncate)}`);
  return `${lines.join("\n")}\n`;
}

/** The baseline's line of the summary (table and markdown). */
export function baselineLine(baseline: NonNullable<ScanReport["summary"]["baseline"]>, strong = (text: string) => text): string {
  const worse = baseline.worse > 0 ? ` (${baseline.worse} of them known, with new occurrences)` : "";
  return `Baseline: ${strong(`${baseline.new} new`)}${worse}, ${baseline.known} known (left out), ${baseline.resolved} resolved.`;
}

/** What a known finding has beyond its baseline, in one line. */
export function sinceBaselineText(since: NonNullable<Finding["sinceBaseline"]>): string {
  const ids = since.eventIds.length > 0 ? `: ${since.eventIds.slice(0, 10).join(", ")}${since.eventIds.length > 10 ? ", …" : ""}` : "";
  return `New since the baseline: ${since.count} occurrence${since.count === 1 ? "" : "s"}${ids}`;
}
