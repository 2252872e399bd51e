import { sortWarnings, type ScanWarning } from "../core/warnings.js";
import { withFindings } from "./rankFindings.js";
import type { ScanReport, SuppressedFinding } from "./report.js";
import type { Finding } from "./types.js";
import type { Suppression } from "../schema/suppressions.js";

export type { Suppression } from "../schema/suppressions.js";

/** Where the suppressions came from, for the warnings about expired entries (`suppressions.yaml`). */
export interface SuppressionOptions {
  /** The file the entries were read from, named in warnings (default `suppressions`). */
  readonly source?: string;
  /** Today, for expiry (default: the current date; a test or a replay gives a fixed one). */
  readonly now?: Date;
}

function matches(entry: Suppression, finding: Finding): boolean {
  if (entry.fingerprint !== undefined) return entry.fingerprint === finding.fingerprint;
  return entry.ruleId === finding.ruleId && entry.partnerId === finding.partners[0];
}

function describe(entry: Suppression, index: number): string {
  const what = entry.fingerprint !== undefined ? `fingerprint ${entry.fingerprint}` : `rule ${entry.ruleId}, partner ${entry.partnerId}`;
  return `entry ${index + 1} (${what})`;
}

/**
 * Hides the findings an active suppression matches (CONTRACT §5): they leave the findings (and `--fail-on`)
 * and are listed under `suppressed` with the entry's reason. An entry whose `expires` day has come hides
 * nothing and is named in a warning (`suppression_expired`), as is an active entry that matched no finding
 * (`suppression_unused`), so stale entries do not pile up. The findings left are ranked again.
 */
export function applySuppressions(report: ScanReport, suppressions: readonly Suppression[], options: SuppressionOptions = {}): ScanReport {
  const source = options.source ?? "suppressions";
  const today = (options.now ?? new Date()).toISOString().slice(0, 10);
  const warnings: ScanWarning[] = [];
  const active: Array<{ entry: Suppression; index: number; used: boolean }> = [];
  suppressions.forEach((entry, index) => {
    if (entry.expires !== undefined && entry.expires <= today) {
      warnings.push({
        code: "suppression_expired",
        file: source,
        message: `${source}: ${describe(entry, index)} expired on ${entry.expires}; it hides nothing now — renew it with a reason or remove it`,
      });
    } else {
      active.push({ entry, index, used: false });
    }
  });
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of report.findings) {
    const hit = active.find((candidate) => matches(candidate.entry, finding));
    if (!hit) {
      kept.push(finding);
      continue;
    }
    hit.used = true;
    const { entry } = hit;
    suppressed.push({
      id: finding.id,
      fingerprint: finding.fingerprint,
      ruleId: finding.ruleId,
      severity: finding.severity,
      partners: finding.partners,
      message: finding.message,
      reason: entry.reason,
      ...(entry.by !== undefined ? { by: entry.by } : {}),
      ...(entry.expires !== undefined ? { expires: entry.expires } : {}),
    });
  }
  for (const { entry, index, used } of active) {
    if (!used) warnings.push({ code: "suppression_unused", file: source, message: `${source}: ${describe(entry, index)} matches no finding` });
  }
  return {
    ...withFindings(report, kept, {
      warnings: sortWarnings([...report.summary.warnings, ...warnings]),
      suppressions: { suppressed: suppressed.length, expired: suppressions.length - active.length },
    }),
    suppressed: [...(report.suppressed ?? []), ...suppressed],
  };
}
