import { isRejectionReason, type RejectionReason } from "../core/rejectionReasons.js";
import { type RecordOrigin, type Rejection } from "../core/records.js";
import { rejectionOf } from "../messages/rejections/renderRejection.js";
import { parseNdjsonLine, type RawRecord, type ReadLimits } from "../io/readRecords.js";
import { decodeLine, type ByteLines } from "../io/lines.js";
import type { ChannelEvent } from "../schema/dataset.js";
import type { EventAcceptance } from "./validateRecords.js";

/** A batch of event records after validation: the events in read order, what was rejected, how many were read. */
export interface EventBatch {
  readonly events: ChannelEvent[];
  /** Where each event came from (same order), when known — needed to reject a late event in a stream. */
  readonly origins?: RecordOrigin[];
  readonly rejected: Rejection[];
  readonly read: number;
}

/** What checks one parsed record against the event schema: the event, or the reason it is rejected (`EventSchemaReader`). */
export interface RecordChecker {
  check(value: unknown): ChannelEvent | RejectionReason;
}

/** What validates a batch of raw records whole: schema and reference data (`EventValidator`). */
export interface BatchValidator {
  validate(raws: readonly RawRecord[]): EventBatch;
}

/** Validates raw record batches in this thread. */
export async function* validateBatches(batches: AsyncIterable<readonly RawRecord[]>, validator: BatchValidator): AsyncGenerator<EventBatch> {
  for await (const raws of batches) yield validator.validate(raws);
}

/** Validates one batch of raw records, in order, with the origin of each event. */
export function validateBatch(raws: readonly RawRecord[], checker: RecordChecker): EventBatch {
  const events: ChannelEvent[] = [];
  const origins: RecordOrigin[] = [];
  const rejected: Rejection[] = [];
  for (const raw of raws) {
    const result = "error" in raw ? raw.error : checker.check(raw.value);
    if (isRejectionReason(result)) {
      rejected.push(rejectionOf(raw.origin, result));
    } else {
      events.push(result);
      origins.push(raw.origin);
    }
  }
  return { events, origins, rejected, read: raws.length };
}

/** Takes parsed records: the reason a record is rejected, or undefined when it took the record's event. */
export type RecordSink = (value: unknown) => RejectionReason | undefined;

/** Reads the event of the JSON text `bytes[start, end)` (`text`: the bytes as latin1) into the batch; false when the line must be parsed. */
export type LineReader = (bytes: Buffer, text: string, start: number, end: number) => boolean;

/**
 * Checks the records of a batch of NDJSON lines of `file` without a record object per line: `fast`
 * reads the lines it can from their bytes; the others are decoded, and what JSON.parse reads goes
 * straight to `take`; blank, broken and too long lines take the record path and are rejected as
 * `readCollectionBatches` would, and lines not valid in the file's encoding (start < 0, like too long
 * ones, so `fast` never reads them) are rejected with their reason. The line of each event taken is pushed to `lineOf`.
 */
export function validateLines(
  lines: ByteLines,
  file: string,
  limits: ReadLimits,
  { fast, take, ids = false }: { readonly fast: LineReader; readonly take: RecordSink; readonly ids?: boolean },
  lineOf: number[],
): Omit<EventBatch, "events"> {
  const rejected: Rejection[] = [];
  let read = 0;
  const { bytes, numbers, starts, ends } = lines;
  // One string of the chunk, one char per byte, for the fast reader to cut its strings from.
  const latin1 = bytes.toString("latin1");
  for (let i = 0; i < numbers.length; i++) {
    const start = starts[i] as number;
    let reason: RejectionReason | undefined;
    let value: unknown;
    if (start < 0 || !fast(bytes, latin1, start, ends[i] as number)) {
      const item = decodeLine(lines, i);
      let parsed = false;
      if ("invalid" in item) {
        // Bytes not valid in the file's encoding: rejected, never read.
        reason = item.invalid;
        parsed = true;
      } else if ("text" in item) {
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
        if (!("error" in raw)) value = raw.value;
        reason = "error" in raw ? raw.error : take(raw.value);
      }
    }
    read++;
    if (reason !== undefined) {
      const rejection = rejectionOf({ file, line: numbers[i] as number }, reason);
      // A stream's rejections name the event when its id could be read.
      const id = ids ? idOfValue(value) : undefined;
      rejected.push(id === undefined ? rejection : { ...rejection, eventId: id });
    }
    else lineOf.push(numbers[i] as number);
  }
  return { rejected, read };
}

/** The `id` of a parsed record, when it is a string. */
export function idOfValue(value: unknown): string | undefined {
  const id = typeof value === "object" && value !== null ? (value as { id?: unknown }).id : undefined;
  return typeof id === "string" ? id : undefined;
}

/**
 * The batch with the events `acceptance` rejects moved to its rejections, which stay in read order
 * (by line or index: a batch comes from one file); `originOf(i)` says where event `i` was read (asked
 * only of events rejected), `repeatOf(i)` whether the reader saw its id before, when the reader marks
 * repeats. The origins of the events, when the batch has them, stay in step with the events kept.
 */
export function acceptBatch(
  batch: EventBatch,
  acceptance: EventAcceptance,
  originOf: (i: number) => RecordOrigin,
  repeatOf?: (i: number) => boolean,
): EventBatch {
  const { events, origins } = batch;
  let kept = events;
  let keptOrigins = origins;
  let refused: Rejection[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as ChannelEvent;
    const reason = repeatOf === undefined ? acceptance.judge(event) : acceptance.judge(event, repeatOf(i));
    if (reason === undefined) {
      if (kept !== events) {
        kept.push(event);
        keptOrigins?.push(origins?.[i] as RecordOrigin);
      }
      continue;
    }
    if (kept === events) {
      kept = events.slice(0, i);
      keptOrigins = origins?.slice(0, i);
    }
    (refused ??= []).push(rejectionOf(originOf(i), reason));
  }
  if (!refused) return batch;
  const position = (r: Rejection) => r.line ?? r.index ?? 0;
  const rejected = [...batch.rejected, ...refused].sort((a, b) => position(a) - position(b));
  return keptOrigins ? { events: kept, origins: keptOrigins, rejected, read: batch.read } : { events: kept, rejected, read: batch.read };
}
