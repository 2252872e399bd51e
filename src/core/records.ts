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
