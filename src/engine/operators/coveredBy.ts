import type { RegionTree } from "../../reference/regionTree.js";

/**
 * `coveredBy`: the fact (a region code) lies in the value's region or one of its descendants.
 * The value may be one code or a list of codes (any of them).
 * @example { "fact": "destination", "operator": "coveredBy", "value": ["CN-GD", "CN-ZJ"] }
 */
export function coveredBy(regions: RegionTree) {
  return (factValue: unknown, jsonValue: unknown): boolean => {
    if (typeof factValue !== "string") return false;
    const targets = Array.isArray(jsonValue) ? jsonValue : [jsonValue];
    return targets.some((target) => typeof target === "string" && regions.covers(target, factValue));
  };
}
