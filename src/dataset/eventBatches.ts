import { parseNdjsonLine, type RawRecord, type ReadLimits, type RecordOrigin } from "../io/readRecords.js";
import type { TextLine } from "../io/lines.js";
import type { ChannelEvent } from "../schema/dataset.js";
import { rejectionOf, type Rejection } from "./types.js";
import type { EventValidator } from "./validateRecords.js";

/** A batch of event records after validation: the events in read order, what was rejected, how many were read. */
export interface EventBatch {
  readonly events: ChannelEvent[];
  /** Where each event came from (same order), when known — needed to reject a late event in a stream. */
  readonly origins?: RecordOrigin[];
  readonly rejected: Rejection[];
  readonly read: number;
}

/** Validates raw record batches in this thread. */
export async function* validateBatches(batches: AsyncIterable<readonly RawRecord[]>, validator: EventValidator): AsyncGenerator<EventBatch> {
  for await (const raws of batches) yield validateBatch(raws, validator, true);
}

/** Validates one batch of raw records, in order. */
export function validateBatch(raws: readonly RawRecord[], validator: EventValidator, keepOrigins: boolean): EventBatch {
  const events: ChannelEvent[] = [];
  const origins: RecordOrigin[] = [];
  const rejected: Rejection[] = [];
  for (const raw of raws) {
    const result = validator.validate(raw);
    if (result.ok) {
      events.push(result.event);
      if (keepOrigins) origins.push(raw.origin);
    } else {
      rejected.push(rejectionOf(raw.origin, result.reason));
    }
  }
  return keepOrigins ? { events, origins, rejected, read: raws.length } : { events, rejected, read: raws.length };
}

/**
 * `validateBatch` of the records of a batch of NDJSON lines of `file`, without a record object per line:
 * a line JSON.parse reads goes straight to the validator; blank, broken and too long lines take the
 * record path and come out as they would from `readCollectionBatches`.
 */
export function validateLines(lines: readonly TextLine[], file: string, limits: ReadLimits, validator: EventValidator): EventBatch {
  const events: ChannelEvent[] = [];
  const rejected: Rejection[] = [];
  let read = 0;
  for (const item of lines) {
    let value: unknown;
    let parsed = false;
    if ("text" in item) {
      try {
        value = JSON.parse(item.text);
        parsed = true;
      } catch {
        // Not JSON or blank: the record path below says which.
      }
    }
    if (parsed) {
      read++;
      const result = validator.check(value);
      if (typeof result === "string") rejected.push(rejectionOf({ file, line: item.line }, result));
      else events.push(result);
      continue;
    }
    const raw = parseNdjsonLine(item, file, limits);
    if (raw === undefined) continue;
    read++;
    const result = validator.validate(raw);
    if (result.ok) events.push(result.event);
    else rejected.push(rejectionOf(raw.origin, result.reason));
  }
  return { events, rejected, read };
}
