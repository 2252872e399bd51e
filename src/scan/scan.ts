import { partnerInfoOf, scorecardPolicyOf, scorePartners } from "../findings/scorePartners.js";
import type { z } from "zod";
import { collectEvents, openDataset, openDatasetReading, type DatasetSource, type OpenedDataset, type ReadingDataset } from "../dataset/loadDataset.js";
import type { Rejection } from "../core/records.js";
import { rankFindings } from "../findings/rankFindings.js";
import type { Finding } from "../findings/types.js";
import { DETECTORS } from "../detectors/registry.js";
import { admissionOf } from "./Scanner.js";
import { loadRulesWith } from "../rules/loadRules.js";
import type { Registry } from "../rules/validateRules.js";
import type { RuleSet } from "../rules/types.js";
import { parseOptions, scanOptionsSchema, type ScanOptions } from "./options.js";
import type { ScanReport } from "../findings/report.js";
import { PROGRESS_EVERY, passesProgressStep, runOrdered } from "./runOrdered.js";
import { Scanner, type EventTrace } from "./Scanner.js";
import {
  compareRejections,
  datasetWarnings,
  inspectDataset,
  requireAccepted,
  requireEventSource,
  requireFewRejected,
  type DatasetInspection,
} from "../dataset/datasetChecks.js";
import { DatasetError } from "../core/errors.js";
import { requireEnabledRule } from "../rules/loadRules.js";
import { COLLECTION_NAMES } from "../schema/dataset.js";
import type { ScanWarning } from "../core/warnings.js";
import { UnorderedEventFileError, type MergeOptions } from "../dataset/readEventsInWorker.js";
import { sortBudgetBytes } from "./sortBudget.js";

function sortRejections(rejected: Rejection[]): Rejection[] {
  return rejected.sort(compareRejections);
}

export { summarize } from "../findings/summarize.js";
import { summarize } from "../findings/summarize.js";

/** Options of `scanWith` that are not options of `scan`: what the library's own callers need. */
export interface ScanInternals {
  /**
   * Whether a dataset without events fails with `NO_EVENTS` (default true). The rules' own test cases
   * scan tiny datasets of reference data alone (a territory overlap needs no event), so they pass false.
   */
  readonly requireEvents?: boolean;
  /** An event to watch on its way through the scan (`explain`). */
  readonly trace?: EventTrace;
}

/**
 * Scans a dataset — a folder or in-memory collections — with the shipped rules or `options.rules`,
 * and returns ranked findings, a summary and every rejected record. The result does not depend on the
 * order of files or records, nor on the machine's time zone.
 * @example
 * const report = await scan("fixtures/demo");
 * for (const finding of report.findings) console.log(finding.rank, finding.message);
 */
export function scan(dataset: DatasetSource, options?: ScanOptions): Promise<ScanReport> {
  return scanWith(DETECTORS, dataset, options);
}

/**
 * `scan` with the kinds of `registry` (a test registers a kind of its own this way), and `internals`
 * for the library's own callers (the rules' test cases).
 */
export async function scanWith(registry: Registry, dataset: DatasetSource, options?: ScanOptions, internals: ScanInternals = {}): Promise<ScanReport> {
  const parsed = parseOptions(scanOptionsSchema, options, registry);
  // The rules load while the dataset opens (its events start being read at once).
  const rulesLoading = (options?.rules ? Promise.resolve(options.rules) : loadRulesWith(registry)).then(requireEnabledRule);
  rulesLoading.catch(() => undefined); // awaited below, first
  let inspection: DatasetInspection | undefined;
  try {
    inspection = await inspectDataset(dataset);
  } catch (error) {
    // A rule error is reported before a dataset error, as when the rules loaded first.
    await rulesLoading;
    throw error;
  }
  // CSV headers are read for the warnings while the scan runs.
  const warnings = inspection ? datasetWarnings(inspection, COLLECTION_NAMES, parsed.maxRecordBytes) : Promise.resolve([]);
  try {
    return await scanInspected(registry, dataset, parsed, options, internals, rulesLoading, inspection, warnings);
  } catch (error) {
    // What was not read (`partner.json`) is often why a scan fails: the error carries the warnings.
    if (error instanceof DatasetError) error.warnings = await warnings;
    throw error;
  }
}

async function scanInspected(
  registry: Registry,
  dataset: DatasetSource,
  parsed: z.output<typeof scanOptionsSchema>,
  options: ScanOptions | undefined,
  internals: ScanInternals,
  rulesLoading: Promise<RuleSet>,
  inspection: DatasetInspection | undefined,
  warnings: Promise<ScanWarning[]>,
): Promise<ScanReport> {
  const progress = options?.onProgress;
  // Most exports are already in time order: scan them as they are read, holding no events. On the
  // first event earlier than one before it, start over and sort — the findings are the same either way.
  const setup: ScanSetup = { registry, parsed, progress, inspection, requireEvents: internals.requireEvents !== false, trace: internals.trace };
  const inOrder = await scanMerged(dataset, rulesLoading, setup);
  const { opened, scanner, findings } = inOrder ?? (await scanSorted(dataset, await rulesLoading, setup));
  const counts = opened.counts.events;
  progress?.({ phase: "done", read: counts.read, scanned: counts.accepted, findings: findings.length });
  const rejected = sortRejections(opened.rejected);
  if (inspection) {
    if (counts.read === 0 && internals.requireEvents !== false) {
      throw new DatasetError(inspection.sources.get("events") ?? "events", "holds no event record; expected at least one event", {
        code: "NO_EVENTS",
        collection: "events",
      });
    }
    requireAccepted(opened.counts, rejected, inspection, ["events"]);
    requireFewRejected(opened.counts, parsed.maxRejected, inspection.label, rejected[0]);
  }
  const ranked = rankFindings(findings);
  return {
    findings: ranked,
    summary: summarize(ranked, {
      events: counts.accepted,
      rejected: counts.rejected,
      skipped: scanner.skippedSummary(),
      skippedByCode: scanner.skippedByCode(),
      records: opened.counts,
      warnings: await warnings,
    }),
    rejected,
    partners: scorePartners(ranked, partnerInfoOf(opened.reference.partners), scorecardPolicyOf(parsed.scorecard)),
    ...(parsed.scorecard !== undefined ? { scorecard: scorecardPolicyOf(parsed.scorecard) } : {}),
    ...(parsed.shard && parsed.shard.count > 1 ? { shards: { count: parsed.shard.count, indexes: [parsed.shard.index] } } : {}),
  };
}

/** What both passes of a scan share. */
interface ScanSetup {
  readonly registry: Registry;
  readonly parsed: z.output<typeof scanOptionsSchema>;
  readonly progress: ScanOptions["onProgress"];
  readonly inspection: DatasetInspection | undefined;
  readonly requireEvents: boolean;
  readonly trace: EventTrace | undefined;
}
interface ScanPass {
  readonly opened: OpenedDataset;
  readonly scanner: Scanner;
  readonly findings: Finding[];
}

/**
 * `scanAsRead` with a folder's events merged by time in the reader thread; when a file tried as it came
 * goes back in time after its first chunk, once more with that file sorted from the start.
 */
/** A pass that starts over (a file found out of order) may have watched the traced event already: watch it afresh. */
function watchAfresh(trace: EventTrace): void {
  trace.judged = [];
  trace.event = undefined;
}

async function scanMerged(dataset: DatasetSource, rulesLoading: Promise<RuleSet>, setup: ScanSetup): Promise<ScanPass | undefined> {
  const sortFiles: number[] = [];
  for (;;) {
    try {
      return await scanAsRead(dataset, rulesLoading, setup, { sortBudgetBytes: sortBudgetBytes(setup.parsed.maxMemoryMB), sortFiles: [...sortFiles] });
    } catch (error) {
      if (!(error instanceof UnorderedEventFileError)) throw error;
      sortFiles.push(error.file);
    }
  }
}

async function scanAsRead(
  dataset: DatasetSource,
  rulesLoading: Promise<RuleSet>,
  { registry, parsed, progress, inspection, requireEvents, trace }: ScanSetup,
  mergeByTime?: MergeOptions,
): Promise<ScanPass | undefined> {
  if (trace) watchAfresh(trace);
  // A folder's events start being read (in the worker) while the rules and the reference data load.
  let opened: ReadingDataset;
  try {
    opened = await openDatasetReading(dataset, parsed, { admission: admissionOf(registry), timeZone: parsed.timeZone, mergeByTime });
  } catch (error) {
    // A rule error is reported before a dataset error, as when the rules loaded first.
    await rulesLoading;
    throw error;
  }
  try {
    const rules = await rulesLoading;
    // The reference data is read whole by now (a file that cannot be read has said so): a scan without
    // events, or with a collection every record of which was rejected, fails before any event is scanned.
    if (inspection) {
      if (requireEvents) requireEventSource(inspection);
      requireAccepted(opened.counts, opened.rejected, inspection, COLLECTION_NAMES.filter((name) => name !== "events"));
    }
    const scanner = new Scanner(opened.reference, opened.present, rules.rules, { ...parsed, zone: opened.zone, ...(trace ? { trace } : {}) }, registry);
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
  { registry, parsed, progress, trace }: ScanSetup,
): Promise<ScanPass> {
  const opened = await openDataset(dataset, parsed, { admission: admissionOf(registry), timeZone: parsed.timeZone });
  const counts = opened.counts.events;
  const events = await collectEvents(opened, (read, previous) => {
    if (progress && passesProgressStep(previous, read)) {
      progress({ phase: "reading", read, scanned: 0, findings: 0 });
    }
  });
  if (trace) watchAfresh(trace);
  const scanner = new Scanner(opened.reference, opened.present, rules.rules, { ...parsed, zone: opened.zone, ...(trace ? { trace } : {}) }, registry);
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
