import { FindingTally } from "./FindingTally.js";
import { rankFindings } from "./rankFindings.js";
import type { ScanReport } from "./report.js";

/**
 * Suppresses findings already known from a baseline (by id) and re-ranks the rest; the summary says
 * how many are new, known, and resolved (in the baseline but found no more).
 */
export function applyBaseline(report: ScanReport, baselineIds: ReadonlySet<string>): ScanReport {
  const current = new Set(report.findings.map((f) => f.id));
  const fresh = report.findings.filter((f) => !baselineIds.has(f.id));
  const known = report.findings.length - fresh.length;
  let resolved = 0;
  for (const id of baselineIds) if (!current.has(id)) resolved++;
  const findings = rankFindings(fresh);
  const tally = FindingTally.of(findings);
  return {
    findings,
    summary: {
      ...report.summary,
      findings: tally.total,
      bySeverity: tally.bySeverity,
      byKind: tally.byKind,
      baseline: { new: fresh.length, known, resolved },
    },
    rejected: report.rejected,
  };
}
