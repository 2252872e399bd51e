// Types every stage shares: how serious a finding is, the values facts hold, the records a finding
// cites, and the condition trees rules are written in. Nothing here knows a conflict kind.

/** How serious a finding is, lowest first. */
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Compares severities: negative when `a` is less serious than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** A JSON-safe fact value. */
export type FactValue = string | number | boolean | null | readonly FactValue[] | { readonly [key: string]: FactValue };

/** Facts by name. */
export type Facts = Readonly<Record<string, FactValue>>;

/**
 * A reference record behind a finding. `type` is one of the reference types its kind declares it cites
 * (`territory`, `registration`, `pricePolicy`, `promotion`, `lot` for the shipped kinds).
 */
export interface FindingRef {
  readonly type: string;
  readonly id: string;
}

/** A json-rules-engine condition tree, as validated. */
export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | { readonly fact: string; readonly operator: string; readonly value: unknown; readonly path?: string };
