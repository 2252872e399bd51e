import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { DatasetError } from "../core/errors.js";
import { formatIssues } from "../schema/formatIssues.js";
import { baselineSchema, suppressionsFileSchema, type Suppression } from "../schema/suppressions.js";
import { parseYamlData } from "./yamlData.js";

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new DatasetError(path, `cannot read the ${what} (${(error as Error).message})`, { cause: error });
  }
}

/** Reads a previous `--format json` report (or an NDJSON file of findings) as a baseline. */
export async function readBaseline(path: string): Promise<z.output<typeof baselineSchema>> {
  const text = await readText(path, "baseline");
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    // Not one JSON document: try NDJSON, one finding per line.
    try {
      document = { findings: text.split(/\r?\n/).filter((line) => line.trim() !== "").map((line) => JSON.parse(line)) };
    } catch (error) {
      throw new DatasetError(path, `not a JSON report nor NDJSON findings (${(error as Error).message}); expected the output of --format json`);
    }
  }
  const findings = (document as { findings?: unknown } | null)?.findings;
  if (Array.isArray(findings) && findings.some((f) => typeof f === "object" && f !== null && !("fingerprint" in f))) {
    throw new DatasetError(path, "its findings have no fingerprint: this baseline predates fingerprints; write it again with --format json");
  }
  const parsed = baselineSchema.safeParse(document, { reportInput: true });
  if (!parsed.success) {
    throw new DatasetError(path, `${formatIssues(parsed.error.issues)}; expected the output of --format json`);
  }
  return parsed.data;
}

/**
 * Reads a suppressions file (YAML or JSON): a list of `{ fingerprint | ruleId + partnerId, reason, expires?, by? }`,
 * or `{ suppressions: [...] }`. A problem is named by its line and path.
 */
export async function readSuppressions(path: string): Promise<Suppression[]> {
  const text = await readText(path, "suppressions");
  let data: unknown;
  let lineOf: (at: readonly (string | number)[]) => number | undefined = () => undefined;
  try {
    // JSON is YAML: one parser gives the lines of both.
    const parsed = parseYamlData(text);
    data = parsed.data;
    lineOf = parsed.lineOf;
  } catch (error) {
    throw new DatasetError(path, `not valid YAML or JSON: ${(error as Error).message}`);
  }
  const parsed = suppressionsFileSchema.safeParse(data ?? [], { reportInput: true });
  if (!parsed.success) {
    // The union's own issue says little: check the entries alone for the message.
    const entries = Array.isArray(data) ? data : (data as { suppressions?: unknown } | null)?.suppressions;
    const prefix: (string | number)[] = Array.isArray(data) ? [] : ["suppressions"];
    const detail = Array.isArray(entries) ? suppressionsFileSchema.options[0].safeParse(entries, { reportInput: true }) : undefined;
    const issue = detail && !detail.success ? detail.error.issues[0] : undefined;
    if (issue) {
      const at = [...prefix, ...issue.path.map((key) => (typeof key === "number" ? key : String(key)))];
      const line = lineOf(at);
      throw new DatasetError(`${path}${line === undefined ? "" : `:${line}`}`, `${formatIssues([{ ...issue, path: at }])}`);
    }
    throw new DatasetError(path, `${formatIssues(parsed.error.issues)}; expected a list of { fingerprint | ruleId + partnerId, reason, expires?, by? }`);
  }
  return Array.isArray(parsed.data) ? parsed.data : parsed.data.suppressions;
}
