import { collectEvents, openDataset, openDatasetReading, type DatasetSource, type OpenedDataset, type ReadingDataset } from "../dataset/loadDataset.js";
import type { Rejection } from "../core/records.js";
import { OptionsError } from "../core/errors.js";
import { rankFindings } from "../findings/rankFindings.js";
import { FindingTally } from "../findings/FindingTally.js";
import type { Finding } from "../findings/types.js";
import { loadRules } from "../rules/loadRules.js";
import { conditionProblems } from "../rules/validateRules.js";
import { DETECTORS } from "../detectors/registry.js";
import type { ConflictKind } from "../detectors/registry.js";
import type { RuleSet } from "../rules/types.js";
import { formatIssues } from "../schema/formatIssues.js";
import { scanOptionsSchema } from "../schema/options.js";
import type { ScanReport, ScanSummary } from "../findings/report.js";
import { PROGRESS_EVERY, passesProgressStep, runOrdered } from "./runOrdered.js";
import { Scanner } from "./Scanner.js";

/** Options of `scan`. */
export interface ScanOptions {
  /** The rules to run; the shipped rules when absent. */
  readonly rules?: RuleSet;
  /** At most this many evidence event ids per finding (≥ 50, default 50); `count` stays the total. */
  readonly maxEvidence?: number;
  /** Longest NDJSON line or CSV record in bytes (default 1 MiB); longer ones are rejected. */
  readonly maxRecordBytes?: number;
  /** Largest JSON array file read whole, in bytes (default 256 MiB). */
  readonly maxJsonFileBytes?: number;
  /** Most findings open at once before the scan stops with a LimitError (default 1,000,000). */
  readonly maxOpenFindings?: number;
  /**
   * How rule conditions are evaluated: `compiled` (default; synchronous, json-rules-engine's semantics)
   * or `json-rules-engine` (the real engine, one run per candidate — slower, for cross-checking).
   */
  readonly evaluator?: "compiled" | "json-rules-engine";
  /** Called every 10,000 events read and scanned, and once at the end (the CLI draws progress with it). */
  readonly onProgress?: (progress: ScanProgress) => void;
}

/** How far a scan has come. */
export interface ScanProgress {
  readonly phase: "reading" | "scanning" | "done";
  /** Event records read so far. */
  readonly read: number;
  /** Events scanned so far. */
  readonly scanned: number;
  /** Findings final so far. */
  readonly findings: number;
}

export function parseOptions<T extends object>(options: T | undefined) {
  const parsed = scanOptionsSchema.safeParse(options ?? {}, { reportInput: true });
  if (!parsed.success) throw new OptionsError(`options: ${formatIssues(parsed.error.issues)}`);
  const rules = (options as { rules?: unknown } | undefined)?.rules;
  if (rules !== undefined && !(typeof rules === "object" && rules !== null && Array.isArray((rules as RuleSet).rules))) {
    throw new OptionsError("options.rules: expected a rule set from loadRules()");
  }
  // A rule set built by hand gets the checks loadRules makes on conditions: the fast evaluator relies
  // on them (a validated condition cannot throw, so it may skip what cannot fire).
  for (const [i, rule] of ((rules as RuleSet | undefined)?.rules ?? []).entries()) {
    const kind = typeof rule === "object" && rule !== null ? rule.kind : undefined;
    if (typeof kind !== "string" || !Object.hasOwn(DETECTORS, kind)) {
      throw new OptionsError(`options.rules.rules[${i}].kind: expected one of ${Object.keys(DETECTORS).join(", ")}; load rules with loadRules()`);
    }
    const problems = conditionProblems(kind as ConflictKind, rule.conditions);
    if (problems.length > 0) {
      const listed = problems.slice(0, 3).map(([path, message]) => `${path}: ${message}`).join("; ");
      throw new OptionsError(`options.rules: rule "${String(rule.id)}" ${listed}; load rules with loadRules()`);
    }
  }
  return parsed.data;
}

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
  const parsed = parseOptions(options);
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

type ParsedOptions = ReturnType<typeof parseOptions>;
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
