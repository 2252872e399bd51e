import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseYamlData } from "./yamlData.js";
import { DatasetError } from "../core/errors.js";

/** A rule file's parsed document, or why it could not be parsed. */
export type RuleDocument =
  | { readonly file: string; readonly document: unknown }
  | { readonly file: string; readonly error: string };

const RULE_FILE = /\.(json|ya?ml)$/i;

async function listRuleFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new DatasetError(path, `cannot read rules (${(error as Error).message})`, { cause: error });
  }
  if (!info.isDirectory()) return [path];
  const out: string[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await listRuleFiles(full)));
    else if (RULE_FILE.test(entry.name)) out.push(full);
  }
  return out;
}

/** Reads rule files (JSON or YAML) from files or folders (searched recursively, in name order). */
export async function readRuleFiles(paths: readonly string[], maxBytes = 16 << 20): Promise<RuleDocument[]> {
  return (await readRuleSources(paths, maxBytes)).documents;
}

/** What `readRuleSources` read: the documents, and the paths given that hold no rule file at all. */
export interface RuleSources {
  readonly documents: RuleDocument[];
  /** Folders (as given) in which no `.json`, `.yaml` or `.yml` file was found: a run with them would run nothing from them. */
  readonly empty: string[];
}

/** `readRuleFiles`, also naming each path that holds no rule file (an empty folder, or one of other files). */
export async function readRuleSources(paths: readonly string[], maxBytes = 16 << 20): Promise<RuleSources> {
  const out: RuleDocument[] = [];
  const empty: string[] = [];
  for (const path of paths) {
    const files = await listRuleFiles(path);
    if (files.length === 0) empty.push(path);
    for (const file of files) {
      const name = relative(process.cwd(), file) || file;
      const size = (await stat(file)).size;
      if (size > maxBytes) {
        out.push({ file: name, error: `the file is ${size} bytes, over the rule-file limit of ${maxBytes}` });
        continue;
      }
      const text = await readFile(file, "utf8");
      try {
        const document = /\.json$/i.test(file) ? JSON.parse(text) : parseYamlData(text).data;
        out.push({ file: name, document });
      } catch (error) {
        out.push({ file: name, error: `not valid ${/\.json$/i.test(file) ? "JSON" : "YAML"}: ${(error as Error).message.split("\n")[0]}` });
      }
    }
  }
  return { documents: out, empty };
}
