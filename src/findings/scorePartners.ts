import { round } from "../core/money.js";
import { SEVERITIES, type Severity } from "../core/types.js";
import type { Finding } from "./types.js";

/** A partner tier, from watching to stopping supply: `monitor` → `review` → `audit` → `hold`. */
export type PartnerTier = "monitor" | "review" | "audit" | "hold";

/**
 * The scorecard policy: points per finding by severity, points per repeat offence (each occurrence of a
 * finding beyond its first), and the score from which each tier starts. A starting policy: a brand adapts it.
 */
export interface ScorecardPolicy {
  readonly points: Readonly<Record<Severity, number>>;
  readonly repeatPoints: number;
  readonly tiers: { readonly review: number; readonly audit: number; readonly hold: number };
}

/** The default policy: low 1, medium 3, high 7, critical 15 points; 1 per repeat; review from 5, audit 15, hold 30. */
export const DEFAULT_SCORECARD_POLICY: ScorecardPolicy = {
  points: { low: 1, medium: 3, high: 7, critical: 15 },
  repeatPoints: 1,
  tiers: { review: 5, audit: 15, hold: 30 },
};

/** One offending partner's scorecard entry (CONTRACT §6 `partners`). */
export interface PartnerScore {
  readonly id: string;
  readonly name?: string;
  readonly channel: string;
  /** Findings in which it is the offender (first partner). */
  readonly findings: number;
  readonly bySeverity: Readonly<Record<string, number>>;
  readonly byKind: Readonly<Record<string, number>>;
  /** Money at stake over its findings, per currency (major units, two decimals). */
  readonly amountAtStake: Readonly<Record<string, number>>;
  /** Occurrences beyond the first of each of its findings. */
  readonly repeatOffences: number;
  readonly score: number;
  readonly tier: PartnerTier;
}

/** What the scorecard knows of a partner beyond its findings. */
export interface PartnerInfo {
  readonly name?: string | undefined;
  readonly channel: string;
}

/**
 * The scorecard: one entry per partner that offends in at least one finding, sorted by score (highest
 * first), ties by id. Each finding counts once, for its offender, so the entries add up to the findings.
 */
export function scorePartners(
  findings: readonly Finding[],
  partnerInfo: (id: string) => PartnerInfo | undefined,
  policy: ScorecardPolicy = DEFAULT_SCORECARD_POLICY,
): PartnerScore[] {
  const byPartner = new Map<string, Finding[]>();
  for (const finding of findings) {
    const offender = finding.partners[0];
    if (offender === undefined) continue;
    const list = byPartner.get(offender);
    if (list) list.push(finding);
    else byPartner.set(offender, [finding]);
  }
  const entries: PartnerScore[] = [];
  for (const [id, own] of byPartner) {
    const bySeverity: Record<string, number> = {};
    const byKind: Record<string, number> = {};
    const amounts: Record<string, number> = {};
    let repeatOffences = 0;
    let points = 0;
    for (const finding of own) {
      bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1;
      byKind[finding.kind] = (byKind[finding.kind] ?? 0) + 1;
      const currency = finding.facts.currency;
      const amount = finding.facts.totalAmount;
      if (typeof currency === "string" && typeof amount === "number" && amount > 0) amounts[currency] = (amounts[currency] ?? 0) + amount;
      repeatOffences += Math.max(0, finding.count - 1);
      points += policy.points[finding.severity];
    }
    const score = round(points + repeatOffences * policy.repeatPoints, 2);
    const info = partnerInfo(id);
    entries.push({
      id,
      ...(info?.name ? { name: info.name } : {}),
      channel: info?.channel ?? "unknown",
      findings: own.length,
      bySeverity: Object.fromEntries(SEVERITIES.filter((s) => bySeverity[s] !== undefined).map((s) => [s, bySeverity[s] as number])),
      byKind: Object.fromEntries(Object.keys(byKind).sort().map((k) => [k, byKind[k] as number])),
      amountAtStake: Object.fromEntries(Object.keys(amounts).sort().map((c) => [c, round(amounts[c] as number, 2)])),
      repeatOffences,
      score,
      tier: tierOf(score, policy),
    });
  }
  return entries.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function tierOf(score: number, { tiers }: ScorecardPolicy): PartnerTier {
  return score >= tiers.hold ? "hold" : score >= tiers.audit ? "audit" : score >= tiers.review ? "review" : "monitor";
}

/** The policy of the `scorecard` option: the default with what the option sets. */
export function scorecardPolicyOf(
  option: { points?: Partial<Record<Severity, number>> | undefined; repeatPoints?: number | undefined; tiers?: Partial<ScorecardPolicy["tiers"]> | undefined } | undefined,
): ScorecardPolicy {
  const d = DEFAULT_SCORECARD_POLICY;
  return {
    points: { ...d.points, ...option?.points },
    repeatPoints: option?.repeatPoints ?? d.repeatPoints,
    tiers: { ...d.tiers, ...option?.tiers },
  };
}

/** Partner names and channels by id, from the dataset's partners or a report's scorecard. */
export function partnerInfoOf(partners: Iterable<{ readonly id: string; readonly name?: string | undefined; readonly channel: string }>): (id: string) => PartnerInfo | undefined {
  const byId = new Map<string, PartnerInfo>();
  for (const partner of partners) byId.set(partner.id, { name: partner.name, channel: partner.channel });
  return (id) => byId.get(id);
}
