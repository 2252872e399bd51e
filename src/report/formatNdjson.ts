import type { Finding } from "../findings/types.js";

/** One finding as one NDJSON line. */
export function formatNdjsonLine(finding: Finding): string {
  return `${JSON.stringify(finding)}\n`;
}

/** Findings as NDJSON: one per line, nothing else. */
export function formatNdjson(findings: readonly Finding[]): string {
  return findings.map(formatNdjsonLine).join("");
}
