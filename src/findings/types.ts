/** How serious a finding is, lowest first. */
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The four kinds of channel conflict. */
export const CONFLICT_KINDS = ["price-deviation", "territory-overlap", "cross-region-shipping", "customer-poaching"] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

/** The kinds of reference record a finding can point at. */
export type RefType = "territory" | "registration" | "pricePolicy" | "promotion" | "lot";

/** A reference record behind a finding. */
export interface FindingRef {
  readonly type: RefType;
  readonly id: string;
}

/** A JSON-safe fact value. */
export type FactValue = string | number | boolean | null | readonly FactValue[] | { readonly [key: string]: FactValue };

/** Facts by name. */
export type Facts = Readonly<Record<string, FactValue>>;

/** One detected conflict, with its evidence, severity, score and rank (CONTRACT §6). */
export interface Finding {
  readonly id: string;
  /** 1 for the worst finding; 0 in a stream, where findings are not ranked yet. */
  readonly rank: number;
  readonly score: number;
  readonly severity: Severity;
  readonly kind: ConflictKind;
  readonly ruleId: string;
  readonly title: string;
  readonly message: string;
  readonly remediation?: string;
  /** The offender first, then the affected partners. */
  readonly partners: readonly string[];
  readonly eventIds: readonly string[];
  readonly refs: readonly FindingRef[];
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly facts: Facts;
}

/** Compares severities: negative when `a` is less serious than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}
