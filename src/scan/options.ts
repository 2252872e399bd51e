import { z } from "zod";
import { OptionsError } from "../core/errors.js";
import type { Rejection } from "../core/records.js";
import type { DatasetSource } from "../dataset/loadDataset.js";
import { DETECTORS } from "../detectors/registry.js";
import { EVALUATOR_KINDS } from "../engine/createEvaluator.js";
import { DEFAULT_READ_LIMITS } from "../io/readRecords.js";
import type { RuleSet } from "../rules/types.js";
import { conditionProblems, type Registry } from "../rules/validateRules.js";
import { formatIssues } from "../schema/formatIssues.js";
import { closestName } from "../core/closestName.js";
import { isTimeZone, timeZoneNames } from "../core/zonedTime.js";
import { LANGS } from "../messages/types.js";

/** An IANA time zone name, checked against the zones the runtime knows. */
const timeZoneSchema = z.string().superRefine((name, ctx) => {
  if (isTimeZone(name)) return;
  const close = closestName(name, timeZoneNames());
  ctx.addIssue({ code: "custom", message: `"${name}" is not an IANA time zone${close ? `; did you mean ${close}?` : " such as Asia/Shanghai or UTC"}` });
});

/** How far a scan has come. */
export interface ScanProgress {
  readonly phase: "reading" | "scanning" | "done";
  /** Event records read so far. */
  readonly read: number;
  /** Events scanned so far. */
  readonly scanned: number;
  /** Findings final so far. */
  readonly findings: number;
}

const callback = <T>() => z.custom<T>((value) => typeof value === "function", "must be a function");

/** The options of `scan`: declared here only — their types are inferred, their defaults set here. */
export const scanOptionsSchema = z.strictObject({
  /** The rules to run; the shipped rules when absent (checked further by `parseOptions`). */
  rules: z.custom<RuleSet>().optional(),
  /** At most this many evidence event ids per finding (any positive whole number, default 50); `count` stays the total. */
  maxEvidence: z.number().int().positive().default(50),
  /** Longest NDJSON line or CSV record in bytes (default 1 MiB); longer ones are rejected. */
  maxRecordBytes: z.number().int().positive().default(DEFAULT_READ_LIMITS.maxRecordBytes),
  /** Largest JSON array file read whole, in bytes (default 256 MiB). */
  maxJsonFileBytes: z.number().int().positive().default(DEFAULT_READ_LIMITS.maxJsonFileBytes),
  /** Most findings open at once before the scan stops with a LimitError (default 1,000,000). */
  maxOpenFindings: z.number().int().positive().default(1_000_000),
  /**
   * Most records that may be rejected, over every collection, before the scan fails with a
   * `DatasetError` of code `TOO_MANY_REJECTED`: a count (`0`: none) or a share of the records read
   * (`"5%"`). Default: no limit — a rejected record is listed and counts as absent, and a collection
   * every record of which is rejected fails the scan whatever this says.
   */
  maxRejected: z
    .custom<number | `${number}%`>(
      (value) =>
        (typeof value === "number" && Number.isInteger(value) && value >= 0) ||
        (typeof value === "string" && /^\d+(\.\d+)?%$/.test(value) && Number.parseFloat(value) <= 100),
      'must be a count of 0 or more (e.g. 10) or a percentage of the records read from 0% to 100% (e.g. "5%")',
    )
    .optional(),
  /**
   * How rule conditions are evaluated: `compiled` (default; synchronous, json-rules-engine's semantics)
   * or `json-rules-engine` (the real engine, one run per candidate — slower, for cross-checking).
   */
  evaluator: z.enum(EVALUATOR_KINDS).default("compiled"),
  /**
   * The IANA time zone (`Asia/Shanghai`) of bare dates and times without an offset, in which messages show
   * dates. Default: the dataset manifest's `timeZone`, else UTC; this option wins over the manifest.
   */
  timeZone: timeZoneSchema.optional(),
  /** The language of titles, messages and remediation (`en` default, or `zh-CN`); ids, codes and keys never change with it. */
  lang: z.enum(LANGS).default("en"),
  /** The partner scorecard's policy: points per severity and per repeat offence, and where each tier starts. */
  scorecard: z
    .strictObject({
      points: z.strictObject({ low: z.number().min(0), medium: z.number().min(0), high: z.number().min(0), critical: z.number().min(0) }).partial().optional(),
      repeatPoints: z.number().min(0).optional(),
      tiers: z.strictObject({ review: z.number().min(0), audit: z.number().min(0), hold: z.number().min(0) }).partial().optional(),
    })
    .optional(),
  /** Called every 10,000 events read and scanned, and once at the end (the CLI draws progress with it). */
  onProgress: callback<(progress: ScanProgress) => void>().optional(),
  /**
   * Scan one of `count` disjoint shards (`index` from 0): every shard reads and validates the whole dataset,
   * and judges only its share of the events (by sku for prices and shipping, by customer for poaching; the
   * findings of reference data alone in shard 0). The report carries `shards`; `mergeReports` of every
   * shard's report equals the report of one scan.
   */
  shard: z
    .strictObject({ index: z.number().int().nonnegative(), count: z.number().int().positive().max(1024) })
    .refine((shard) => shard.index < shard.count, "index must be less than count")
    .optional(),
  /**
   * Megabytes of events an event file that is not in time order may hold in memory while it is sorted
   * (default 64, at least 16): beyond it, sorted runs go to a temporary folder and are merged back.
   * Peak memory is about the scan's own (~300 MB for a million events) plus up to about three times
   * this (README, "Performance").
   */
  maxMemoryMB: z.number().int().min(16).default(64),
});

/** Options of `scan`. */
export type ScanOptions = z.input<typeof scanOptionsSchema>;

/** The options of `scanStream`: those of `scan` and the stream's own. */
export const scanStreamOptionsSchema = scanOptionsSchema.extend({
  /** The reference data: a dataset folder or in-memory collections (its events, if any, are ignored). */
  reference: z.custom<DatasetSource>((value) => value !== undefined, "expected a dataset folder or in-memory collections for the reference data"),
  /** Called with every rejected event (bad record, unknown partner, duplicate, out of time order). */
  onRejected: callback<(rejection: Rejection) => void>().optional(),
  /** Name used for rejections' `file` (default `stream`). */
  sourceName: z.string().min(1).optional(),
  /**
   * Duplicate event ids are caught among events less than this many days apart (default 1: resent
   * events come soon after the original): a stream cannot remember every id it ever saw and stay bounded.
   */
  duplicateWindowDays: z.number().positive().default(1),
  /**
   * How much earlier than the latest event read an event may be and still be put back in order (default 0:
   * none): milliseconds, or a duration such as `"2h"` (`parseDuration`). Later ones are rejected with their id.
   */
  allowedLateness: z.union([z.number().nonnegative(), z.string()]).default(0),
  /** Bytes from `checkpoint()` of an earlier scanner of the same rules and reference data, to resume from. */
  checkpoint: z.custom<Uint8Array>((value) => value instanceof Uint8Array, "expected the bytes of scanner.checkpoint() (a Uint8Array)").optional(),
  /**
   * Resume from a `checkpoint` taken with other reference data (a territory added since); by default that
   * is refused, as the saved windows and findings were judged against the old data.
   */
  acceptReferenceChange: z.boolean().default(false),
});

/** Options of `scanStream`. */
export type ScanStreamOptions = z.input<typeof scanStreamOptionsSchema>;

/** Validates options against `schema`, defaults filled in; a rule set built by hand gets the checks `loadRules` makes. */
export function parseOptions<Schema extends typeof scanOptionsSchema | typeof scanStreamOptionsSchema>(
  schema: Schema,
  options: unknown,
  registry: Registry = DETECTORS,
): z.output<Schema> {
  const parsed = schema.safeParse(options ?? {}, { reportInput: true });
  if (!parsed.success) throw new OptionsError(`options: ${formatIssues(parsed.error.issues)}`);
  const rules = (options as { rules?: unknown } | undefined)?.rules;
  if (rules !== undefined && !(typeof rules === "object" && rules !== null && Array.isArray((rules as RuleSet).rules))) {
    throw new OptionsError("options.rules: expected a rule set from loadRules()");
  }
  // The fast evaluator relies on these checks (a validated condition cannot throw, so it may skip what cannot fire).
  for (const [i, rule] of ((rules as RuleSet | undefined)?.rules ?? []).entries()) {
    const kind = typeof rule === "object" && rule !== null ? rule.kind : undefined;
    if (typeof kind !== "string" || !Object.hasOwn(registry, kind)) {
      throw new OptionsError(`options.rules.rules[${i}].kind: expected one of ${Object.keys(registry).join(", ")}; load rules with loadRules()`);
    }
    const problems = conditionProblems(kind, rule.conditions, registry);
    if (problems.length > 0) {
      const listed = problems.slice(0, 3).map(([path, message]) => `${path}: ${message}`).join("; ");
      throw new OptionsError(`options.rules: rule "${String(rule.id)}" ${listed}; load rules with loadRules()`);
    }
  }
  return parsed.data as z.output<Schema>;
}
