import { isDeepStrictEqual } from "node:util";
import { OptionsError } from "../core/errors.js";
import { rankFindings } from "./rankFindings.js";
import type { ScanReport } from "./report.js";
import { summarize } from "./summarize.js";
import { partnerInfoOf, scorePartners } from "./scorePartners.js";

/**
 * Merges the reports of disjoint shards of one scan (the `shard` option; queue mode makes them) into the
 * report of those shards together; once every shard is in, the result is byte for byte the report of
 * one scan of the whole dataset (`shards` then absent). Merging is associative and commutative: any
 * grouping and order of the same shards gives the same report.
 *
 * A shard judges only its share of the events (a kind's state and groups are keyed by its shard key, so
 * each finding lives whole in one shard): findings are taken together and ranked again, skipped checks
 * add up. Every shard read and validated the whole dataset, so counts, rejections and warnings are the
 * same in each and are taken once — a difference means the reports are not of one dataset, and is refused.
 * Apply baselines and suppressions to the merged report, not to shards.
 * @example
 * const shards = await Promise.all([0, 1, 2, 3].map((index) => scan("data", { shard: { index, count: 4 } })));
 * const report = mergeReports(...shards); // equals await scan("data")
 */
export function mergeReports(...reports: readonly ScanReport[]): ScanReport {
  const first = reports[0];
  if (first === undefined) throw new OptionsError("mergeReports: expected at least one report");
  if (reports.length === 1) return first;
  const count = first.shards?.count;
  const indexes = new Set<number>();
  for (const [position, report] of reports.entries()) {
    const where = `mergeReports: report ${position + 1}`;
    if (report.shards === undefined) throw new OptionsError(`${where} holds every shard already (no "shards"); merge only reports of some shards`);
    if (report.shards.count !== count) throw new OptionsError(`${where} is one of ${report.shards.count} shards, report 1 of ${count}: not shards of one scan`);
    if (report.summary.baseline !== undefined || report.summary.suppressions !== undefined || report.suppressed !== undefined) {
      throw new OptionsError(`${where} had a baseline or suppressions applied; merge shard reports first, then apply them`);
    }
    for (const index of report.shards.indexes) {
      if (indexes.has(index)) throw new OptionsError(`${where} holds shard ${index} again: shards must be disjoint`);
      indexes.add(index);
    }
    const same = (a: unknown, b: unknown, what: string) => {
      if (!isDeepStrictEqual(a, b)) throw new OptionsError(`${where} has other ${what} than report 1: not shards of one scan of one dataset`);
    };
    same(report.summary.events, first.summary.events, "event counts");
    same(report.summary.rejected, first.summary.rejected, "rejection counts");
    same(report.summary.records, first.summary.records, "record counts");
    same(report.summary.warnings, first.summary.warnings, "warnings");
    same(report.rejected, first.rejected, "rejected records");
    same(report.scorecard, first.scorecard, "scorecard policies");
  }
  const findings = rankFindings(reports.flatMap((report) => report.findings));
  const summary = summarize(findings, {
    ...first.summary,
    skipped: addSkipped(reports.map((report) => report.summary.skipped)),
    skippedByCode: addSkipped(reports.map((report) => report.summary.skippedByCode)),
  });
  // Each offender's entry is in the shards its findings came from: its name and channel are taken from there.
  const info = partnerInfoOf(reports.flatMap((report) => report.partners ?? []));
  const complete = indexes.size === count;
  return {
    findings,
    summary,
    rejected: first.rejected,
    partners: scorePartners(findings, info, first.scorecard),
    ...(first.scorecard !== undefined ? { scorecard: first.scorecard } : {}),
    ...(complete ? {} : { shards: { count: count as number, indexes: [...indexes].sort((a, b) => a - b) } }),
  };
}

/** Skipped checks of several shards, added up by reason (or code), in that order (as a scan sorts them). */
function addSkipped(all: ReadonlyArray<Readonly<Record<string, number>>>): Record<string, number> {
  const sums = new Map<string, number>();
  for (const skipped of all) for (const [reason, n] of Object.entries(skipped)) sums.set(reason, (sums.get(reason) ?? 0) + n);
  return Object.fromEntries([...sums].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}
