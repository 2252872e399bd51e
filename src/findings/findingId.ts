import { createHash } from "node:crypto";

/** A stable finding id: a hash of the rule, the kind, the grouped key and when the group began. */
export function findingId(ruleId: string, kind: string, key: string, firstAt: number): string {
  return createHash("sha256").update(JSON.stringify([ruleId, kind, key, firstAt])).digest("hex").slice(0, 16);
}
