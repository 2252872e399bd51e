import type { z } from "zod";
import { collectEvents, openDataset, openDatasetReading, type DatasetSource, type OpenedDataset, type ReadingDataset } from "../dataset/loadDataset.js";
import type { Rejection } from "../core/records.js";
import { rankFindings } from "../findings/rankFindings.js";
import { FindingTally } from "../findings/FindingTally.js";
import type { Finding } from "../findings/types.js";
import { DETECTORS } from "../detectors/registry.js";
import { admissionOf } from "./Scanner.js";
import { loadRulesWith } from "../rules/loadRules.js";
import type { Registry } from "../rules/validateRules.js";
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
export function scan(dataset: DatasetSource, options?: ScanOptions): Promise<ScanReport> {
  return scanWith(DETECTORS, dataset, options);
}

/** `scan` with the kinds of `registry` (a test registers a kind of its own this way). */
export async function scanWith(registry: Registry, dataset: DatasetSource, options?: ScanOptions): Promise<ScanReport> {
  const parsed = parseOptions(scanOptionsSchema, options, registry);
  // The rules load while the dataset opens (its events start being read at once).
  const rulesLoading = options?.rules ? Promise.resolve(options.rules) : loadRulesWith(registry);
  rulesLoading.catch(() => undefined); // awaited below, first
  const progress = options?.onProgress;
  // Most exports are already in time order: scan them as they are read, holding no events. On the
  // first event earlier than one before it, start over and sort — the findings are the same either way.
  const setup: ScanSetup = { registry, parsed, progress };
  const inOrder = await scanAsRead(dataset, rulesLoading, setup);
  const { opened, scanner, findings } = inOrder ?? (await scanSorted(dataset, await rulesLoading, setup));
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

/** What both passes of a scan share. */
interface ScanSetup {
  readonly registry: Registry;
  readonly parsed: z.output<typeof scanOptionsSchema>;
  readonly progress: ScanOptions["onProgress"];
}
interface ScanPass {
  readonly opened: OpenedDataset;
  readonly scanner: Scanner;
  readonly findings: Finding[];
}

async function scanAsRead(
  dataset: DatasetSource,
  rulesLoading: Promise<RuleSet>,
  { registry, parsed, progress }: ScanSetup,
): Promise<ScanPass | undefined> {
  // A folder's events start being read (in the worker) while the rules and the reference data load.
  let opened: ReadingDataset;
  try {
    opened = await openDatasetReading(dataset, parsed, { admission: admissionOf(registry) });
  } catch (error) {
    // A rule error is reported before a dataset error, as when the rules loaded first.
    await rulesLoading;
    throw error;
  }
  try {
    const rules = await rulesLoading;
    const scanner = new Scanner(opened.reference, opened.present, rules.rules, parsed, registry);
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
  { registry, parsed, progress }: ScanSetup,
): Promise<ScanPass> {
  const opened = await openDataset(dataset, parsed, { admission: admissionOf(registry) });
  const counts = opened.counts.events;
  const events = await collectEvents(opened, (read, previous) => {
    if (progress && passesProgressStep(previous, read)) {
      progress({ phase: "reading", read, scanned: 0, findings: 0 });
    }
  });
  const scanner = new Scanner(opened.reference, opened.present, rules.rules, parsed, registry);
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
