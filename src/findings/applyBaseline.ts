import { withFindings } from "./rankFindings.js";
import type { ScanReport } from "./report.js";
import type { Finding } from "./types.js";

/** What a baseline keeps of each finding: a previous report's findings (`--format json`) have all of it. */
export interface BaselineFinding {
  readonly fingerprint: string;
  readonly eventIds: readonly string[];
  readonly count: number;
  readonly lastSeen: string;
}

/** A baseline: the findings of an earlier report of the same data (a `ScanReport` is one). */
export interface Baseline {
  readonly findings: readonly BaselineFinding[];
}

/** What the baseline knew of one fingerprint, its findings taken together. */
interface Known {
  readonly eventIds: Set<string>;
  count: number;
  lastSeen: string;
}

/**
 * Compares a report with a baseline by fingerprint and occurrence (CONTRACT §6):
 * - a finding whose fingerprint the baseline has, and none of whose occurrences is later than the last the
 *   baseline saw of it, is `known` and left out (data added before that — a backfill, a late file — changes
 *   nothing);
 * - a finding whose fingerprint the baseline lacks is `new`, and so is a known one with occurrences after the
 *   baseline's last: it stays, with `sinceBaseline` listing its evidence events the baseline did not have and
 *   counting its occurrences beyond the baseline's, and counts for `--fail-on`;
 * - a fingerprint of the baseline that no finding has any more is `resolved`.
 * The findings left are ranked again; the summary says how many are new (`worse`: those of them the baseline
 * knew), known and resolved.
 */
export function applyBaseline(report: ScanReport, baseline: Baseline): ScanReport {
  const known = new Map<string, Known>();
  for (const finding of baseline.findings) {
    const entry = known.get(finding.fingerprint);
    if (entry) {
      for (const id of finding.eventIds) entry.eventIds.add(id);
      entry.count += finding.count;
      if (finding.lastSeen > entry.lastSeen) entry.lastSeen = finding.lastSeen;
    } else {
      known.set(finding.fingerprint, { eventIds: new Set(finding.eventIds), count: finding.count, lastSeen: finding.lastSeen });
    }
  }
  const kept: Finding[] = [];
  let knownCount = 0;
  let worse = 0;
  const current = new Set<string>();
  // Several findings of one fingerprint (one key, far apart in time) are compared with the baseline together.
  const byFingerprint = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    current.add(finding.fingerprint);
    const list = byFingerprint.get(finding.fingerprint);
    if (list) list.push(finding);
    else byFingerprint.set(finding.fingerprint, [finding]);
  }
  for (const finding of report.findings) {
    const before = known.get(finding.fingerprint);
    if (!before) {
      kept.push(finding);
      continue;
    }
    // ISO 8601 UTC strings of one shape compare as their instants.
    if (finding.lastSeen <= before.lastSeen) {
      knownCount++;
      continue;
    }
    worse++;
    const total = (byFingerprint.get(finding.fingerprint) ?? []).reduce((sum, f) => sum + f.count, 0);
    kept.push({
      ...finding,
      sinceBaseline: {
        count: Math.max(1, total - before.count),
        eventIds: finding.eventIds.filter((id) => !before.eventIds.has(id)),
      },
    });
  }
  let resolved = 0;
  for (const fingerprint of known.keys()) if (!current.has(fingerprint)) resolved++;
  return withFindings(report, kept, { baseline: { new: kept.length, worse, known: knownCount, resolved } });
}
