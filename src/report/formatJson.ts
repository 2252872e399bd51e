import type { ScanReport } from "../findings/report.js";

/** The report as one JSON object (CONTRACT §6), pretty-printed, ending in a newline. */
export function formatJson(report: ScanReport): string {
  return `${JSON.stringify({ findings: report.findings, summary: report.summary, rejected: report.rejected }, null, 2)}\n`;
}
