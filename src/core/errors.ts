import type { ScanWarning } from "./warnings.js";

/** Every error channel-conflict throws carries a stable `code` a caller can switch on. */
export class ChannelConflictError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Why a dataset cannot be scanned as asked:
 * - `DATASET_UNREADABLE`: a folder or file that cannot be read at all (missing, unreadable, ambiguous);
 * - `NO_EVENTS`: no events to scan (no events file, or one holding no record);
 * - `COLLECTION_REJECTED`: a collection every record of which was rejected;
 * - `TOO_MANY_REJECTED`: more records rejected than the `maxRejected` option allows;
 * - `MANIFEST_INVALID`: the dataset's `channel-conflict.yaml` (or `.json`) cannot be parsed or has problems (`problems` lists them).
 */
export type DatasetErrorCode = "DATASET_UNREADABLE" | "NO_EVENTS" | "COLLECTION_REJECTED" | "TOO_MANY_REJECTED" | "MANIFEST_INVALID";

/**
 * A dataset that cannot be read, or whose scan could not mean what it says (a report of "no conflicts"
 * from a dataset with no events is a silent failure, not a result). `code` says which.
 */
export class DatasetError extends ChannelConflictError {
  declare readonly code: DatasetErrorCode;
  readonly file: string;
  /** The collection at fault, for `NO_EVENTS` (`events`) and `COLLECTION_REJECTED`. */
  readonly collection?: string;
  /**
   * The warnings of the scan that failed (set by `scan` and `scanStream`): a file that was not read,
   * such as `partner.json`, is often why a collection is missing or every event was rejected.
   */
  warnings: readonly ScanWarning[] = [];
  /** For `MANIFEST_INVALID`: each problem as one line, `file:line: path: what is wrong`. */
  problems: readonly string[] = [];

  constructor(file: string, message: string, options?: { cause?: unknown; code?: DatasetErrorCode; collection?: string }) {
    super(options?.code ?? "DATASET_UNREADABLE", `${file}: ${message}`, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.file = file;
    if (options?.collection !== undefined) this.collection = options.collection;
  }
}

/**
 * What is wrong, as a code a program can switch on: zod's issue codes for the shape of a rule
 * (`invalid_type`, `invalid_value`, `too_small`, …), and these for the rest.
 */
export type RuleProblemCode =
  | "unreadable_file"
  | "empty_file"
  | "unknown_key"
  | "duplicate_id"
  | "missing_conditions"
  | "invalid_root"
  | "invalid_condition"
  | "ambiguous_condition"
  | "empty_condition"
  | "named_condition"
  | "unexpected_key"
  | "missing_value"
  | "unknown_fact"
  | "unknown_operator"
  | "needs_list"
  | "unsafe_path"
  | "too_deep"
  | "too_many_conditions"
  | "unknown_parameter"
  | "no_rule_files"
  | "no_enabled_rule"
  | "unknown_check"
  | "unknown_value"
  | "wrong_type"
  | "wrong_operator"
  | "fact_not_set"
  | "no_check"
  | "never_fires"
  | "unknown_extends"
  | "extends_unavailable"
  | "unknown_override"
  | "invalid_override"
  | "invalid_rule_file"
  | (string & {});

/**
 * One problem of a rule set: where it is (file, line when known, path inside the file), which rule
 * (`ruleId`, when the rule has an id), what is wrong (`code`), and the message.
 */
export interface RuleProblem {
  readonly file: string;
  readonly path: string;
  readonly code: RuleProblemCode;
  readonly message: string;
  /** The line (from 1) in `file` of what is wrong, or of its nearest enclosing node; absent when unknown (rules given in memory). */
  readonly line?: number;
  /** The id of the rule the problem is in, when it has one. */
  readonly ruleId?: string;
}

/**
 * A problem as one line: `file:line: rule <id>: path: message`, leaving out what is unknown
 * (`file:path: message` for a problem of no rule on no known line).
 */
export function formatRuleProblem(problem: RuleProblem): string {
  const where = problem.line !== undefined ? `${problem.file}:${problem.line}: ` : problem.ruleId !== undefined ? `${problem.file}: ` : `${problem.file}:`;
  return `${where}${problem.ruleId !== undefined ? `rule ${problem.ruleId}: ` : ""}${problem.path}: ${problem.message}`;
}

/**
 * Why a rule set is refused: `RULES_INVALID` (it does not validate) or `NO_ENABLED_RULE` (it would run
 * no rule at all — an empty folder, or every rule `enabled: false` — so "no conflicts" would mean nothing).
 */
export type RuleSetErrorCode = "RULES_INVALID" | "NO_ENABLED_RULE";

/** A rule set that does not validate, or has no enabled rule; it is refused whole and lists every problem. */
export class RuleSetError extends ChannelConflictError {
  declare readonly code: RuleSetErrorCode;
  readonly problems: readonly RuleProblem[];

  constructor(problems: readonly RuleProblem[], code: RuleSetErrorCode = "RULES_INVALID") {
    super(
      code,
      code === "NO_ENABLED_RULE"
        ? problems.map(formatRuleProblem).join("\n")
        : `the rule set has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` + problems.map(formatRuleProblem).join("\n"),
    );
    this.problems = problems;
  }
}

/** Options that do not validate (unknown format, negative cap, …). */
export class OptionsError extends ChannelConflictError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("OPTIONS_INVALID", message, options);
  }
}

/** A configured resource limit was reached; the message names the limit and the option that sets it. */
export class LimitError extends ChannelConflictError {
  readonly limit: string;

  constructor(limit: string, message: string) {
    super("LIMIT_EXCEEDED", message);
    this.limit = limit;
  }
}

/** Why a stream's checkpoint was refused. */
export type CheckpointErrorCode = "CHECKPOINT_INVALID" | "CHECKPOINT_VERSION" | "CHECKPOINT_MISMATCH";

/**
 * Bytes given as a stream scanner's `checkpoint` that it cannot resume from: not a checkpoint
 * (`CHECKPOINT_INVALID`), written by another format version (`CHECKPOINT_VERSION`), or of another rule
 * set, other reference data or other settings (`CHECKPOINT_MISMATCH`, naming which).
 */
export class CheckpointError extends ChannelConflictError {
  declare readonly code: CheckpointErrorCode;

  constructor(code: CheckpointErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, `checkpoint: ${message}`, options);
  }
}
