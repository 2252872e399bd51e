import { round } from "../core/money.js";
import { SEVERITIES } from "../core/types.js";
import { CONFLICT_KINDS } from "../detectors/registry.js";
import type { ScanReport } from "../findings/report.js";
import type { PartnerScore } from "../findings/scorePartners.js";
import type { Lang } from "../messages/types.js";
import { printable } from "./printable.js";
import { baselineLine, evidenceList, moneyAtStake, partnerName, sinceBaselineText, skippedChecks } from "./formatTable.js";
import { reportLabels } from "./labels.js";
import { rejectionReason } from "../messages/rejections/renderRejection.js";

function cell(text: string): string {
  return printable(text).replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** Text inside a code span: printable, on one line, without the backticks that would end it. */
function code(text: string): string {
  return printable(text).replace(/`/g, "'").replace(/\r?\n/g, " ");
}

/** How many rejected records the summary lists: enough to see what is wrong, not a listing. */
const SHOWN_REJECTIONS = 10;

/** Options of `formatMarkdown`: how many findings to list, and the language of the labels. */
export interface MarkdownOptions {
  /** Findings listed (default 20); the scorecard counts them all. */
  readonly top?: number;
  /** The language of the labels (default `en`); messages are in the scan's language already. */
  readonly lang?: Lang;
}

/**
 * Markdown for CI job summaries and pull-request comments: a table of findings by kind and severity,
 * then the top findings, the partner scorecard, the skipped checks, the first rejected records and the warnings.
 */
export function formatMarkdown(report: ScanReport, options: MarkdownOptions = {}): string {
  const top = options.top ?? 20;
  const lang = options.lang ?? "en";
  const labels = reportLabels(lang);
  const s = report.summary;
  const out: string[] = [`## ${labels.reportTitle}`, ""];
  out.push(labels.markdownSummary(s.findings, s.events, s.rejected, (text) => `**${text}**`));
  if (s.baseline) out.push("", baselineLine(s.baseline, (text) => `**${text}**`, lang));
  if (report.suppressed && report.suppressed.length > 0) {
    const list = report.suppressed.map((hidden) => `\`${cell(hidden.ruleId)}\` ${cell(hidden.partners[0] ?? "")}${labels.colon}${cell(hidden.reason)}`).join(lang === "en" ? "; " : "；");
    out.push("", labels.suppressedLine(report.suppressed.length, list));
  }
  const severityCells = SEVERITIES.map((severity) => labels.severity[severity]);
  out.push("", `| ${labels.kindHeading} | ${severityCells.join(" | ")} | ${labels.total} |`, `|---|${SEVERITIES.map(() => "---:").join("|")}|---:|`);
  for (const kind of CONFLICT_KINDS) {
    const counts = SEVERITIES.map((severity) => report.findings.filter((f) => f.kind === kind && f.severity === severity).length);
    out.push(`| ${labels.kindCell[kind]} | ${counts.join(" | ")} | ${counts.reduce((a, b) => a + b, 0)} |`);
  }
  if (report.findings.length > 0) {
    const shown = report.findings.slice(0, top);
    out.push(
      "",
      `### ${labels.topFindings(shown.length)}`,
      "",
      `| ${labels.rank} | ${labels.score} | ${labels.severityHeading} | ${labels.rule} | ${labels.partners} | ${labels.message} | ${labels.evidence} |`,
      "|---:|---:|---|---|---|---|---|",
    );
    for (const f of shown) {
      const since = f.sinceBaseline ? ` ${sinceBaselineText(f.sinceBaseline, lang)}.` : "";
      const remediation = f.remediation ? `<br>**${cell(labels.remediation)}**${labels.colon}${cell(f.remediation)}` : "";
      const evidence = evidenceList(f.eventIds, lang, (id) => `\`${code(id)}\``);
      out.push(
        `| ${f.rank} | ${f.score.toFixed(1)} | ${labels.severity[f.severity]} | \`${cell(f.ruleId)}\` | ${cell(f.partners.join(", "))} | ${cell(f.message + since)}${remediation} | ${cell(evidence)} |`,
      );
    }
    if (report.findings.length > shown.length) out.push("", labels.andMore(report.findings.length - shown.length, true));
  }
  if (report.partners && report.partners.length > 0) out.push("", ...scorecardSection(report.partners, lang));
  const skipped = skippedChecks(report, lang);
  if (skipped.length > 0) {
    out.push("", `<details><summary>${labels.skippedChecks}</summary>`, "", ...skipped.map(([reason, n]) => `- ${cell(reason)}${labels.colon}${n}`), "", "</details>");
  }
  if (report.rejected.length > 0) {
    const shown = report.rejected.slice(0, SHOWN_REJECTIONS);
    const rest = report.rejected.length - shown.length;
    out.push(
      "",
      `<details><summary>${labels.rejectedSummary(report.rejected.length)}</summary>`,
      "",
      ...shown.map((r) => `- \`${code(`${r.file}:${r.line ?? (r.index !== undefined ? `[${r.index}]` : "?")}`)}\` ${cell(rejectionReason(r, lang))}`),
      ...(rest > 0 ? ["", labels.andMore(rest, true)] : []),
      "",
      "</details>",
    );
  }
  if (s.warnings.length > 0) {
    out.push("", `### ${labels.warnings}`, "", ...s.warnings.map((w) => `- ${cell(w.message)}`));
  }
  return `${out.join("\n")}\n`;
}

/**
 * The partner scorecard as a markdown table: one row per partner (sorted as the report sorts them), then
 * the total, which is the report's findings and their repeat offences and money at stake.
 */
function scorecardSection(partners: readonly PartnerScore[], lang: Lang): string[] {
  const labels = reportLabels(lang);
  const total = { findings: 0, repeats: 0, money: {} as Record<string, number> };
  const rows = partners.map((partner) => {
    total.findings += partner.findings;
    total.repeats += partner.repeatOffences;
    for (const [currency, amount] of Object.entries(partner.amountAtStake)) total.money[currency] = (total.money[currency] ?? 0) + amount;
    return `| ${cell(partnerName(partner, lang))} | ${labels.tier[partner.tier]} | ${partner.score.toFixed(1)} | ${partner.findings} | ${partner.repeatOffences} | ${cell(moneyAtStake(partner.amountAtStake, lang))} |`;
  });
  const money = Object.fromEntries(Object.keys(total.money).sort().map((c) => [c, round(total.money[c] as number, 2)]));
  return [
    `### ${labels.scorecard}`,
    "",
    `| ${labels.partner} | ${labels.tierHeading} | ${labels.score} | ${labels.findings} | ${labels.repeatOffences} | ${labels.amountAtStake} |`,
    "|---|---|---:|---:|---:|---:|",
    ...rows,
    `| **${labels.total}** | | | **${total.findings}** | **${total.repeats}** | ${cell(moneyAtStake(money, lang))} |`,
  ];
}
