import { formatAmount } from "../messages/numbers.js";
import type { Lang, NamedRecord } from "../messages/types.js";
import { wordsFor } from "../messages/wordsFor.js";
import { UTC_ZONE } from "../core/zonedTime.js";
import { skipKey, skipKind, skipText } from "../detectors/skipReasons.js";
import { cutDisplay, displayWidth, padDisplay } from "./displayWidth.js";
import { reportLabels, type ReportLabels } from "./labels.js";
import type { Severity } from "../core/types.js";
import type { ScanReport } from "../findings/report.js";
import type { Finding } from "../findings/types.js";
import { printable } from "./printable.js";
import { formatRejection } from "../messages/rejections/renderRejection.js";

/** How the table is laid out: terminal width and whether to colour severities. */
export interface TableOptions {
  readonly width?: number;
  readonly color?: boolean;
  /** Cut messages to the width (default true); a pipe or a file gets them whole. */
  readonly truncate?: boolean;
  /** The language of the labels (default `en`); messages are in the scan's language already. */
  readonly lang?: Lang;
}

const COLORS: Readonly<Record<Severity, string>> = {
  critical: "\u001b[1;31m",
  high: "\u001b[31m",
  medium: "\u001b[33m",
  low: "\u001b[2m",
};
const RESET = "\u001b[0m";

function fit(text: string, width: number): string {
  return padDisplay(cutDisplay(printable(text).replace(/\s+/g, " "), width), width);
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
  const lang = options.lang ?? "en";
  const labels = reportLabels(lang);
  const lines: string[] = [];
  if (report.findings.length === 0) {
    lines.push(labels.noConflicts);
  } else {
    const header = `${padDisplay(labels.rank, 4, true)}  ${padDisplay(labels.score, 5, true)}  ${padDisplay(labels.severityHeading, 8)}  ${padDisplay(labels.rule, 32)}  ${labels.partners}`;
    lines.push(header);
    lines.push("-".repeat(Math.min(width, 100)));
    for (const finding of report.findings) {
      const severity = padDisplay(labels.severity[finding.severity], 8);
      const shown = options.color ? `${COLORS[finding.severity]}${severity}${RESET}` : severity;
      const partnersWidth = Math.max(10, width - 4 - 2 - 5 - 2 - 8 - 2 - 32 - 2);
      lines.push(
        `${String(finding.rank).padStart(4)}  ${finding.score.toFixed(1).padStart(5)}  ${shown}  ${fit(finding.ruleId, 32)}  ${fit(finding.partners.join(", "), partnersWidth).trimEnd()}`,
      );
      lines.push(`      ${options.truncate === false ? printable(finding.message) : fit(finding.message, width - 6).trimEnd()}`);
      if (finding.sinceBaseline) lines.push(`      ${fitLine(sinceBaselineText(finding.sinceBaseline, lang), width - 6, options.truncate)}`);
      if (finding.remediation) lines.push(`      ${fitLine(`${labels.remediation}${labels.colon}${finding.remediation}`, width - 6, options.truncate)}`);
      if (finding.eventIds.length > 0) lines.push(`      ${fitLine(`${labels.evidence}${labels.colon}${evidenceList(finding.eventIds, lang)}`, width - 6, options.truncate)}`);
    }
  }
  if (report.partners && report.partners.length > 0) {
    lines.push("", `${labels.scorecard}${labels.colon.trimEnd()}`);
    const tierWidth = Math.max(...Object.values(labels.tier).map(displayWidth));
    for (const partner of report.partners) {
      const money = moneyAtStake(partner.amountAtStake, lang);
      const text = `${padDisplay(labels.tier[partner.tier], tierWidth)} ${partner.score.toFixed(1).padStart(5)}  ${partnerName(partner, lang)}${labels.colon}` +
        labels.scorecardLine(partner.findings, partner.repeatOffences, money);
      lines.push(`  ${fitLine(text, width - 2, options.truncate)}`);
    }
  }
  const s = report.summary;
  lines.push("");
  const severities = Object.entries(s.bySeverity)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => labels.severityCount(n, k as Severity))
    .join(labels.comma);
  lines.push(labels.summaryLine(s.findings, severities, s.events, s.rejected));
  if (s.baseline) lines.push(baselineLine(s.baseline, undefined, lang));
  if (report.suppressed && report.suppressed.length > 0) {
    lines.push(labels.suppressedHeading(report.suppressed.length));
    for (const hidden of report.suppressed) {
      lines.push(`  ${fitLine(`${hidden.ruleId} ${hidden.partners[0] ?? ""} (${hidden.fingerprint}): ${hidden.reason}${hidden.by ? ` — ${hidden.by}` : ""}`, width - 2, options.truncate)}`);
    }
  }
  const skipped = skippedChecks(report, lang);
  if (skipped.length > 0) lines.push(labels.skippedLine(skipped.map(([text, n]) => labels.skippedItem(printable(text), n)).join(lang === "en" ? "; " : "；")));
  if (report.rejected.length > 0) {
    const shown = report.rejected.slice(0, SHOWN_REJECTIONS);
    const rest = report.rejected.length - shown.length;
    lines.push(labels.rejectedHeading(report.rejected.length, rest > 0 ? shown.length : undefined));
    for (const rejection of shown) lines.push(`  ${fitLine(formatRejection(rejection, lang), width - 2, options.truncate)}`);
    if (rest > 0) lines.push(`  ${labels.andMore(rest, false)}`);
  }
  for (const warning of s.warnings) lines.push(`${labels.warningPrefix}${fitLine(warning.message, width - 9, options.truncate)}`);
  return `${lines.join("\n")}\n`;
}

/** How many evidence event ids table and markdown list for a finding before "…and N more" (the JSON has them all). */
const SHOWN_EVIDENCE = 5;

/** A finding's first evidence event ids (the orders and sales to ask about), and how many more there are. */
export function evidenceList(eventIds: readonly string[], lang: Lang, wrap: (id: string) => string = printable): string {
  const shown = eventIds.slice(0, SHOWN_EVIDENCE).map(wrap).join(lang === "en" ? ", " : "、");
  const rest = eventIds.length - SHOWN_EVIDENCE;
  return rest > 0 ? `${shown} ${reportLabels(lang).andMore(rest, false)}` : shown;
}

/** A scorecard partner as reports name it: `Name (id)` (`名称（编号）` in Chinese), or the id — as messages name them. */
export function partnerName(partner: NamedRecord, lang: Lang): string {
  return wordsFor(lang, UTC_ZONE).named(partner);
}

/** Money at stake per currency, formatted and listed (never converted). */
export function moneyAtStake(amounts: Readonly<Record<string, number>>, lang: Lang): string {
  return Object.entries(amounts)
    .map(([currency, amount]) => formatAmount(amount, currency, lang))
    .join(reportLabels(lang).comma);
}

/**
 * The skipped checks of a report, as `[text, count]` in the report's language: `summary.skipped` as it is in
 * English (its keys are the English texts), else each code of `summary.skippedByCode` as
 * `<kind name>：<text>`, in the order of the English keys.
 */
export function skippedChecks(report: ScanReport, lang: Lang): Array<readonly [string, number]> {
  const byCode = report.summary.skippedByCode as ScanReport["summary"]["skippedByCode"] | undefined;
  if (lang === "en" || byCode === undefined) return Object.entries(report.summary.skipped);
  const labels: ReportLabels = reportLabels(lang);
  const kindName = (kind: string) => (labels.kind as Readonly<Record<string, string>>)[kind] ?? kind;
  return Object.entries(byCode)
    .map(([code, n]) => [`${kindName(skipKind(code))}${labels.colon}${skipText(code, lang)}`, n, skipKey(code)] as const)
    .sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0))
    .map(([text, n]) => [text, n] as const);
}

/** The baseline's line of the summary (table and markdown). */
export function baselineLine(baseline: NonNullable<ScanReport["summary"]["baseline"]>, strong = (text: string) => text, lang: Lang = "en"): string {
  return reportLabels(lang).baselineLine(baseline, strong);
}

/** What a known finding has beyond its baseline, in one line. */
export function sinceBaselineText(since: NonNullable<Finding["sinceBaseline"]>, lang: Lang = "en"): string {
  const ids = since.eventIds.length > 0 ? `${since.eventIds.slice(0, 10).join(", ")}${since.eventIds.length > 10 ? ", …" : ""}` : "";
  return reportLabels(lang).sinceBaseline(since.count, ids);
}
