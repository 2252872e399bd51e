import type { z } from "zod";
import { collectEvents, openDataset, openDatasetReading, type DatasetSource, type OpenedDataset, type ReadingDataset } from "../dataset/loadDataset.js";
import type { Rejection } from "../core/records.js";
import { rankFindings } from "../findings/rankFindings.js";
import { FindingTally } from "../findings/FindingTally.js";
import type { Finding } from "../findings/types.js";
import { loadRules } from "../rules/loadRules.js";
import type { RuleSet } from "../rules/types.js";
import { parseOptions, scanOptionsSchema, type ScanOptions } from "./options.js";
import type { ScanReport, ScanSummary } from "../findings/report.js";
import { PROGRESS_EVERY, passesProgressStep, runOrdered } from "./runOrdered.js";
import { Scanner } from "./Scanner.js";

function sortRejections(rejected: Rejection[]): Rejection[] {
  return rejected.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      (a.line ?? -1) - (b.line ?? -1) ||
      (a.index ?? -1) - (b.index ?? -1),
  );
}

/** The summary of a scan from its findings (or their tally) and its counts. */
export function summarize(
  findings: Iterable<Pick<Finding, "severity" | "kind">> | FindingTally,
  base: Pick<ScanSummary, "events" | "rejected" | "skipped" | "records">,
): ScanSummary {
  const tally = findings instanceof FindingTally ? findings : FindingTally.of(findings);
  return {
    events: base.events,
    rejected: base.rejected,
    findings: tally.total,
    bySeverity: tally.bySeverity,
    byKind: tally.byKind,
    skipped: base.skipped,
    records: base.records,
  };
}

/**
 * Scans a dataset — a folder or in-memory collections — with the shipped rules or `options.rules`,
 * and returns ranked findings, a summary and every rejected record. The result does not depend on the
 * order of files or records, nor on the machine's time zone.
 * @example
 * const report = await scan("fixtures/demo");
 * for (const finding of report.findings) console.log(finding.rank, finding.message);
 */
export async function scan(dataset: DatasetSource, options?: ScanOptions): Promise<ScanReport> {
  const parsed = parseOptions(scanOptionsSchema, options);
  // The rules load while the dataset opens (its events start being read at once).
  const rulesLoading = options?.rules ? Promise.resolve(options.rules) : loadRules();
  rulesLoading.catch(() => undefined); // awaited below, first
  const progress = options?.onProgress;
  // Most exports are already in time order: scan them as they are read, holding no events. On the
  // first event earlier than one before it, start over and sort — the findings are the same either way.
  const inOrder = await scanAsRead(dataset, rulesLoading, parsed, progress);
  const { opened, scanner, findings } = inOrder ?? (await scanSorted(dataset, await rulesLoading, parsed, progress));
  const counts = opened.counts.events;
  progress?.({ phase: "done", read: counts.read, scanned: counts.accepted, findings: findings.length });
  const ranked = rankFindings(findings);
  return {
    findings: ranked,
    summary: summarize(ranked, {
      events: counts.accepted,
      rejected: counts.rejected,
      skipped: scanner.skippedSummary(),
      records: opened.counts,
    }),
    rejected: sortRejections(opened.rejected),
  };
}

type ParsedOptions = z.output<typeof scanOptionsSchema>;
interface ScanPass {
  readonly opened: OpenedDataset;
  readonly scanner: Scanner;
  readonly findings: Finding[];
}

async function scanAsRead(
  dataset: DatasetSource,
  rulesLoading: Promise<RuleSet>,
  parsed: ParsedOptions,
  progress: ScanOptions["onProgress"],
): Promise<ScanPass | undefined> {
  // A folder's events start being read (in the worker) while the rules and the reference data load.
  let opened: ReadingDataset;
  try {
    opened = await openDatasetReading(dataset, parsed);
  } catch (error) {
    // A rule error is reported before a dataset error, as when the rules loaded first.
    await rulesLoading;
    throw error;
  }
  try {
    const rules = await rulesLoading;
    const scanner = new Scanner(opened.reference, opened.present, rules.rules, parsed);
    const findings: Finding[] = [];
    await scanner.start(findings);
    const run = runOrdered(opened.eventBatches(), {
      scanner,
      counts: opened.counts.events,
      outOfOrder: "abort",
      onRejected: (rejection) => opened.rejected.push(rejection),
      ...(progress ? { onProgress: (read: number) => progress({ phase: "scanning", read, scanned: read, findings: findings.length }) } : {}),
    });
    let next = await run.next();
    while (!next.done) {
      findings.push(next.value);
      next = await run.next();
    }
    return next.value ? { opened, scanner, findings } : undefined;
  } finally {
    await opened.close();
  }
}

async function scanSorted(
  dataset: DatasetSource,
  rules: RuleSet,
  parsed: ParsedOptions,
  progress: ScanOptions["onProgress"],
): Promise<ScanPass> {
  const opened = await openDataset(dataset, parsed);
  const counts = opened.counts.events;
  const events = await collectEvents(opened, (read, previous) => {
    if (progress && passesProgressStep(previous, read)) {
      progress({ phase: "reading", read, scanned: 0, findings: 0 });
    }
  });
  const scanner = new Scanner(opened.reference, opened.present, rules.rules, parsed);
  events.sort(scanner.compareEvents);
  const findings: Finding[] = [];
  await scanner.start(findings);
  let scanned = 0;
  for (const event of events) {
    const done = scanner.push(event, findings);
    if (done !== undefined) await done;
    if (progress && ++scanned % PROGRESS_EVERY === 0) progress({ phase: "scanning", read: counts.read, scanned, findings: findings.length });
  }
  findings.push(...scanner.finish());
  return { opened, scanner, findings };
}
