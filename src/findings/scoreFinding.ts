import { round } from "../core/money.js";
import type { Severity } from "../core/types.js";

/** The parts a score is made of, each bounded; they add up to the score (capped at 100). */
export interface ScoreParts {
  readonly severity: number;
  readonly magnitude: number;
  readonly money: number;
  readonly repeats: number;
}

const SEVERITY_BASE: Readonly<Record<Severity, number>> = { low: 10, medium: 30, high: 50, critical: 70 };

/**
 * Scores a finding from 0 to 100: severity sets the band (10/30/50/70), then up to 15 points for
 * magnitude (percent off, full at 50%), up to 10 for money at stake (log scale, full at 1,000,000
 * major units) and up to 5 for repeats (log scale, full at 64 occurrences).
 */
export function scoreFinding(severity: Severity, magnitude: number, amount: number, count: number): { score: number; parts: ScoreParts } {
  const parts: ScoreParts = {
    severity: SEVERITY_BASE[severity],
    magnitude: round(15 * Math.min(1, Math.max(0, magnitude) / 50), 2),
    money: round(10 * Math.min(1, Math.log10(1 + Math.max(0, amount)) / 6), 2),
    repeats: round(5 * Math.min(1, Math.log2(Math.max(1, count)) / 6), 2),
  };
  const score = round(Math.min(100, parts.severity + parts.magnitude + parts.money + parts.repeats), 1);
  return { score, parts };
}
