import type { ScanReport } from "../findings/report.js";

/** The report as one JSON object (CONTRACT §6), pretty-printed, ending in a newline; `suppressed` when suppressions were given. */
export function formatJson(report: ScanReport): string {
  const { findings, summary, rejected, suppressed } = report;
  return `${JSON.stringify({ findings, summary, rejected, ...(suppressed ? { suppressed } : {}) }, null, 2)}\n`;
}
