/** Every error channel-conflict throws carries a stable `code` a caller can switch on. */
export class ChannelConflictError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A dataset folder or file that cannot be read at all (missing, unreadable, ambiguous). */
export class DatasetError extends ChannelConflictError {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super("DATASET_UNREADABLE", `${file}: ${message}`, options);
    this.file = file;
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
  | (string & {});

/** One problem of a rule set: where it is (file and path inside it), what is wrong (`code`), and the message. */
export interface RuleProblem {
  readonly file: string;
  readonly path: string;
  readonly code: RuleProblemCode;
  readonly message: string;
}

/** A problem as one line: `file:path: message`. */
export function formatRuleProblem(problem: RuleProblem): string {
  return `${problem.file}:${problem.path}: ${problem.message}`;
}

/** A rule set that does not validate; it is refused whole and lists every problem. */
export class RuleSetError extends ChannelConflictError {
  readonly problems: readonly RuleProblem[];

  constructor(problems: readonly RuleProblem[]) {
    super(
      "RULES_INVALID",
      `the rule set has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` + problems.map(formatRuleProblem).join("\n"),
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
