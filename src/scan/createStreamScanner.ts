import { CheckpointError, DatasetError } from "../core/errors.js";
import { reason } from "../core/rejectionReasons.js";
import { type RecordOrigin, type Rejection } from "../core/records.js";
import { rejectionOf } from "../messages/rejections/renderRejection.js";
import { formatIsoTime, utcDaysInMs } from "../core/time.js";
import type { ScanWarning } from "../core/warnings.js";
import { openDataset } from "../dataset/loadDataset.js";
import { acceptBatch, validateBatch, type EventBatch } from "../dataset/eventBatches.js";
import { EventAcceptor, EventSchemaReader } from "../dataset/validateRecords.js";
import {
  collectionRejected,
  compareRejections,
  datasetWarnings,
  inspectDataset,
  requireAccepted,
  requireFewRejected,
} from "../dataset/datasetChecks.js";
import { DETECTORS } from "../detectors/registry.js";
import { FindingTally } from "../findings/FindingTally.js";
import type { ScanSummary } from "../findings/report.js";
import type { Finding } from "../findings/types.js";
import type { RawRecord } from "../io/readRecords.js";
import { loadRules, requireEnabledRule } from "../rules/loadRules.js";
import type { Rule } from "../rules/types.js";
import type { ChannelEvent, ChannelEventInput, ReferenceName } from "../schema/dataset.js";
import { COLLECTION_NAMES } from "../schema/dataset.js";
import { ReorderBuffer, parseDuration } from "./allowedLateness.js";
import { decodeCheckpoint, encodeCheckpoint, identityOf } from "./checkpoint.js";
import { inOrder } from "./inOrder.js";
import { parseOptions, scanStreamOptionsSchema, type ScanStreamOptions } from "./options.js";
import { summarize } from "./scan.js";
import { admissionOf, Scanner, type ScannerState } from "./Scanner.js";

/** The collections a stream's reference data is read from: every one but events. */
const REFERENCE_NAMES = COLLECTION_NAMES.filter((name): name is ReferenceName => name !== "events");

/**
 * One step in the life of a finding, as a stream reports it: `open` the first time (in the batch of its
 * first occurrence, or the next), `change` when it changed materially (a higher score band, or its count
 * at least doubled since last reported), `close` the last time — its key was quiet for the rule's
 * `groupGapDays`, or the stream finished. `finding` is the whole finding as of then; its `id` and
 * `fingerprint` stay the same throughout, and the `close` one equals what a batch scan of the same events
 * reports (`rank` aside: 0). `finding.status` keeps its meaning (CONTRACT §6): at `finish()` a finding
 * whose key was not quiet yet is closed with `status: "open"`, as a batch scan reports it.
 */
export interface StreamUpdate {
  readonly change: "open" | "change" | "close";
  readonly finding: Finding;
}

/** A live stream scanner: push batches of events, take the updates, save checkpoints (`createStreamScanner`). */
export interface StreamScanner {
  /**
   * Scans a batch of events (in time order, up to `allowedLateness` late) and returns the updates it
   * caused. A promise only with the `json-rules-engine` evaluator; a push made while one is pending waits for it.
   */
  push(events: readonly ChannelEventInput[]): StreamUpdate[] | Promise<StreamUpdate[]>;
  /** The scanner's whole state as versioned bytes: a scanner created with them goes on exactly as this one would. */
  checkpoint(): Uint8Array;
  /**
   * Ends the stream: scans the events still held for lateness and closes every finding (`close` updates).
   * Fails like a batch scan when no event could be judged or more were rejected than `maxRejected` allows.
   */
  finish(): StreamUpdate[] | Promise<StreamUpdate[]>;
  /** Counts so far (events, rejected, findings closed, skipped checks, records, warnings). */
  summary(): ScanSummary;
}

/** What a checkpoint holds besides the scanner's own state (format `CHECKPOINT_VERSION`). */
interface StreamState {
  readonly identity: { readonly rules: string; readonly reference: string; readonly settings: string };
  readonly initial: readonly Finding[];
  readonly initialReported: boolean;
  readonly line: number;
  readonly counts: { readonly read: number; readonly accepted: number; readonly rejected: number };
  readonly latest: number | null;
  readonly buffer: readonly ChannelEvent[];
  readonly acceptor: ReturnType<EventAcceptor["toState"]>;
  readonly scanner: ScannerState;
  readonly tally: { readonly total: number; readonly bySeverity: Record<string, number>; readonly byKind: Record<string, number> };
  readonly firstRejection: Rejection | null;
  readonly firstEventRejection: Rejection | null;
}

/** What of a rule changes findings: a checkpoint is refused for rules that differ in any of it. */
function ruleIdentity(rules: readonly Rule[]): string {
  return identityOf(
    rules
      .filter((rule) => rule.enabled)
      .map((rule) => [rule.id, rule.kind, rule.severity, rule.title, rule.remediation ?? null, rule.params, rule.conditions])
      .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
  );
}

/** Reads the id of a raw event record, when it has one, for its rejection. */
function idOf(raw: RawRecord | undefined): string | undefined {
  if (raw === undefined || "error" in raw) return undefined;
  const value = raw.value as { id?: unknown } | null;
  return typeof value === "object" && value !== null && typeof value.id === "string" ? value.id : undefined;
}

/**
 * Creates a live stream scanner over reference data (a dataset folder or in-memory collections; their
 * events, if any, are ignored): push batches of events as they come (a Kafka `eachBatch`, a queue, CDC),
 * get each finding as it opens, changes materially and closes, and save `checkpoint()` bytes with the
 * consumer's offset to resume from after a restart. Events up to `allowedLateness` earlier than the latest
 * one read are put back in order before the detectors see them — which delays every alert by up to that
 * much event time — and later ones are rejected naming their id.
 * @example
 * const scanner = await createStreamScanner({ reference: "reference/", allowedLateness: "2h", checkpoint: saved });
 * for (const update of await scanner.push(batch)) publish(update.finding);
 * await commit(offset, scanner.checkpoint());
 */
export function createStreamScanner(options: ScanStreamOptions): Promise<StreamScanner> {
  return openStreamScanner(options);
}

/** `createStreamScanner` with what `scanStream` and the CLI use beyond the public interface. */
export async function openStreamScanner(options: ScanStreamOptions): Promise<StreamScanner & StreamScannerInternals> {
  const parsed = parseOptions(scanStreamOptionsSchema, options);
  const lateness = parseDuration(parsed.allowedLateness, "allowedLateness");
  const rules = requireEnabledRule(options.rules ?? (await loadRules()));
  // A stream takes reference data only: the folder needs no events file (any there is ignored).
  const inspection = await inspectDataset(options.reference);
  const warningsPending = inspection ? datasetWarnings(inspection, REFERENCE_NAMES, parsed.maxRecordBytes) : Promise.resolve([]);
  try {
    const opened = await openDataset(options.reference, parsed, { timeZone: parsed.timeZone });
    if (inspection) requireAccepted(opened.counts, opened.rejected, inspection, REFERENCE_NAMES);
    return await create(options, parsed, lateness, rules.rules, opened, await warningsPending);
  } catch (error) {
    // What was not read (`partner.json`) is often why a scan fails: the error carries the warnings.
    if (error instanceof DatasetError) error.warnings = await warningsPending;
    throw error;
  }
}

/** What `scanStream` and the CLI use beyond the public interface. */
export interface StreamScannerInternals {
  /** `push` of records that carry their own origins (the CLI's stdin lines). */
  pushRecords(raws: readonly RawRecord[]): StreamUpdate[] | Promise<StreamUpdate[]>;
  /** `push` of events the reader thread read and checked against the schema, with their origins. */
  pushValidated(batch: EventBatch): StreamUpdate[] | Promise<StreamUpdate[]>;
  /** The settings a reader of the stream's bytes needs: its records' size limit, its dataset's zone. */
  readonly readSettings: { readonly maxRecordBytes: number; readonly maxJsonFileBytes: number; readonly timeZone: string };
}

async function create(
  options: ScanStreamOptions,
  parsed: ReturnType<typeof parseOptions<typeof scanStreamOptionsSchema>>,
  lateness: number,
  rules: readonly Rule[],
  opened: Awaited<ReturnType<typeof openDataset>>,
  warnings: ScanWarning[],
): Promise<StreamScanner & StreamScannerInternals> {
  const sourceName = options.sourceName ?? "stream";
  const { maxRejected } = parsed;
  const counts = opened.counts.events;
  const scanner = new Scanner(opened.reference, opened.present, rules, { ...parsed, zone: opened.zone });
  const schema = new EventSchemaReader(opened.zone);
  const acceptor = new EventAcceptor(opened.reference, opened.present.has("products"), utcDaysInMs(parsed.duplicateWindowDays), admissionOf(DETECTORS));
  const buffer = new ReorderBuffer(scanner.compareEvents);
  const identity = {
    rules: ruleIdentity(rules),
    reference: identityOf([opened.reference, [...opened.present].sort()]),
    settings: JSON.stringify({ maxEvidence: parsed.maxEvidence, duplicateWindowDays: parsed.duplicateWindowDays, allowedLatenessMs: lateness, timeZone: opened.zone.name }),
  };
  let tally = new FindingTally();
  let firstRejection: Rejection | undefined = [...opened.rejected].sort(compareRejections)[0];
  let firstEventRejection: Rejection | undefined;
  let line = 0;
  /** The latest event time accepted (−∞ before the first). */
  let latest = -Infinity;
  let initial: Finding[] = [];
  let initialReported = false;
  let finished = false;
  let pending: Promise<unknown> | undefined;

  // A count is checked at each rejection (a stream may never end); a share only at the end, once all is read.
  if (typeof maxRejected === "number") requireFewRejected(opened.counts, maxRejected, sourceName, firstRejection);
  // Rejected reference records are reported like rejected events: nothing read goes unlisted.
  for (const rejection of opened.rejected) options.onRejected?.(rejection);
  const started = scanner.start(initial);
  if (started !== undefined) await started;
  if (options.checkpoint !== undefined) {
    const state = decodeCheckpoint(options.checkpoint) as StreamState;
    if (typeof state !== "object" || state === null || typeof state.identity !== "object") {
      throw new CheckpointError("CHECKPOINT_INVALID", "not a stream scanner's checkpoint; expected bytes from scanner.checkpoint()");
    }
    if (state.identity.rules !== identity.rules) {
      throw new CheckpointError("CHECKPOINT_MISMATCH", `taken with another rule set (${state.identity.rules}, these rules are ${identity.rules}); resume with the rules it was taken with, or start without a checkpoint`);
    }
    if (state.identity.settings !== identity.settings) {
      throw new CheckpointError("CHECKPOINT_MISMATCH", `taken with other settings (${state.identity.settings}; now ${identity.settings}); resume with the same options`);
    }
    if (state.identity.reference !== identity.reference && !parsed.acceptReferenceChange) {
      throw new CheckpointError(
        "CHECKPOINT_MISMATCH",
        `taken with other reference data (${state.identity.reference}, now ${identity.reference}); resume with the same reference data, or pass acceptReferenceChange: true to judge the rest of the stream against the new data`,
      );
    }
    initial = [...state.initial];
    initialReported = state.initialReported;
    line = state.line;
    counts.read = state.counts.read;
    counts.accepted = state.counts.accepted;
    counts.rejected = state.counts.rejected;
    latest = state.latest ?? -Infinity;
    buffer.fromState(state.buffer);
    acceptor.fromState(state.acceptor);
    scanner.fromState(state.scanner);
    tally = new FindingTally();
    tally.total = state.tally.total;
    Object.assign(tally.bySeverity, state.tally.bySeverity);
    Object.assign(tally.byKind, state.tally.byKind);
    firstRejection = state.firstRejection ?? undefined;
    firstEventRejection = state.firstEventRejection ?? undefined;
  }
  scanner.trackUpdates();

  const reject = (rejection: Rejection) => {
    counts.rejected++;
    firstEventRejection ??= rejection;
    firstRejection ??= rejection;
    options.onRejected?.(rejection);
    if (typeof maxRejected === "number") requireFewRejected(opened.counts, maxRejected, sourceName, firstRejection);
  };
  const lateReason = (event: ChannelEvent) =>
    lateness === 0
      ? reason("out_of_order", { at: formatIsoTime(event.occurredAt), latest: formatIsoTime(latest), stream: true })
      : reason("too_late", { at: formatIsoTime(event.occurredAt), latest: formatIsoTime(latest), allowedLateness: String(parsed.allowedLateness) });

  /** The events released to the detectors, and the findings they closed: both reused. */
  const ready: ChannelEvent[] = [];
  const closed: Finding[] = [];
  const scanOne = (event: ChannelEvent) => scanner.push(event, closed);

  /** The updates of what was scanned since the last call: findings closed, then those opened or changed. */
  const collect = (): StreamUpdate[] => {
    const updates: StreamUpdate[] = [];
    if (!initialReported) {
      initialReported = true;
      for (const finding of initial) updates.push({ change: "open", finding });
    }
    for (const finding of closed) {
      tally.add(finding);
      updates.push({ change: "close", finding });
    }
    closed.length = 0;
    scanner.takeUpdates(updates as { change: "open" | "change"; finding: Finding }[]);
    return updates;
  };
  /** Scans the ready events in order; synchronous unless an evaluator is not. */
  const scanReady = (then: () => StreamUpdate[]): StreamUpdate[] | Promise<StreamUpdate[]> => {
    const done = inOrder(ready, 0, ready.length, scanOne);
    if (done === undefined) {
      ready.length = 0;
      return then();
    }
    const run = done.then(() => {
      ready.length = 0;
      return then();
    });
    // Later pushes wait for this one; its failure is the caller's (through `run`), not theirs.
    pending = run.then(
      () => (pending = undefined),
      () => (pending = undefined),
    );
    return run;
  };
  const assertOpen = (what: string) => {
    if (finished) throw new Error(`StreamScanner.${what}: the scanner has finished`);
  };

  const pushRecords = (raws: readonly RawRecord[]): StreamUpdate[] | Promise<StreamUpdate[]> => {
    assertOpen("push");
    if (pending) return pending.then(() => pushRecords(raws));
    const checked = validateBatch(raws, schema);
    return pushChecked(checked, () => {
      const byLine = new Map<number | undefined, RawRecord>(raws.map((raw) => [raw.origin.line ?? raw.origin.index, raw]));
      return (rejection) => idOf(byLine.get(rejection.line ?? rejection.index));
    });
  };

  const pushValidated = (checked: EventBatch): StreamUpdate[] | Promise<StreamUpdate[]> => {
    assertOpen("push");
    if (pending) return pending.then(() => pushValidated(checked));
    // Rejections of the schema name their event already (the reader read what it could); those of the
    // acceptance (a repeated id, an unknown partner) are of events the batch holds.
    return pushChecked(checked, () => {
      const origins = checked.origins ?? [];
      const byLine = new Map(checked.events.map((event, i) => [origins[i]?.line ?? origins[i]?.index, event.id]));
      return (rejection) => byLine.get(rejection.line ?? rejection.index);
    });
  };

  /** Accepts a batch checked against the schema, rejects what must be and scans what is ready. */
  const pushChecked = (
    checked: EventBatch,
    ids: () => (rejection: Rejection) => string | undefined,
  ): StreamUpdate[] | Promise<StreamUpdate[]> => {
    counts.read += checked.read;
    const origins = checked.origins as RecordOrigin[];
    const batch = acceptBatch(checked, acceptor, (i) => origins[i] as RecordOrigin);
    if (batch.rejected.length > 0) {
      const idAt = ids();
      for (const rejection of batch.rejected) {
        const id = rejection.eventId ?? idAt(rejection);
        reject(id !== undefined ? { ...rejection, eventId: id } : rejection);
      }
    }
    const { events } = batch;
    const kept = batch.origins ?? [];
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as ChannelEvent;
      if (event.occurredAt < latest - lateness) {
        reject({ ...rejectionOf(kept[i] ?? { file: sourceName }, lateReason(event)), eventId: event.id });
        continue;
      }
      counts.accepted++;
      if (event.occurredAt > latest) latest = event.occurredAt;
      buffer.add(event);
    }
    // Events earlier than latest − lateness can no longer be preceded by one still to come. At lateness
    // 0 that holds back the events of the latest instant, as a later event of it may still come.
    buffer.release(latest - lateness, ready);
    return scanReady(collect);
  };

  // Events pushed are numbered by their position in the stream (1-based), as lines of the source `sourceName`.
  const push = (events: readonly ChannelEventInput[]): StreamUpdate[] | Promise<StreamUpdate[]> => {
    if (!Array.isArray(events)) throw new TypeError(`StreamScanner.push: expected an array of events, got ${events === null ? "null" : typeof events}`);
    const first = line + 1;
    line += events.length;
    return pushRecords(events.map((value, i): RawRecord => ({ origin: { file: sourceName, line: first + i }, value })));
  };

  const finish = (): StreamUpdate[] | Promise<StreamUpdate[]> => {
    assertOpen("finish");
    if (pending) return pending.then(() => finish());
    buffer.drain(ready);
    return scanReady(() => {
      // Everything closes now: a finding opened or changed by the last events is reported by its close alone.
      const updates = collect().filter((update) => update.change === "close");
      for (const finding of scanner.finish()) {
        tally.add(finding);
        updates.push({ change: "close", finding });
      }
      // Findings of reference data alone are final from the start: they close with the stream.
      for (const finding of initial) {
        tally.add(finding);
        updates.push({ change: "close", finding });
      }
      finished = true;
      // Events were read and none could be judged (unknown partners, a wrong reference folder): not "no conflicts".
      if (counts.read > 0 && counts.accepted === 0) throw withWarnings(collectionRejected(sourceName, "events", opened.counts, firstEventRejection));
      try {
        requireFewRejected(opened.counts, maxRejected, sourceName, firstRejection);
      } catch (error) {
        throw error instanceof DatasetError ? withWarnings(error) : error;
      }
      return updates;
    });
  };
  const withWarnings = (error: DatasetError): DatasetError => {
    error.warnings = warnings;
    return error;
  };

  const checkpoint = (): Uint8Array => {
    assertOpen("checkpoint");
    if (pending) throw new Error("StreamScanner.checkpoint: a push is still pending; await it first");
    const state: StreamState = {
      identity,
      initial,
      initialReported,
      line,
      counts: { read: counts.read, accepted: counts.accepted, rejected: counts.rejected },
      latest: Number.isFinite(latest) ? latest : null,
      buffer: buffer.toState(),
      acceptor: acceptor.toState(),
      scanner: scanner.toState(),
      tally: { total: tally.total, bySeverity: tally.bySeverity, byKind: tally.byKind },
      firstRejection: firstRejection ?? null,
      firstEventRejection: firstEventRejection ?? null,
    };
    return encodeCheckpoint(state);
  };

  const summary = (): ScanSummary =>
    summarize(tally, { events: counts.accepted, rejected: counts.rejected, skipped: scanner.skippedSummary(), skippedByCode: scanner.skippedByCode(), records: opened.counts, warnings });

  const readSettings = { maxRecordBytes: parsed.maxRecordBytes, maxJsonFileBytes: parsed.maxJsonFileBytes, timeZone: opened.zone.name };
  return { push, pushRecords, pushValidated, readSettings, checkpoint, finish, summary };
}
