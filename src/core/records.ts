import type { RejectionCode, RejectionMessages } from "./rejectionReasons.js";

/** Where a record came from: a file and its line (NDJSON, CSV) or its index in a JSON array. */
export interface RecordOrigin {
  readonly file: string;
  readonly line?: number;
  readonly index?: number;
}

/** A record that was read but not used: where it was and why (`rejectionOf` makes one). */
export interface Rejection {
  readonly file: string;
  readonly line?: number;
  readonly index?: number;
  /** The event's id, when a stream could read it (a late or duplicate event, say). */
  readonly eventId?: string;
  /** Why, in English in every language (programs and error messages read it); `code` and `args` say the same as data. */
  readonly reason: string;
  /** Why, as a code (`invalid_fields`, `unknown_reference`, `duplicate_event`, …: the keys of `RejectionMessages`). */
  readonly code: RejectionCode;
  /** The values the reason is made of (the fields and what was wrong with each, the unknown id, …). */
  readonly args: RejectionMessages[RejectionCode];
}
