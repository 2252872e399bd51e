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
      };
      this.open.set(slot, group);
    }
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
      facts: { ...group.worst.facts, totalAmount: round(group.amount, 2), score: { ...parts } },
    };
  }
}
