import { parseNdjsonLine, type RawRecord, type ReadLimits, type RecordOrigin } from "../io/readRecords.js";
import type { TextLine } from "../io/lines.js";
import type { ChannelEvent } from "../schema/dataset.js";
import { rejectionOf, type Rejection } from "./types.js";

/** A batch of event records after validation: the events in read order, what was rejected, how many were read. */
export interface EventBatch {
  readonly events: ChannelEvent[];
  /** Where each event came from (same order), when known — needed to reject a late event in a stream. */
  readonly origins?: RecordOrigin[];
  readonly rejected: Rejection[];
  readonly read: number;
}

/** What validates one parsed record: the event, or the reason it is rejected (`EventValidator`, `EventSchemaReader`). */
export interface RecordChecker {
  check(value: unknown): ChannelEvent | string;
}

/** Validates raw record batches in this thread. */
export async function* validateBatches(batches: AsyncIterable<readonly RawRecord[]>, checker: RecordChecker): AsyncGenerator<EventBatch> {
  for await (const raws of batches) yield validateBatch(raws, checker);
}

/** Validates one batch of raw records, in order, with the origin of each event. */
export function validateBatch(raws: readonly RawRecord[], checker: RecordChecker): EventBatch {
  const events: ChannelEvent[] = [];
  const origins: RecordOrigin[] = [];
  const rejected: Rejection[] = [];
  for (const raw of raws) {
    const result = "error" in raw ? raw.error : checker.check(raw.value);
    if (typeof result === "string") {
      rejected.push(rejectionOf(raw.origin, result));
    } else {
      events.push(result);
      origins.push(raw.origin);
    }
  }
  return { events, origins, rejected, read: raws.length };
}

/** Takes parsed records: the reason a record is rejected, or undefined when it took the record's event. */
export type RecordSink = (value: unknown) => string | undefined;

/**
 * Checks the records of a batch of NDJSON lines of `file` without a record object per line: a line
 * JSON.parse reads goes straight to `take`; blank, broken and too long lines take the record path and are
 * rejected as `readCollectionBatches` would. The line of each event taken is pushed to `lineOf`.
 */
export function validateLines(lines: readonly TextLine[], file: string, limits: ReadLimits, take: RecordSink, lineOf: number[]): Omit<EventBatch, "events"> {
  const rejected: Rejection[] = [];
  let read = 0;
  for (const item of lines) {
    let reason: string | undefined;
    let parsed = false;
    if ("text" in item) {
      let value: unknown;
      try {
        value = JSON.parse(item.text);
        parsed = true;
      } catch {
        // Not JSON or blank: the record path below says which.
      }
      if (parsed) reason = take(value);
    }
    if (!parsed) {
      const raw = parseNdjsonLine(item, file, limits);
      if (raw === undefined) continue;
      reason = "error" in raw ? raw.error : take(raw.value);
    }
    read++;
    if (reason !== undefined) rejected.push(rejectionOf({ file, line: item.line }, reason));
    else lineOf.push(item.line);
  }
  return { rejected, read };
}

/**
 * The batch with the events `reject` gives a reason for moved to its rejections, which stay in file
 * order; `positions` holds the line or index (as `at` says) in `file` of each event.
 */
export function acceptBatch(
  batch: EventBatch,
  positions: ArrayLike<number>,
  file: string,
  at: "line" | "index",
  reject: (event: ChannelEvent) => string | undefined,
): EventBatch {
  const { events } = batch;
  let kept = events;
  let refused: Rejection[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as ChannelEvent;
    const reason = reject(event);
    if (reason === undefined) {
      if (kept !== events) kept.push(event);
      continue;
    }
    if (kept === events) kept = events.slice(0, i);
    (refused ??= []).push(rejectionOf({ file, [at]: positions[i] as number }, reason));
  }
  if (!refused) return batch;
  const position = (r: Rejection) => r.line ?? r.index ?? 0;
  const rejected = [...batch.rejected, ...refused].sort((a, b) => position(a) - position(b));
  return { events: kept, rejected, read: batch.read };
}
