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
  if (issue.code === "invalid_union") {
    // A discriminated union (events by `type`) names its options; zod's own message leaves out what was given.
    const { discriminator, options } = issue as { discriminator?: unknown; options?: unknown };
    if (typeof discriminator === "string" && Array.isArray(options)) {
      const given = isRecord(issue.input) ? issue.input[discriminator] : undefined;
      const got = given === undefined ? "nothing (the field is missing)" : describeInput(given);
      return `must be one of ${options.map((v) => JSON.stringify(v)).join(", ")}, got ${got}`;
    }
  }
  if (issue.code === "invalid_value" && "values" in issue) {
    const got = issue.input === undefined ? "nothing (the field is missing)" : describeInput(issue.input);
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${got}`;
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

function isRecord(input: unknown): input is Record<string, unknown> {
  return typeof input === "object" && input !== null && !Array.isArray(input);
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
