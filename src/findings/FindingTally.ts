import { SEVERITIES } from "../core/types.js";
import { CONFLICT_KINDS } from "../detectors/registry.js";
import type { Finding } from "./types.js";

/** Counts findings by severity and kind as they go by, without keeping them. */
export class FindingTally {
  total = 0;
  readonly bySeverity: Record<string, number> = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  readonly byKind: Record<string, number> = Object.fromEntries(CONFLICT_KINDS.map((k) => [k, 0]));

  add(finding: Pick<Finding, "severity" | "kind">): void {
    this.total++;
    this.bySeverity[finding.severity] = (this.bySeverity[finding.severity] ?? 0) + 1;
    this.byKind[finding.kind] = (this.byKind[finding.kind] ?? 0) + 1;
  }

  static of(findings: Iterable<Pick<Finding, "severity" | "kind">>): FindingTally {
    const tally = new FindingTally();
    for (const finding of findings) tally.add(finding);
    return tally;
  }
}
