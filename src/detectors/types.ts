import type { ChannelEvent } from "../schema/dataset.js";
import type { ReferenceIndex } from "../reference/referenceIndex.js";
import type { FactValue, FindingRef } from "../core/types.js";

/** What a candidate shows when a rule fires: how it groups, who is involved, the evidence. */
export interface Evidence {
  /** Repeated candidates of one rule with the same key group into one finding. */
  readonly groupKey: string;
  /** The offender first, then affected partners. */
  readonly partners: readonly string[];
  readonly eventIds: readonly string[];
  readonly refs: readonly FindingRef[];
}

/** One observation a rule may turn into a finding: the facts its conditions see, and its evidence. */
export interface Candidate {
  /** Which check of the kind produced it; also the `check` fact. */
  readonly check: string;
  /** The facts rule conditions are evaluated over (always including `check`). */
  readonly facts: Readonly<Record<string, FactValue>>;
  /** When it happened (epoch ms). */
  readonly at: number;
  /** How far from what is allowed, 0–100 (e.g. percent below the floor); drives the score. */
  readonly magnitude: number;
  /** Money at stake in major units of `currency` (0 when none). */
  readonly amount: number;
  readonly currency?: string;
  /**
   * The evidence, built only when a rule fires (most candidates fire none). It may read detector state:
   * it is called before the detector sees the next event.
   */
  evidence(): Evidence;
}

/** A group of candidates that fired one rule with one key: what a finding's message describes. */
export interface CandidateGroup {
  readonly check: string;
  /** The candidate with the largest magnitude (earliest on ties). */
  readonly worst: Candidate;
  /** The worst candidate's evidence, as built when it fired. */
  readonly worstEvidence: Evidence;
  readonly count: number;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly amount: number;
  readonly partners: readonly string[];
}

/** What a detector needs while it runs. */
export interface DetectorContext {
  readonly index: ReferenceIndex;
  /** The detector's derivation parameters, defaults filled in. */
  readonly params: Readonly<Record<string, number>>;
  /** Counts a check that could not be made (unknown reference, mixed currencies, …). */
  skip(reason: string): void;
  /** A partner's display name: `Name (id)` or the id. */
  partnerLabel(partnerId: string): string;
  /**
   * Binds a probe: an object of `check` and a few cheap facts, whose check and keys stay as they are
   * while the detector sets their values for each candidate. The function returned answers for the
   * probe's current values: false when no rule of this detector can fire for such a candidate (skip
   * building it), true for "maybe".
   */
  prefilter(probe: Readonly<{ check: string } & Record<string, FactValue>>): () => boolean;
}

/** One running detector: candidates from reference data at the start, then from each event in time order. */
export interface DetectorRun {
  start(): Iterable<Candidate>;
  /** Appends the event's candidates to `out`. */
  onEvent(event: ChannelEvent, out: Candidate[]): void;
}

/** Documentation of a fact rule conditions may use. */
export interface FactDoc {
  readonly name: string;
  readonly type: "string" | "number" | "boolean" | "string[]";
  /** The checks that set it; absent means every check of the kind. */
  readonly checks?: readonly string[];
  readonly description: string;
}

/** A parameter that changes how a detector derives facts, with its default. */
export interface ParamDoc {
  readonly name: string;
  readonly default: number;
  readonly min: number;
  readonly description: string;
}

/** A conflict kind, plugged in by declaration: its facts, its parameters, how it runs and how it speaks. */
export interface Detector {
  readonly kind: string;
  readonly checks: readonly string[];
  readonly facts: readonly FactDoc[];
  readonly params: readonly ParamDoc[];
  create(context: DetectorContext): DetectorRun;
  /** One plain sentence a channel manager can act on. */
  describe(group: CandidateGroup, context: DetectorContext): string;
}
