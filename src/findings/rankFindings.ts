import type { Finding } from "./types.js";

/** Sorts findings by score (highest first), ties by id, and numbers their ranks from 1. */
export function rankFindings(findings: readonly Finding[]): Finding[] {
  return [...findings]
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((finding, i) => ({ ...finding, rank: i + 1 }));
}
