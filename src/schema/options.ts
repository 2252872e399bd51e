import { z } from "zod";

/** Options of `scan` and `scanStream` (the rule set is checked separately). */
export const scanOptionsSchema = z.strictObject({
  rules: z.unknown().optional(),
  reference: z.unknown().optional(),
  /** At most this many evidence event ids per finding (`count` stays the total). */
  maxEvidence: z.number().int().min(50, "must be at least 50").default(50),
  /** Longest NDJSON line or CSV record, in bytes. */
  maxRecordBytes: z.number().int().positive().default(1 << 20),
  /** Largest JSON array file read whole, in bytes. */
  maxJsonFileBytes: z.number().int().positive().default(256 << 20),
  /** Most findings kept open at once in a stream before the scan stops with a LimitError. */
  maxOpenFindings: z.number().int().positive().default(1_000_000),
  /** Called for every rejected event of a stream (batch scans list them in the report). */
  onRejected: z.custom<(rejection: unknown) => void>((v) => typeof v === "function", "must be a function").optional(),
  onProgress: z.custom<(progress: unknown) => void>((v) => typeof v === "function", "must be a function").optional(),
  evaluator: z.enum(["compiled", "json-rules-engine"]).default("compiled"),
  duplicateWindowDays: z.number().positive().default(1),
  /** Name rejections of a stream carry as their `file`. */
  sourceName: z.string().min(1).optional(),
});
export type ScanOptionsInput = z.input<typeof scanOptionsSchema>;
