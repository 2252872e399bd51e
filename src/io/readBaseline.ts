import { readFile } from "node:fs/promises";
import { z } from "zod";
import { DatasetError } from "../core/errors.js";
import { formatIssues } from "../schema/formatIssues.js";

const baselineSchema = z.object({ findings: z.array(z.looseObject({ id: z.string().min(1) })) });

/** Reads the finding ids of a previous `--format json` report (or an NDJSON file of findings). */
export async function readBaseline(path: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new DatasetError(path, `cannot read the baseline (${(error as Error).message})`, { cause: error });
  }
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
  const parsed = baselineSchema.safeParse(document, { reportInput: true });
  if (!parsed.success) {
    throw new DatasetError(path, `${formatIssues(parsed.error.issues)}; expected the output of --format json`);
  }
  return new Set(parsed.data.findings.map((f) => f.id));
}
