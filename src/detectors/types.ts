import type { FactValue, FindingRef } from "../core/types.js";
import type { EventAdmission } from "../dataset/admission.js";
import type { Message, SkipTexts, Texts } from "../messages/types.js";
import type { ReferenceIndex } from "../reference/referenceIndex.js";
import type { ChannelEvent } from "../schema/dataset.js";

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
  /** Counts a check that could not be made (unknown reference, mixed currencies, …): a code of the kind's `skipMessages`. */
  skip(code: string): void;
  /**
   * Binds a probe: an object of `check` and a few cheap facts, whose check and keys stay as they are
   * while the detector sets their values for each candidate. The function returned answers for the
   * probe's current values: false when no rule of this detector can fire for such a candidate (skip
   * building it), true for "maybe".
   */
  prefilter(probe: Readonly<{ check: string } & Record<string, FactValue>>): () => boolean;
}

/** Why a check of a kind made no candidate for an event (`explain`): the check, and a message saying why. */
export interface Unjudged {
  readonly check: string;
  readonly message: Message;
}

/** One running detector: candidates from reference data at the start, then from each event in time order. */
export interface DetectorRun {
  start(): Iterable<Candidate>;
  /** Appends the event's candidates to `out`. */
  onEvent(event: ChannelEvent, out: Candidate[]): void;
  /**
   * For `explain` only, called right after `onEvent(event)` (with prefilters off, so every candidate a check
   * can make was made): why each check that made no candidate for `event` made none, one entry per such check
   * (codes from the kind's `whyNotMessages`). Absent: explanations say only that the check made none.
   */
  whyNot?(event: ChannelEvent, made: ReadonlySet<string>): readonly Unjudged[];
  /**
   * What it keeps from the events seen, as plain data a stream's checkpoint saves (JSON values and typed
   * arrays); absent: it keeps nothing between events beyond caches of reference data.
   */
  toState?(): unknown;
  /** Takes the state `toState` gave, in a run created with the same context. */
  fromState?(state: unknown): void;
}

/** Documentation of a fact rule conditions may use. */
export interface FactDoc {
  readonly name: string;
  readonly type: "string" | "number" | "boolean" | "string[]";
  /** The checks that set it; absent means every check of the kind. */
  readonly checks?: readonly string[];
  /** The values it can take when they are a known set (a rule comparing it with another value can never fire). */
  readonly values?: readonly string[];
  /** It may be null (e.g. a category the catalogue does not know). */
  readonly nullable?: boolean;
  readonly description: string;
}

/** A parameter that changes how a detector derives facts, with its default. */
export interface ParamDoc {
  readonly name: string;
  readonly default: number;
  readonly min: number;
  readonly description: string;
}

/**
 * A conflict kind, plugged in by declaration: its checks, facts and parameters, the reference types its
 * findings cite, which events it judges and in what order, how it runs and what it says.
 */
export interface Detector {
  readonly kind: string;
  readonly checks: readonly string[];
  readonly facts: readonly FactDoc[];
  readonly params: readonly ParamDoc[];
  /** The `refs[].type` values its findings may carry. */
  readonly refTypes: readonly string[];
  /**
   * Events it judges although the reference data does not know their partner or sku; absent: none (such
   * events are rejected unless another kind admits them, and never reach this kind).
   */
  readonly admits?: EventAdmission;
  /**
   * Among events of one instant, the order it needs (lower first), e.g. allocations before the sales they
   * supply; absent: no need (events of an instant then go by id).
   */
  readonly instantOrder?: (event: ChannelEvent) => number;
  /**
   * For scans split into shards (`shard` option, queue mode): the key whose hash picks the one shard that
   * judges an event. Every piece of state the kind keeps across events, and every group its findings form,
   * must be keyed by it (price windows and lots by sku; a customer's sales by customer), so each shard's
   * findings are whole. Absent: the first shard judges every event of the kind.
   */
  readonly shardKey?: (event: ChannelEvent) => string;
  /** The text of each message code `describe` returns, per language. */
  readonly messages: Texts<any>;
  /** The text of each message code its runs' `whyNot` returns, per language. */
  readonly whyNotMessages?: Texts<any>;
  /** The text of each skip code its runs count (`context.skip`), per language; codes start with the kind (`price-deviation.…`). */
  readonly skipMessages?: SkipTexts;
  create(context: DetectorContext): DetectorRun;
  /** What a finding's message says, as data: one plain sentence a channel manager can act on once rendered. */
  describe(group: CandidateGroup, context: DetectorContext): Message;
}
