import { openDataset } from "../dataset/loadDataset.js";
import { FindingTally } from "../findings/FindingTally.js";
import type { Finding } from "../findings/types.js";
import { batchesOf, type RawRecord } from "../io/readRecords.js";
import type { ChannelEventInput } from "../schema/dataset.js";
import { loadRules } from "../rules/loadRules.js";
import { utcDaysInMs } from "../core/time.js";
import { EventValidator } from "../dataset/validateRecords.js";
import { validateBatches } from "../dataset/eventBatches.js";
import type { ScanSummary } from "../findings/report.js";
import { parseOptions, scanStreamOptionsSchema, type ScanStreamOptions } from "./options.js";
import {
  collectionRejected,
  compareRejections,
  datasetWarnings,
  inspectDataset,
  requireAccepted,
  requireFewRejected,
  type DatasetInspection,
} from "../dataset/datasetChecks.js";
import { summarize } from "./scan.js";
import type { z } from "zod";
import { DatasetError } from "../core/errors.js";
import type { ScanWarning } from "../core/warnings.js";
import type { RuleSet } from "../rules/types.js";
import { requireEnabledRule } from "../rules/loadRules.js";
import type { Rejection } from "../core/records.js";
import { COLLECTION_NAMES, type ReferenceName } from "../schema/dataset.js";
import { runOrdered } from "./runOrdered.js";
import { DETECTORS } from "../detectors/registry.js";
import { admissionOf, Scanner } from "./Scanner.js";

/** The collections a stream's reference data is read from: every one but events. */
const REFERENCE_NAMES = COLLECTION_NAMES.filter((name): name is ReferenceName => name !== "events");

/**
 * Wraps plain event objects as raw records numbered by their position (1-based line), in batches:
 * a synchronous iterable is cut into batches of `BATCH_SIZE`, an async one gives each record as it comes
 * (or a whole batch the CLI marked with `markRawBatch`).
 */
async function* numbered(events: AsyncIterable<unknown> | Iterable<unknown>, file: string): AsyncGenerator<RawRecord[]> {
  let line = 0;
  const wrap = (value: unknown): RawRecord => {
    line++;
    return { origin: { file, line }, value };
  };
  if (Symbol.iterator in events) {
    yield* batchesOf((function* () {
      for (const value of events as Iterable<unknown>) yield wrap(value);
    })());
    return;
  }
  for await (const value of events) {
    if (isRawBatch(value)) yield value;
    else yield [wrap(value)];
  }
}

const RAW_BATCH = Symbol("channel-conflict.raw-batch");

/** Marks a batch of records that carry their own origins (the CLI's stdin reader): it is scanned as one step. */
export function markRawBatch(records: RawRecord[]): RawRecord[] {
  return Object.defineProperty(records, RAW_BATCH, { value: true, enumerable: false });
}

function isRawBatch(value: unknown): value is RawRecord[] {
  return Array.isArray(value) && (value as unknown as Record<symbol, unknown>)[RAW_BATCH] === true;
}

/**
 * Scans a stream of events in time order against reference data and yields each finding as soon as it
 * is final, holding state only for open windows and open findings — memory does not grow with the
 * stream's length. Events of one instant are buffered and ordered as a batch scan orders them, so a
 * stream gives the same findings as `scan` on the same input (`rank` is 0: a stream cannot rank).
 * The generator's return value is the summary. Events are typed as a caller writes them
 * (`ChannelEventInput`: `occurredAt` an ISO 8601 string or a `Date`); a bad one is still rejected, not thrown.
 * @example
 * for await (const finding of scanStream(readEvents(), { reference: "fixtures/demo" })) send(finding);
 */
export async function* scanStream(
  events: AsyncIterable<ChannelEventInput> | Iterable<ChannelEventInput>,
  options: ScanStreamOptions,
): AsyncGenerator<Finding, ScanSummary, undefined> {
  const parsed = parseOptions(scanStreamOptionsSchema, options);
  const rules = requireEnabledRule(options.rules ?? (await loadRules()));
  // A stream takes reference data only: the folder needs no events file (any there is ignored).
  const inspection = await inspectDataset(options.reference);
  const warnings = inspection ? datasetWarnings(inspection, REFERENCE_NAMES, parsed.maxRecordBytes) : Promise.resolve([]);
  try {
    return yield* scanReferenced(events, options, parsed, rules, inspection, warnings);
  } catch (error) {
    // What was not read (`partner.json`) is often why a scan fails: the error carries the warnings.
    if (error instanceof DatasetError) error.warnings = await warnings;
    throw error;
  }
}

async function* scanReferenced(
  events: AsyncIterable<ChannelEventInput> | Iterable<ChannelEventInput>,
  options: ScanStreamOptions,
  parsed: z.output<typeof scanStreamOptionsSchema>,
  rules: RuleSet,
  inspection: DatasetInspection | undefined,
  warnings: Promise<ScanWarning[]>,
): AsyncGenerator<Finding, ScanSummary, undefined> {
  const opened = await openDataset(options.reference, parsed, { timeZone: parsed.timeZone });
  if (inspection) requireAccepted(opened.counts, opened.rejected, inspection, REFERENCE_NAMES);
  const sourceName = options.sourceName ?? "stream";
  const { maxRejected } = parsed;
  let firstRejection = [...opened.rejected].sort(compareRejections)[0];
  let firstEventRejection: Rejection | undefined;
  // A count is checked at each rejection (a stream may never end); a share only at the end, once all is read.
  if (typeof maxRejected === "number") requireFewRejected(opened.counts, maxRejected, sourceName, firstRejection);
  const scanner = new Scanner(opened.reference, opened.present, rules.rules, { ...parsed, zone: opened.zone });
  const validator = new EventValidator(opened.reference, opened.present.has("products"), utcDaysInMs(parsed.duplicateWindowDays), admissionOf(DETECTORS), opened.zone);
  const counts = opened.counts.events;
  // Rejected reference records are reported like rejected events: nothing read goes unlisted.
  for (const rejection of opened.rejected) options.onRejected?.(rejection);
  const emitted = new FindingTally();
  const initial: Finding[] = [];
  await scanner.start(initial);
  for (const finding of initial) {
    emitted.add(finding);
    yield finding;
  }
  const run = runOrdered(validateBatches(numbered(events, options.sourceName ?? "stream"), validator), {
    scanner,
    counts,
    outOfOrder: "reject",
    onRejected: (rejection) => {
      firstEventRejection ??= rejection;
      firstRejection ??= rejection;
      options.onRejected?.(rejection);
      if (typeof maxRejected === "number") requireFewRejected(opened.counts, maxRejected, sourceName, firstRejection);
    },
  });
  for await (const finding of run) {
    emitted.add(finding);
    yield finding;
  }
  // Events were read and none could be judged (unknown partners, a wrong reference folder): not "no conflicts".
  if (counts.read > 0 && counts.accepted === 0) throw collectionRejected(sourceName, "events", opened.counts, firstEventRejection);
  requireFewRejected(opened.counts, maxRejected, sourceName, firstRejection);
  return summarize(emitted, {
    events: counts.accepted,
    rejected: counts.rejected,
    skipped: scanner.skippedSummary(),
    records: opened.counts,
    warnings: await warnings,
  });
}
