/** Where a record came from: a file and its line (NDJSON, CSV) or its index in a JSON array. */
export interface RecordOrigin {
  readonly file: string;
  readonly line?: number;
  readonly index?: number;
}

/** A record that was read but not used: where it was and why. */
export interface Rejection {
  readonly file: string;
  readonly line?: number;
  readonly index?: number;
  /** The event's id, when a stream could read it (a late or duplicate event, say). */
  readonly eventId?: string;
  readonly reason: string;
}

/** The rejection of the record at `origin`, for `reason`. */
export function rejectionOf(origin: RecordOrigin, reason: string): Rejection {
  return {
    file: origin.file,
    ...(origin.line !== undefined ? { line: origin.line } : {}),
    ...(origin.index !== undefined ? { index: origin.index } : {}),
    reason,
  };
}

/**
 * A rejection as one line, `<file>:<line>: <reason>` (`<file>:[<index>]: <reason>` for a record of a JSON
 * array or an in-memory array), as errors and warnings are written.
 * @example
 * formatRejection({ file: "events.ndjson", line: 7, reason: "quantity: must be greater than 0" });
 * // "events.ndjson:7: quantity: must be greater than 0"
 */
export function formatRejection(rejection: Rejection): string {
  const where = rejection.line !== undefined ? `${rejection.line}` : rejection.index !== undefined ? `[${rejection.index}]` : "?";
  return `${rejection.file}:${where}: ${rejection.eventId !== undefined ? `event "${rejection.eventId}": ` : ""}${rejection.reason}`;
}
