import type { z } from "zod";
import { rejectionTextsEn } from "../messages/rejections/en.js";
import type { FieldIssue, GivenValue } from "../core/rejectionReasons.js";
import { EN_WORDS } from "../messages/en.js";

/** Renders a path such as `shipTo.region` or `skus[2]`; the empty path is `(record)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(record)" : out;
}

function isRecord(input: unknown): input is Record<string, unknown> {
  return typeof input === "object" && input !== null && !Array.isArray(input);
}

/** What a value was, as a message names it: its type, and a short text of it where one helps. */
function givenOf(input: unknown): GivenValue {
  if (input === undefined) return { type: "missing" };
  if (input === null) return { type: "null" };
  if (Array.isArray(input)) return { type: "array" };
  if (typeof input === "object") return { type: "object" };
  if (typeof input === "string") return { type: "string", text: JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input) };
  return { type: typeof input, text: String(input) };
}

/** One zod issue as data a message of any language is rendered from (`FieldIssue`). */
function fieldIssueOf(issue: z.core.$ZodIssue): FieldIssue {
  const base = { path: formatPath(issue.path), code: issue.code, message: issue.message };
  if (issue.code === "invalid_union") {
    // A discriminated union (events by `type`) names its options; zod's own message leaves out what was given.
    const { discriminator, options } = issue as { discriminator?: unknown; options?: unknown };
    if (typeof discriminator === "string" && Array.isArray(options)) {
      const given = isRecord(issue.input) ? issue.input[discriminator] : undefined;
      return { ...base, values: options.map((v) => JSON.stringify(v)), got: givenOf(given) };
    }
  }
  if (issue.code === "invalid_value" && "values" in issue) return { ...base, values: issue.values.map((v) => JSON.stringify(v)), got: givenOf(issue.input) };
  if (issue.code === "invalid_type") return { ...base, expected: issue.expected, got: givenOf(issue.input) };
  if (issue.code === "too_small" || issue.code === "too_big") {
    const limit = issue.code === "too_small" ? { minimum: Number(issue.minimum) } : { maximum: Number(issue.maximum) };
    return { ...base, ...limit, ...(issue.inclusive !== undefined ? { inclusive: issue.inclusive } : {}), origin: issue.origin };
  }
  if (issue.code === "invalid_format" && "pattern" in issue && typeof issue.pattern === "string") return { ...base, pattern: issue.pattern };
  if (issue.code === "custom" && typeof issue.params?.reason === "string") return { ...base, reason: issue.params.reason, got: givenOf(issue.input) };
  return base;
}

/** Zod issues as data (`FieldIssue`): what a rejection's `invalid_fields` reason carries. */
export function fieldIssuesOf(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map(fieldIssueOf);
}

/** Renders zod issues as one line in English: `path: what is wrong` for each, joined by `; `. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return rejectionTextsEn.invalid_fields({ issues: fieldIssuesOf(issues) }, EN_WORDS);
}
