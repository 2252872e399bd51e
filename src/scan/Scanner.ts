import { skipCodeOfKey, skipKey } from "../detectors/skipReasons.js";
import { LimitError } from "../core/errors.js";
import { UTC_ZONE, type TimeZone } from "../core/zonedTime.js";
import { wordsFor } from "../messages/wordsFor.js";
import type { Lang, NameLookup, Words } from "../messages/types.js";
import type { Candidate, Detector, DetectorContext, DetectorRun, Unjudged } from "../detectors/types.js";
import type { OperatorEnvironment } from "../engine/operators/index.js";
import { combineAdmissions, type EventAdmission } from "../dataset/admission.js";
import { DETECTORS } from "../detectors/registry.js";
import { createEvaluator, type EvaluatorKind, type RuleEvaluator } from "../engine/createEvaluator.js";
import { FindingAssembler, type AssemblerState } from "../findings/FindingAssembler.js";
import type { Finding } from "../findings/types.js";
import { ReferenceIndex } from "../reference/referenceIndex.js";
import type { Rule } from "../rules/types.js";
import type { ChannelEvent, CollectionName, ReferenceRecords } from "../schema/dataset.js";
import { inOrder } from "./inOrder.js";
import { hashOf } from "../fast/hashOf.js";

interface DetectorInstance {
  /** Its kind and derivation parameters: what names it in a checkpoint. */
  readonly key: string;
  readonly detector: Detector;
  readonly run: DetectorRun;
  readonly context: DetectorContext;
  readonly rules: ReadonlyMap<string, Rule>;
  readonly evaluator: RuleEvaluator;
  /** Whether it judges the event (undefined: every event that reaches the scanner, as the shipped kinds do). */
  readonly admits: ((event: ChannelEvent) => boolean) | undefined;
}

/** What one detector instance (a kind, with its rules) made of the traced event. */
export interface TracedJudgement {
  readonly detector: Detector;
  /** The enabled rules it evaluates, in rule order. */
  readonly rules: readonly Rule[];
  readonly context: DetectorContext;
  /** It judged the event at all (a kind may not see events of partners or skus it does not admit). */
  readonly admitted: boolean;
  /** Every candidate it made of the event (prefilters off). */
  readonly candidates: readonly Candidate[];
  /** The checks it could not make for the event, by skip code. */
  readonly skipped: readonly string[];
  /** Why the checks that made no candidate made none. */
  readonly unjudged: readonly Unjudged[];
}

/**
 * A request to watch one event on its way through the scan (`explain`): while the scanner judges the event
 * with id `eventId`, prefilters are off and every candidate, skip and reason is recorded in `judged`.
 * Without `eventId` nothing is watched; `environment` (what custom operators see) is filled in either way.
 */
export interface EventTrace {
  readonly eventId?: string;
  event?: ChannelEvent | undefined;
  judged: TracedJudgement[];
  environment?: OperatorEnvironment;
  /** The words findings are written with (language, the dataset's zone and names): reasons use them too. */
  words?: Words;
}

/**
 * The order of events: by time; within an instant, by the order each kind of the registry declares
 * (`instantOrder`, in registry order), then by id — in batch and stream alike, whatever the input order.
 */
export function eventOrderOf(detectors: Iterable<Detector>): (a: ChannelEvent, b: ChannelEvent) => number {
  const orders = [...detectors].flatMap((detector) => (detector.instantOrder ? [detector.instantOrder] : []));
  return (a, b) => {
    if (a.occurredAt !== b.occurredAt) return a.occurredAt - b.occurredAt;
    for (const order of orders) {
      const difference = order(a) - order(b);
      if (difference !== 0) return difference;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/** A scanner's state between events, as plain data (`Scanner.toState`). */
export interface ScannerState {
  readonly lastSweepDay: number | null;
  readonly lastEventAt: number | null;
  readonly skipped: readonly (readonly [string, number])[];
  /** Each detector instance's own state, by its kind and derivation parameters. */
  readonly runs: Readonly<Record<string, unknown>>;
  readonly assembler: AssemblerState;
}

/** What the scanner needs to know beyond the rules. */
export interface ScannerOptions {
  readonly maxEvidence: number;
  readonly maxOpenFindings: number;
  readonly evaluator: EvaluatorKind;
  /** The dataset's time zone: messages show dates in it (UTC when absent). */
  readonly zone?: TimeZone;
  /** The language of titles and messages (English when absent). */
  readonly lang?: Lang;
  /** For `explain`: the event to watch (see `EventTrace`). */
  readonly trace?: EventTrace;
  /** Judge only this shard's share of the events (`Detector.shardKey`), and reference findings only in shard 0. */
  readonly shard?: ScanShard;
}

/** One of `count` disjoint shards of a scan (`index` from 0). */
export interface ScanShard {
  readonly index: number;
  readonly count: number;
}

/** Which shard judges an event for a kind: the hash of its shard key; shard 0 for a kind without one. */
export function shardOf(detector: Detector, event: ChannelEvent, count: number): number {
  return detector.shardKey === undefined ? 0 : (hashOf(detector.shardKey(event)) >>> 0) % count;
}

/**
 * The scan itself, shared by batch and stream: detectors derive candidates from reference data and
 * from events in time order, rules decide, the assembler groups. Findings come out as they close.
 * Its methods return a promise only when an evaluator is asynchronous (json-rules-engine itself).
 */
export class Scanner {
  private readonly instances: DetectorInstance[] = [];
  private readonly assembler: FindingAssembler;
  readonly skipped = new Map<string, number>();
  private lastSweepDay = -Infinity;
  /** The time of the last event pushed (undefined before the first): where the data ends, for `status`. */
  private lastEventAt: number | undefined;
  private readonly candidates: Candidate[] = [];
  private readonly trace: EventTrace | undefined;
  /** While the traced event is judged: the skip reasons recorded so far (undefined otherwise). */
  private tracedSkips: string[] | undefined;
  /** How events of one instant are ordered (`eventOrderOf` the registry). */
  readonly compareEvents: (a: ChannelEvent, b: ChannelEvent) => number;

  constructor(
    reference: ReferenceRecords,
    present: ReadonlySet<CollectionName>,
    rules: readonly Rule[],
    private readonly options: ScannerOptions,
    registry: Readonly<Record<string, Detector>> = DETECTORS,
  ) {
    const words = wordsFor(options.lang ?? "en", options.zone ?? UTC_ZONE, namesOf(reference));
    this.assembler = new FindingAssembler(options.maxEvidence, words);
    this.compareEvents = eventOrderOf(Object.values(registry));
    const index = new ReferenceIndex(reference, present);
    this.trace = options.trace;
    if (this.trace) {
      this.trace.environment = { regions: index.regions };
      this.trace.words = words;
    }
    const admits = admissionTests(registry, index, present.has("products"));
    // One detector instance per kind and distinct derivation parameters; rules sharing them share it.
    const groups = new Map<string, Rule[]>();
    for (const rule of rules) {
      if (!rule.enabled) continue;
      const detector = registry[rule.kind] as Detector;
      const derivation = detector.params.map((p) => rule.params[p.name] ?? p.default);
      const key = JSON.stringify([rule.kind, derivation]);
      const list = groups.get(key);
      if (list) list.push(rule);
      else groups.set(key, [rule]);
    }
    const countingKinds = new Set<string>();
    for (const [key, groupRules] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const first = groupRules[0] as Rule;
      const detector = registry[first.kind] as Detector;
      // Only one instance per kind counts skipped checks, so a skip is counted once.
      const counts = !countingKinds.has(first.kind);
      countingKinds.add(first.kind);
      const evaluator = createEvaluator(options.evaluator, groupRules, { regions: index.regions });
      const facts = new Set(detector.facts.map((fact) => fact.name));
      const count = counts ? (code: string) => void this.skipped.set(code, (this.skipped.get(code) ?? 0) + 1) : () => undefined;
      const context: DetectorContext = {
        index,
        params: Object.fromEntries(detector.params.map((p) => [p.name, first.params[p.name] ?? p.default])),
        // A traced scan also records the skips of the traced event (of every instance).
        skip: this.trace
          ? (reason) => {
              count(reason);
              this.tracedSkips?.push(reason);
            }
          : count,
        prefilter: (probe) => {
          // A probe reads declared facts only: what it tests is what the rules' conditions see.
          const undeclared = Object.keys(probe).filter((name) => !facts.has(name));
          if (undeclared.length > 0) throw new Error(`${detector.kind}: prefilter probe of "${probe.check}" reads undeclared facts ${undeclared.join(", ")}`);
          const test = evaluator.prefilter(probe.check, Object.keys(probe));
          // A traced scan builds every candidate of the traced event, so each rule's conditions can be shown.
          return this.trace ? () => this.tracedSkips !== undefined || test(probe) : () => test(probe);
        },
      };
      this.instances.push({
        key,
        detector,
        run: detector.create(context),
        context,
        rules: new Map(groupRules.map((rule) => [rule.id, rule])),
        evaluator,
        admits: inShard(admits(detector), detector, options.shard),
      });
    }
  }

  /** Hands a candidate that fired rules to the assembler, building its evidence once. */
  private collect(instance: DetectorInstance, candidate: Candidate, fired: readonly string[], out: Finding[]): void {
    if (fired.length === 0) return;
    const evidence = candidate.evidence();
    for (const ruleId of fired) {
      const rule = instance.rules.get(ruleId) as Rule;
      this.assembler.add(rule, instance.detector, instance.context, candidate, evidence, out);
    }
  }

  /** Evaluates the rules of `instance` on `candidates[from…]`, collecting what fires. */
  private judge(instance: DetectorInstance, candidates: readonly Candidate[], from: number, out: Finding[]): void | Promise<void> {
    return inOrder(candidates, from, candidates.length, (candidate) => {
      const fired = instance.evaluator.evaluate(candidate.facts);
      if (!Array.isArray(fired)) return (fired as Promise<readonly string[]>).then((ids) => this.collect(instance, candidate, ids, out));
      this.collect(instance, candidate, fired as readonly string[], out);
      return undefined;
    });
  }

  private before(event: ChannelEvent, out: Finding[]): void {
    // Sweeping once per day of event time keeps closing cheap.
    const dayIndex = Math.floor(event.occurredAt / 86_400_000);
    if (dayIndex !== this.lastSweepDay) {
      this.lastSweepDay = dayIndex;
      const closed = this.assembler.closeBefore(event.occurredAt);
      if (closed.length > 0) out.push(...closed);
    }
  }

  private after(): void {
    if (this.assembler.openCount > this.options.maxOpenFindings) {
      throw new LimitError(
        "maxOpenFindings",
        `more than ${this.options.maxOpenFindings} findings are open at once; raise maxOpenFindings or lower the rules' groupGapDays`,
      );
    }
  }

  /** Appends to `out` the findings of reference data alone (overlapping territories, duplicate registrations): final at once. */
  start(out: Finding[]): void | Promise<void> {
    // Reference data is whole in every shard: its findings are the first shard's.
    const judged = (this.options.shard?.index ?? 0) === 0;
    const done = inOrder(this.instances, 0, this.instances.length, (instance) => {
      const candidates = [...instance.run.start()];
      return judged ? this.judge(instance, candidates, 0, out) : undefined;
    });
    const close = () => {
      out.push(...this.assembler.closeAll());
    };
    return done === undefined ? close() : done.then(close);
  }

  /** Feeds one event (in time order); appends the findings that became final to `out`. */
  push(event: ChannelEvent, out: Finding[]): void | Promise<void> {
    if (this.trace?.eventId === event.id) return this.pushTraced(event, out, this.trace);
    this.before(event, out);
    this.lastEventAt = event.occurredAt;
    // One array collects every event's candidates (most events make a few and fire none); it is
    // emptied now and then rather than per event.
    const candidates = this.candidates;
    if (candidates.length > 1024) candidates.length = 0;
    const done = inOrder(this.instances, 0, this.instances.length, (instance) => {
      if (instance.admits !== undefined && !instance.admits(event)) return undefined;
      const from = candidates.length;
      instance.run.onEvent(event, candidates);
      return this.judge(instance, candidates, from, out);
    });
    return done === undefined ? this.after() : done.then(() => this.after());
  }

  /** `push` of the traced event: the same steps, each instance's candidates, skips and reasons recorded. */
  private pushTraced(event: ChannelEvent, out: Finding[], trace: EventTrace): void | Promise<void> {
    this.before(event, out);
    this.lastEventAt = event.occurredAt;
    trace.event = event;
    const done = inOrder(this.instances, 0, this.instances.length, (instance) => {
      const candidates: Candidate[] = [];
      const skipped: string[] = [];
      const admitted = instance.admits === undefined || instance.admits(event);
      if (admitted) {
        this.tracedSkips = skipped;
        try {
          instance.run.onEvent(event, candidates);
        } finally {
          this.tracedSkips = undefined;
        }
      }
      const made = new Set(candidates.map((candidate) => candidate.check));
      trace.judged.push({
        detector: instance.detector,
        rules: [...instance.rules.values()],
        context: instance.context,
        admitted,
        candidates,
        skipped,
        unjudged: admitted ? (instance.run.whyNot?.(event, made) ?? []) : [],
      });
      return this.judge(instance, candidates, 0, out);
    });
    return done === undefined ? this.after() : done.then(() => this.after());
  }

  /** Closes every open finding: the input has ended. */
  finish(): Finding[] {
    return this.assembler.closeAll(this.lastEventAt);
  }

  /** From now on, remembers which open findings candidates join (a live stream reports them with `takeUpdates`). */
  trackUpdates(): void {
    this.assembler.trackUpdates();
  }

  /** Appends to `out` the open findings to report since the last call: new ones, and those changed materially. */
  takeUpdates(out: { readonly change: "open" | "change"; readonly finding: Finding }[]): void {
    this.assembler.takeUpdates(out);
  }

  /** The scanner's whole state between events as plain data: detectors' windows, open findings, skips (for checkpoints). */
  toState(): ScannerState {
    const runs: Record<string, unknown> = {};
    for (const instance of this.instances) {
      if (instance.run.toState) runs[instance.key] = instance.run.toState();
    }
    return {
      lastSweepDay: Number.isFinite(this.lastSweepDay) ? this.lastSweepDay : null,
      lastEventAt: this.lastEventAt ?? null,
      skipped: [...this.skipped],
      runs,
      assembler: this.assembler.toState(),
    };
  }

  /** Takes the state of `state` (from `toState` of a scanner of the same reference data and rules). */
  fromState(state: ScannerState): void {
    this.lastSweepDay = state.lastSweepDay ?? -Infinity;
    this.lastEventAt = state.lastEventAt ?? undefined;
    this.skipped.clear();
    // A checkpoint of a build before skips had codes keys them by their English text.
    for (const [code, count] of state.skipped) this.skipped.set(skipCodeOfKey(code) ?? code, count);
    for (const instance of this.instances) {
      const saved = state.runs[instance.key];
      if (saved !== undefined) instance.run.fromState?.(saved);
    }
    const byRule = new Map<string, DetectorInstance>();
    for (const instance of this.instances) for (const ruleId of instance.rules.keys()) byRule.set(ruleId, instance);
    this.assembler.fromState(state.assembler, (ruleId) => {
      const instance = byRule.get(ruleId);
      if (!instance) throw new Error(`Scanner.fromState: no enabled rule "${ruleId}"`);
      return { rule: instance.rules.get(ruleId) as Rule, detector: instance.detector, context: instance.context };
    });
  }

  /** Skipped checks by reason (`skipKey`: the kind and the English text), in reason order: `summary.skipped`. */
  skippedSummary(): Record<string, number> {
    return Object.fromEntries([...this.skipped].map(([code, n]) => [skipKey(code), n] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }

  /** Skipped checks by code, in code order: `summary.skippedByCode`. */
  skippedByCode(): Record<string, number> {
    return Object.fromEntries([...this.skipped].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }
}

/** `admits`, narrowed to the events `shard` judges for `detector` (every event is still pushed: time and closing stay global). */
function inShard(
  admits: ((event: ChannelEvent) => boolean) | undefined,
  detector: Detector,
  shard: ScanShard | undefined,
): ((event: ChannelEvent) => boolean) | undefined {
  if (shard === undefined || shard.count === 1) return admits;
  const { index, count } = shard;
  if (admits === undefined) return (event) => shardOf(detector, event, count) === index;
  return (event) => admits(event) && shardOf(detector, event, count) === index;
}

/** The events the kinds of `registry` admit beyond those of known partners and skus: the union of theirs. */
export function admissionOf(registry: Readonly<Record<string, Detector>>): EventAdmission {
  return combineAdmissions(Object.values(registry).map((detector) => detector.admits));
}

/**
 * Which events each detector judges. The dataset accepted an event of an unknown partner or sku only
 * because some kind of the registry admits it; a kind that does not must not see it. When no kind admits
 * any (the shipped kinds), every event reaching the scanner is for every detector: no test at all.
 */
function admissionTests(
  registry: Readonly<Record<string, Detector>>,
  index: ReferenceIndex,
  productsListed: boolean,
): (detector: Detector) => ((event: ChannelEvent) => boolean) | undefined {
  const any = admissionOf(registry);
  if ((any.unknownPartners ?? []).length === 0 && (any.unknownSkus ?? []).length === 0) return () => undefined;
  return (detector) => {
    const partners = new Set(detector.admits?.unknownPartners ?? []);
    const skus = new Set(detector.admits?.unknownSkus ?? []);
    return (event) =>
      (partners.has(event.type) || index.partners.has(event.partnerId)) && (skus.has(event.type) || !productsListed || index.products.has(event.sku));
  };
}

/** The names the dataset gives regions and products, for messages. */
function namesOf(reference: ReferenceRecords): NameLookup {
  const regions = new Map<string, string>();
  for (const region of reference.regions) if (region.name) regions.set(region.code, region.name);
  const products = new Map<string, string>();
  for (const product of reference.products) if (product.name) products.set(product.sku, product.name);
  return { regions, products };
}
