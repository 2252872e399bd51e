import type { Rule } from "./types.js";

/** Parameters every rule has, whatever its kind, with their defaults (the only place they are declared). */
export const GROUPING_PARAMS = [
  {
    name: "groupGapDays",
    default: 30,
    min: 0,
    description: "repeated violations of a rule on one key join one finding until the key has been quiet this many days",
  },
] as const;

/** A rule's `groupGapDays`: its own, else the default (rules built by hand may leave it out). */
export function groupGapDaysOf(rule: Pick<Rule, "params">): number {
  return rule.params.groupGapDays ?? GROUPING_PARAMS[0].default;
}
