import type { z } from "zod";

/** Renders a path such as `shipTo.region` or `skus[2]`; the empty path is `(record)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(record)" : out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_union" && "errors" in issue && issue.errors.length > 0) {
    // A discriminated union reports its own issue; fall through to zod's message otherwise.
    return issue.message;
  }
  if (issue.code === "invalid_value" && "values" in issue) {
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${describeInput(issue.input)}`;
  }
  if (issue.code === "invalid_type" && typeof issue.input === "number" && !Number.isFinite(issue.input)) {
    return `must be a finite number, got ${String(issue.input)}`;
  }
  if (issue.code === "invalid_type") {
    const got = issue.input === undefined ? "nothing (the field is missing)" : describeInput(issue.input);
    return `expected ${issue.expected}, got ${got}`;
  }
  return issue.message;
}

function describeInput(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "an array";
  if (typeof input === "object") return "an object";
  if (typeof input === "string") return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
  return `${typeof input} ${String(input)}`;
}

/** Renders zod issues as one line: `path: what is wrong` for each, joined by `; `. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${formatPath(issue.path)}: ${describeIssue(issue)}`).join("; ");
}
