import type { Candidate, Detector, DetectorContext, Evidence } from "../detectors/types.js";
import { groupGapDaysOf } from "../rules/groupingParams.js";
import type { Rule } from "../rules/types.js";
import { formatIsoTime, utcDaysInMs } from "../core/time.js";
import { round } from "../core/money.js";
import { renderMessage } from "../messages/renderMessage.js";
import { EN_WORDS } from "../messages/en.js";
import type { Words } from "../messages/types.js";
import { ruleText } from "../rules/ruleText.js";
import { findingFingerprint, findingId } from "./findingId.js";
import { scoreFinding } from "./scoreFinding.js";
import type { FindingRef } from "../core/types.js";
import type { Finding } from "./types.js";

interface OpenGroup {
  readonly rule: Rule;
  readonly detector: Detector;
  readonly context: DetectorContext;
  readonly key: string;
  readonly firstAt: number;
  /** Later candidates join while they come before this instant. */
  closesAt: number;
  lastAt: number;
  count: number;
  worst: Candidate;
  worstEvidence: Evidence;
  amount: number;
  readonly offenders: string[];
  readonly affected: Set<string>;
  readonly eventIds: string[];
  readonly eventSet: Set<string>;
  eventTotal: number;
  readonly refs: Map<string, FindingRef>;
  /** What a stream last reported of it (count 0: not reported yet), to tell a material change. */
  reportedCount: number;
  reportedBand: number;
}

/** A stream reports an open finding again when its score enters a higher band of this many points. */
export const SCORE_BAND = 10;

/** An open group as plain data: what a checkpoint keeps of it. */
export interface OpenGroupState {
  readonly ruleId: string;
  readonly key: string;
  readonly firstAt: number;
  readonly closesAt: number;
  readonly lastAt: number;
  readonly count: number;
  readonly worst: Omit<Candidate, "evidence">;
  readonly worstEvidence: Evidence;
  readonly amount: number;
  readonly offenders: readonly string[];
  readonly affected: readonly string[];
  readonly eventIds: readonly string[];
  readonly eventTotal: number;
  readonly refs: readonly FindingRef[];
  readonly reportedCount: number;
  readonly reportedBand: number;
}

/** The facts a finding holds beside its worst candidate's (what the rule decided on): the group's total and the score's parts. */
export const ASSEMBLED_FACTS: ReadonlySet<string> = new Set(["totalAmount", "score"]);

/** The open groups of a `FindingAssembler`, in the order they opened. */
export interface AssemblerState {
  readonly groups: readonly OpenGroupState[];
}

function compareRefs(a: FindingRef, b: FindingRef): number {
  return a.type < b.type ? -1 : a.type > b.type ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Groups candidates that fired a rule into findings: one open finding per (rule, key) that keeps
 * growing while violations keep coming, and closes once the key has been quiet for the rule's
 * `groupGapDays`. Closed findings are final: a stream can emit them at once.
 */
export class FindingAssembler {
  private readonly open = new Map<string, OpenGroup>();
  private readonly gaps = new Map<Rule, number>();
  /** The groups candidates joined since the last `takeUpdates`, when a stream tracks them. */
  private touched: Set<OpenGroup> | undefined;

  private gapMs(rule: Rule): number {
    let gap = this.gaps.get(rule);
    if (gap === undefined) {
      gap = utcDaysInMs(groupGapDaysOf(rule));
      this.gaps.set(rule, gap);
    }
    return gap;
  }

  /** `words`: how messages say names, money and dates (dates in the dataset's zone). */
  constructor(
    private readonly maxEvidence: number,
    private readonly words: Words = EN_WORDS,
  ) {}

  /**
   * Adds a candidate that fired `rule`, with its evidence; appends to `closed` the finding it closed,
   * if it starts a new group.
   */
  add(rule: Rule, detector: Detector, context: DetectorContext, candidate: Candidate, evidence: Evidence, closed: Finding[]): void {
    const slot = `${rule.id}\u0000${evidence.groupKey}`;
    let group = this.open.get(slot);
    if (group && candidate.at >= group.closesAt) {
      closed.push(this.finish(group, "closed"));
      this.open.delete(slot);
      group = undefined;
    }
    if (!group) {
      group = {
        rule,
        detector,
        context,
        key: evidence.groupKey,
        firstAt: candidate.at,
        closesAt: candidate.at,
        lastAt: candidate.at,
        count: 0,
        worst: candidate,
        worstEvidence: evidence,
        amount: 0,
        offenders: [],
        affected: new Set(),
        eventIds: [],
        eventSet: new Set(),
        eventTotal: 0,
        refs: new Map(),
        reportedCount: 0,
        reportedBand: -1,
      };
      this.open.set(slot, group);
    }
    if (this.touched !== undefined) this.touched.add(group);
    group.count++;
    group.lastAt = Math.max(group.lastAt, candidate.at);
    group.closesAt = group.lastAt + this.gapMs(rule);
    if (candidate.magnitude > group.worst.magnitude) {
      group.worst = candidate;
      group.worstEvidence = evidence;
    }
    group.amount += candidate.amount;
    const [offender, ...affected] = evidence.partners;
    if (offender !== undefined && !group.offenders.includes(offender)) group.offenders.push(offender);
    for (const id of affected) group.affected.add(id);
    for (const id of evidence.eventIds) {
      if (group.eventSet.has(id)) continue;
      group.eventTotal++;
      if (group.eventIds.length < this.maxEvidence) {
        group.eventIds.push(id);
        group.eventSet.add(id);
      }
    }
    for (const ref of evidence.refs) group.refs.set(`${ref.type}\u0000${ref.id}`, ref);
  }

  /** Closes every group that no candidate at or after `watermark` could join. */
  closeBefore(watermark: number): Finding[] {
    const closed: Finding[] = [];
    for (const [slot, group] of this.open) {
      if (group.closesAt <= watermark) {
        closed.push(this.finish(group, "closed"));
        this.open.delete(slot);
      }
    }
    return closed;
  }

  /**
   * Closes every open group: the input has ended, at `endAt` (the time of the last event). A group whose key
   * has not been quiet for its rule's `groupGapDays` by then is `open`; so is every group when `endAt` is
   * undefined (no event read: findings of reference data alone hold while the reference data says so).
   */
  closeAll(endAt?: number): Finding[] {
    const closed = [...this.open.values()].map((group) => this.finish(group, endAt === undefined || endAt < group.closesAt ? "open" : "closed"));
    this.open.clear();
    return closed;
  }

  /** From now on, remembers which groups candidates join, for `takeUpdates` (a live stream's). */
  trackUpdates(): void {
    this.touched ??= new Set();
  }

  /**
   * Appends to `out` the open groups joined since the last call that a stream must report: those it has
   * not reported yet (`open`), and those changed materially since it last did (`change`: into a higher
   * score band of `SCORE_BAND` points, or their count at least doubled — so a storm of occurrences
   * gives a few updates, not one per event). Severity is the rule's, so it never changes within a finding.
   */
  takeUpdates(out: { readonly change: "open" | "change"; readonly finding: Finding }[]): void {
    const touched = this.touched;
    if (touched === undefined || touched.size === 0) return;
    for (const group of touched) {
      if (this.open.get(`${group.rule.id}\u0000${group.key}`) !== group) continue;
      const band = Math.floor(scoreFinding(group.rule.severity, group.worst.magnitude, group.amount, group.count).score / SCORE_BAND);
      let change: "open" | "change";
      if (group.reportedCount === 0) change = "open";
      else if (band > group.reportedBand || group.count >= 2 * group.reportedCount) change = "change";
      else continue;
      group.reportedCount = group.count;
      group.reportedBand = band;
      out.push({ change, finding: this.finish(group, "open") });
    }
    touched.clear();
  }

  /** The open groups as plain data, in the order they opened (for checkpoints). */
  toState(): AssemblerState {
    if (this.touched !== undefined && this.touched.size > 0) throw new Error("FindingAssembler.toState: take the updates first");
    return {
      groups: [...this.open.values()].map((group) => ({
        ruleId: group.rule.id,
        key: group.key,
        firstAt: group.firstAt,
        closesAt: group.closesAt,
        lastAt: group.lastAt,
        count: group.count,
        worst: {
          check: group.worst.check,
          facts: group.worst.facts,
          at: group.worst.at,
          magnitude: group.worst.magnitude,
          amount: group.worst.amount,
          ...(group.worst.currency !== undefined ? { currency: group.worst.currency } : {}),
        },
        worstEvidence: group.worstEvidence,
        amount: group.amount,
        offenders: group.offenders,
        affected: [...group.affected],
        eventIds: group.eventIds,
        eventTotal: group.eventTotal,
        refs: [...group.refs.values()],
        reportedCount: group.reportedCount,
        reportedBand: group.reportedBand,
      })),
    };
  }

  /** Opens again the groups of `state` (from `toState`); `resolve` gives each rule id's rule, detector and context. */
  fromState(state: AssemblerState, resolve: (ruleId: string) => { rule: Rule; detector: Detector; context: DetectorContext }): void {
    this.open.clear();
    for (const saved of state.groups) {
      const { rule, detector, context } = resolve(saved.ruleId);
      const worstEvidence = saved.worstEvidence;
      this.open.set(`${rule.id}\u0000${saved.key}`, {
        rule,
        detector,
        context,
        key: saved.key,
        firstAt: saved.firstAt,
        closesAt: saved.closesAt,
        lastAt: saved.lastAt,
        count: saved.count,
        worst: { ...saved.worst, evidence: () => worstEvidence },
        worstEvidence,
        amount: saved.amount,
        offenders: [...saved.offenders],
        affected: new Set(saved.affected),
        eventIds: [...saved.eventIds],
        eventSet: new Set(saved.eventIds),
        eventTotal: saved.eventTotal,
        refs: new Map(saved.refs.map((ref) => [`${ref.type}\u0000${ref.id}`, ref])),
        reportedCount: saved.reportedCount,
        reportedBand: saved.reportedBand,
      });
    }
  }

  get openCount(): number {
    return this.open.size;
  }

  private finish(group: OpenGroup, status: Finding["status"]): Finding {
    const { rule, detector, context } = group;
    const affected = [...group.affected].filter((id) => !group.offenders.includes(id)).sort();
    const partners = [...group.offenders, ...affected];
    const { score, parts } = scoreFinding(rule.severity, group.worst.magnitude, group.amount, group.count);
    const said = detector.describe(
      {
        check: group.worst.check,
        worst: group.worst,
        worstEvidence: group.worstEvidence,
        count: group.count,
        firstAt: group.firstAt,
        lastAt: group.lastAt,
        amount: group.amount,
        partners,
      },
      context,
    );
    const message = renderMessage(detector.messages, said, this.words);
    const remediation = ruleText(rule, "remediation", this.words.lang);
    return {
      id: findingId(rule.id, rule.kind, group.key, group.firstAt),
      fingerprint: findingFingerprint(rule.id, rule.kind, group.key),
      status,
      rank: 0,
      score,
      severity: rule.severity,
      kind: rule.kind,
      ruleId: rule.id,
      title: ruleText(rule, "title", this.words.lang) ?? rule.title,
      message,
      messageCode: said.code,
      messageArgs: said.args,
      ...(remediation !== undefined ? { remediation } : {}),
      partners,
      eventIds: [...group.eventIds].sort(),
      refs: [...group.refs.values()].sort(compareRefs),
      count: group.count,
      firstSeen: formatIsoTime(group.firstAt),
      lastSeen: formatIsoTime(group.lastAt),
      // ASSEMBLED_FACTS: the two facts added to the worst candidate's.
      facts: { ...group.worst.facts, totalAmount: round(group.amount, 2), score: { ...parts } },
    };
  }
}
