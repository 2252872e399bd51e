import { FindingTally } from "./FindingTally.js";
import type { ScanReport, ScanSummary } from "./report.js";
import type { Finding } from "./types.js";
import { partnerInfoOf, scorePartners } from "./scorePartners.js";

/** Sorts findings by score (highest first), ties by id, and numbers their ranks from 1. */
export function rankFindings(findings: readonly Finding[]): Finding[] {
  return [...findings]
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((finding, i) => ({ ...finding, rank: i + 1 }));
}

/**
 * `report` with `kept` (some of its findings) in place of its findings, ranked again, and the summary's
 * counts of findings made over them, with `summary` added: what the steps after a scan that leave findings
 * out (baselines, suppressions) return.
 */
export function withFindings(report: ScanReport, kept: readonly Finding[], summary: Partial<ScanSummary>): ScanReport {
  const findings = rankFindings(kept);
  const tally = FindingTally.of(findings);
  return {
    ...report,
    findings,
    summary: { ...report.summary, findings: tally.total, bySeverity: tally.bySeverity, byKind: tally.byKind, ...summary },
    // The scorecard counts the findings kept, by the policy the scan scored by (the report carries it).
    ...(report.partners !== undefined ? { partners: scorePartners(findings, partnerInfoOf(report.partners), report.scorecard) } : {}),
  };
}
