import { rejectionOf, type RecordOrigin, type Rejection } from "../core/records.js";
import { parseNdjsonLine, type RawRecord, type ReadLimits } from "../io/readRecords.js";
import { decodeLine, type ByteLines } from "../io/lines.js";
import type { ChannelEvent } from "../schema/dataset.js";

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

/** Reads the event of the JSON text `bytes[start, end)` (`text`: the bytes as latin1) into the batch; false when the line must be parsed. */
export type LineReader = (bytes: Buffer, text: string, start: number, end: number) => boolean;

/**
 * Checks the records of a batch of NDJSON lines of `file` without a record object per line: `fast`
 * reads the lines it can from their bytes; the others are decoded, and what JSON.parse reads goes
 * straight to `take`; blank, broken and too long lines take the record path and are rejected as
 * `readCollectionBatches` would. The line of each event taken is pushed to `lineOf`.
 */
export function validateLines(
  lines: ByteLines,
  file: string,
  limits: ReadLimits,
  { fast, take }: { readonly fast: LineReader; readonly take: RecordSink },
  lineOf: number[],
): Omit<EventBatch, "events"> {
  const rejected: Rejection[] = [];
  let read = 0;
  const { bytes, numbers, starts, ends } = lines;
  // One string of the chunk, one char per byte, for the fast reader to cut its strings from.
  const latin1 = bytes.toString("latin1");
  for (let i = 0; i < numbers.length; i++) {
    const start = starts[i] as number;
    let reason: string | undefined;
    if (start < 0 || !fast(bytes, latin1, start, ends[i] as number)) {
      const item = decodeLine(lines, i);
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
    }
    read++;
    if (reason !== undefined) rejected.push(rejectionOf({ file, line: numbers[i] as number }, reason));
    else lineOf.push(numbers[i] as number);
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
  reject: (event: ChannelEvent, i: number) => string | undefined,
): EventBatch {
  const { events } = batch;
  let kept = events;
  let refused: Rejection[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as ChannelEvent;
    const reason = reject(event, i);
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
