import type { ScanReport } from "../findings/report.js";

/** The report as one JSON object (CONTRACT §6), pretty-printed, ending in a newline; `partners` (the scorecard) when the scan made it, `suppressed` when suppressions were given. */
export function formatJson(report: ScanReport): string {
  const { findings, summary, rejected, partners, suppressed } = report;
  return `${JSON.stringify({ findings, summary, rejected, ...(partners ? { partners } : {}), ...(suppressed ? { suppressed } : {}) }, null, 2)}\n`;
}
