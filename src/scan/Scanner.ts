import { DETECTORS } from "../detectors/registry.js";
import type { Detector, DetectorContext, DetectorRun } from "../detectors/types.js";
import { createEvaluator, type EvaluatorKind, type RuleEvaluator } from "../engine/createEvaluator.js";
import type { Candidate } from "../detectors/types.js";
import { LimitError } from "../core/errors.js";
import { FindingAssembler } from "../findings/FindingAssembler.js";
import type { Finding } from "../findings/types.js";
import { ReferenceIndex } from "../reference/referenceIndex.js";
import type { Rule } from "../rules/types.js";
import type { ChannelEvent } from "../schema/dataset.js";
import type { CollectionName, ReferenceRecords } from "../schema/dataset.js";

interface DetectorInstance {
  readonly detector: Detector;
  readonly run: DetectorRun;
  readonly context: DetectorContext;
  readonly rules: ReadonlyMap<string, Rule>;
  readonly evaluator: RuleEvaluator;
}

/** Events at one instant are processed allocations first, then by id, in batch and stream alike. */
export function compareEvents(a: ChannelEvent, b: ChannelEvent): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt - b.occurredAt;
  const typeA = a.type === "allocation" ? 0 : 1;
  const typeB = b.type === "allocation" ? 0 : 1;
  if (typeA !== typeB) return typeA - typeB;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The scan itself, shared by batch and stream: detectors derive candidates from reference data and
 * from events in time order, rules decide, the assembler groups. Findings come out as they close.
 */
export class Scanner {
  private readonly instances: DetectorInstance[] = [];
  private readonly assembler: FindingAssembler;
  readonly skipped = new Map<string, number>();
  private lastSweepDay = -Infinity;
  private readonly candidates: Candidate[] = [];

  constructor(
    reference: ReferenceRecords,
    present: ReadonlySet<CollectionName>,
    rules: readonly Rule[],
    private readonly options: { maxEvidence: number; maxOpenFindings: number; evaluator: EvaluatorKind },
  ) {
    this.assembler = new FindingAssembler(options.maxEvidence);
    const index = new ReferenceIndex(reference, present);
    // One detector instance per kind and distinct derivation parameters; rules sharing them share it.
    const groups = new Map<string, Rule[]>();
    for (const rule of rules) {
      if (!rule.enabled) continue;
      const detector = DETECTORS[rule.kind];
      const derivation = detector.params.map((p) => rule.params[p.name] ?? p.default);
      const key = JSON.stringify([rule.kind, derivation]);
      const list = groups.get(key);
      if (list) list.push(rule);
      else groups.set(key, [rule]);
    }
    const countingKinds = new Set<string>();
    for (const [, groupRules] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const first = groupRules[0] as Rule;
      const detector = DETECTORS[first.kind];
      // Only one instance per kind counts skipped checks, so a skip is counted once.
      const counts = !countingKinds.has(first.kind);
      countingKinds.add(first.kind);
      const evaluator = createEvaluator(options.evaluator, groupRules, { regions: index.regions });
      const context: DetectorContext = {
        index,
        params: Object.fromEntries(detector.params.map((p) => [p.name, first.params[p.name] ?? p.default])),
        skip: counts ? (reason) => this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1) : () => undefined,
        prefilter: (probe) => {
          const test = evaluator.prefilter(probe.check, Object.keys(probe));
          return () => test(probe);
        },
      };
      this.instances.push({
        detector,
        run: detector.create(context),
        context,
        rules: new Map(groupRules.map((rule) => [rule.id, rule])),
        evaluator,
      });
    }
  }

  /** True when every evaluator is synchronous: `start`/`push` may then be called without awaiting. */
  get sync(): boolean {
    return this.instances.every((instance) => instance.evaluator.sync);
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

  /** Findings from reference data alone (overlapping territories, duplicate registrations): final at once. */
  startSync(): Finding[] {
    const out: Finding[] = [];
    for (const instance of this.instances) {
      for (const candidate of instance.run.start()) this.collect(instance, candidate, instance.evaluator.evaluate(candidate.facts) as readonly string[], out);
    }
    out.push(...this.assembler.closeAll());
    return out;
  }

  /** Feeds one event (in time order) through synchronous evaluators; appends the findings that became final to `out`. */
  pushSync(event: ChannelEvent, out: Finding[]): void {
    this.before(event, out);
    // One array collects every event's candidates (most events make a few and fire none); it is
    // emptied now and then rather than per event.
    const candidates = this.candidates;
    if (candidates.length > 1024) candidates.length = 0;
    for (const instance of this.instances) {
      const from = candidates.length;
      instance.run.onEvent(event, candidates);
      for (let i = from; i < candidates.length; i++) {
        const candidate = candidates[i] as Candidate;
        this.collect(instance, candidate, instance.evaluator.evaluate(candidate.facts) as readonly string[], out);
      }
    }
    this.after();
  }

  /** `startSync` for any evaluator. */
  async start(): Promise<Finding[]> {
    if (this.sync) return this.startSync();
    const out: Finding[] = [];
    for (const instance of this.instances) {
      for (const candidate of instance.run.start()) this.collect(instance, candidate, await instance.evaluator.evaluate(candidate.facts), out);
    }
    out.push(...this.assembler.closeAll());
    return out;
  }

  /** `pushSync` for any evaluator; returns the findings that became final. */
  async push(event: ChannelEvent): Promise<Finding[]> {
    const out: Finding[] = [];
    if (this.sync) {
      this.pushSync(event, out);
      return out;
    }
    this.before(event, out);
    for (const instance of this.instances) {
      const candidates: Candidate[] = [];
      instance.run.onEvent(event, candidates);
      for (const candidate of candidates) this.collect(instance, candidate, await instance.evaluator.evaluate(candidate.facts), out);
    }
    this.after();
    return out;
  }

  /** Closes every open finding: the input has ended. */
  finish(): Finding[] {
    return this.assembler.closeAll();
  }

  /** Skipped checks by reason, in reason order. */
  skippedSummary(): Record<string, number> {
    return Object.fromEntries([...this.skipped].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }
}
