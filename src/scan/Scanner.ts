import { DETECTORS } from "../detectors/registry.js";
import type { Detector, DetectorContext, DetectorRun } from "../detectors/types.js";
import { createEvaluator, type RuleEvaluator } from "../engine/createEvaluator.js";
import { LimitError } from "../errors.js";
import { FindingAssembler } from "../findings/FindingAssembler.js";
import type { Finding } from "../findings/types.js";
import { ReferenceIndex } from "../reference/referenceIndex.js";
import type { Rule } from "../rules/types.js";
import type { ChannelEvent } from "../schema/dataset.js";
import type { ReferenceRecords } from "../dataset/types.js";
import type { CollectionName } from "../schema/dataset.js";

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

  constructor(
    reference: ReferenceRecords,
    present: ReadonlySet<CollectionName>,
    rules: readonly Rule[],
    private readonly options: { maxEvidence: number; maxOpenFindings: number },
  ) {
    this.assembler = new FindingAssembler(options.maxEvidence);
    const index = new ReferenceIndex(reference, present);
    const partnerLabel = (id: string) => {
      const name = index.partners.get(id)?.name;
      return name ? `${name} (${id})` : id;
    };
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
      const context: DetectorContext = {
        index,
        params: Object.fromEntries(detector.params.map((p) => [p.name, first.params[p.name] ?? p.default])),
        skip: counts ? (reason) => this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1) : () => undefined,
        partnerLabel,
      };
      this.instances.push({
        detector,
        run: detector.create(context),
        context,
        rules: new Map(groupRules.map((rule) => [rule.id, rule])),
        evaluator: createEvaluator(groupRules, { regions: index.regions }),
      });
    }
  }

  private async evaluate(instance: DetectorInstance, candidates: Iterable<import("../detectors/types.js").Candidate>, out: Finding[]): Promise<void> {
    for (const candidate of candidates) {
      const fired = await instance.evaluator.evaluate(candidate.facts);
      for (const ruleId of fired) {
        const rule = instance.rules.get(ruleId) as Rule;
        out.push(...this.assembler.add(rule, instance.detector, instance.context, candidate));
      }
    }
  }

  /** Findings from reference data alone (overlapping territories, duplicate registrations): final at once. */
  async start(): Promise<Finding[]> {
    const out: Finding[] = [];
    for (const instance of this.instances) await this.evaluate(instance, instance.run.start(), out);
    out.push(...this.assembler.closeAll());
    return out;
  }

  /** Feeds one event (in time order); returns the findings that became final. */
  async push(event: ChannelEvent): Promise<Finding[]> {
    const out: Finding[] = [];
    // Sweeping once per day of event time keeps closing cheap.
    const dayIndex = Math.floor(event.occurredAt / 86_400_000);
    if (dayIndex !== this.lastSweepDay) {
      this.lastSweepDay = dayIndex;
      out.push(...this.assembler.closeBefore(event.occurredAt));
    }
    for (const instance of this.instances) await this.evaluate(instance, instance.run.onEvent(event), out);
    if (this.assembler.openCount > this.options.maxOpenFindings) {
      throw new LimitError(
        "maxOpenFindings",
        `more than ${this.options.maxOpenFindings} findings are open at once; raise maxOpenFindings or lower the rules' groupGapDays`,
      );
    }
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
