import { createHash } from "node:crypto";

/** A stable finding id: a hash of the rule, the kind, the grouped key and when the group began. */
export function findingId(ruleId: string, kind: string, key: string, firstAt: number): string {
  return createHash("sha256").update(JSON.stringify([ruleId, kind, key, firstAt])).digest("hex").slice(0, 16);
}

/**
 * A finding's fingerprint: a hash of the rule, the kind and the grouped key (who, what, where), never a
 * time, so data added before or after a finding never changes it. Two findings of one key at times more
 * than the rule's `groupGapDays` apart share it (and differ in `id`).
 */
export function findingFingerprint(ruleId: string, kind: string, key: string): string {
  return createHash("sha256").update(JSON.stringify(["fingerprint", ruleId, kind, key])).digest("hex").slice(0, 16);
}
