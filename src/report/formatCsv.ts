import type { ScanReport } from "../findings/report.js";
import type { Finding } from "../findings/types.js";

/** The columns, named as the JSON fields are: the same in every language, so a sheet's formulas keep working. */
const COLUMNS = [
  "id", "fingerprint", "rank", "score", "severity", "kind", "ruleId", "partners", "title", "message",
  "remediation", "count", "firstSeen", "lastSeen", "eventIds",
] as const;

/**
 * One cell: always quoted (RFC 4180, `"` doubled), so commas, quotes and line breaks in messages never
 * shift a column; a text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so a spreadsheet
 * shows it instead of running it as a formula (numbers are written as they are).
 */
function cell(value: string | number): string {
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

function row(finding: Finding): string {
  const values: Record<(typeof COLUMNS)[number], string | number> = {
    id: finding.id,
    fingerprint: finding.fingerprint,
    rank: finding.rank,
    score: finding.score,
    severity: finding.severity,
    kind: finding.kind,
    ruleId: finding.ruleId,
    partners: finding.partners.join("|"),
    title: finding.title,
    message: finding.message,
    remediation: finding.remediation ?? "",
    count: finding.count,
    firstSeen: finding.firstSeen,
    lastSeen: finding.lastSeen,
    eventIds: finding.eventIds.join("|"),
  };
  return COLUMNS.map((column) => cell(values[column])).join(",");
}

/**
 * The findings as CSV for Excel: a header row and one row per finding in rank order, UTF-8 with a BOM
 * (without it Excel reads Chinese text as mojibake), CRLF line ends, every text cell quoted; list cells
 * (partners, eventIds) separate items with `|`, as dataset CSV does.
 */
export function formatCsv(report: ScanReport): string {
  const lines = [COLUMNS.map((c) => cell(c)).join(","), ...report.findings.map(row)];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
