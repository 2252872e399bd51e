import { FindingTally } from "./FindingTally.js";
import type { ScanSummary } from "./report.js";
import type { Finding } from "./types.js";

/** The summary of a scan from its findings (or their tally) and its counts. */
export function summarize(
  findings: Iterable<Pick<Finding, "severity" | "kind">> | FindingTally,
  base: Pick<ScanSummary, "events" | "rejected" | "skipped" | "skippedByCode" | "records" | "warnings">,
): ScanSummary {
  const tally = findings instanceof FindingTally ? findings : FindingTally.of(findings);
  return {
    events: base.events,
    rejected: base.rejected,
    findings: tally.total,
    bySeverity: tally.bySeverity,
    byKind: tally.byKind,
    skipped: base.skipped,
    skippedByCode: base.skippedByCode,
    records: base.records,
    warnings: base.warnings,
  };
}
