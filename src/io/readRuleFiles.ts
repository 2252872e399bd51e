import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { packageRoot } from "./packageRoot.js";
import { parseYamlData } from "./yamlData.js";
import { DatasetError } from "../core/errors.js";

/** Where a path of a parsed document starts: its line (from 1), or that of its nearest ancestor that exists. */
export type LineOf = (path: readonly (string | number)[]) => number | undefined;

/** A rule file's parsed document (with the line of each of its paths), or why it could not be parsed (and on which line). */
export type RuleDocument =
  | { readonly file: string; readonly document: unknown; readonly lineOf?: LineOf }
  | { readonly file: string; readonly error: string; readonly line?: number };

/** The line (from 1) of a character offset of `text`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * The offset of the first character at which `text` stops being JSON (JSON.parse's messages do not
 * always say: "Unexpected token '}', … is not valid JSON"), or undefined when it is JSON.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const number = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        const escape = text[i];
        if (escape === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (escape === undefined || !'"\\/bfnrt'.includes(escape)) fail();
      }
      i++;
    }
    fail();
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (close === "}") {
          space();
          if (text[i] !== '"') fail();
          string();
          space();
          if (text[i] !== ":") fail();
          i++;
        }
        value();
        space();
        if (text[i] === ",") i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return string();
    number.lastIndex = i;
    if (number.test(text)) {
      i = number.lastIndex;
      return;
    }
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    fail();
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return undefined;
  } catch (at) {
    // A number is where it failed; anything else (a stack overflow on absurd nesting) says nothing.
    return typeof at === "number" ? at : undefined;
  }
}

/** Parses a rule file's text: JSON (JSON.parse's verdict and messages) or YAML, with the line of each path. */
export function parseRuleText(file: string, text: string): RuleDocument {
  if (/\.json$/i.test(file)) {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const position = /at position (\d+)/.exec(message)?.[1];
      const offset = position !== undefined ? Number(position) : jsonErrorOffset(text);
      // V8 quotes the text around the error, newlines and all: keep the message on one line.
      return { file, error: `not valid JSON: ${message.replace(/\s*\n\s*/g, " ")}`, ...(offset !== undefined ? { line: lineAt(text, offset) } : {}) };
    }
    // JSON is YAML 1.2: its YAML reading knows the lines (a JSON file YAML refuses, e.g. one with a duplicate key, has none).
    let lineOf: LineOf | undefined;
    try {
      lineOf = parseYamlData(text).lineOf;
    } catch {
      lineOf = undefined;
    }
    return { file, document, ...(lineOf ? { lineOf } : {}) };
  }
  try {
    const { data, lineOf } = parseYamlData(text);
    return { file, document: data, lineOf };
  } catch (error) {
    const message = (error as Error).message.split("\n")[0] as string;
    const line = /^line (\d+): /.exec(message);
    return line
      ? { file, error: `not valid YAML: ${message.slice(line[0].length)}`, line: Number(line[1]) }
      : { file, error: `not valid YAML: ${message}` };
  }
}

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
  /** The shipped rule files, read when a document extends them (`{ extends: shipped, rules: [...] }`); absent otherwise. */
  readonly shipped?: RuleDocument[];
  /** The documents (by `file`) that are shipped rule files named among the paths. */
  readonly shippedFiles: ReadonlySet<string>;
}

/** The folder of the rules shipped with the package (`rules/` at the package root). */
export function shippedRulesFolder(): string {
  return join(packageRoot(), "rules");
}

/** Reads the files of paths (JSON or YAML), each as one document; the paths that hold no rule file. */
async function readPaths(paths: readonly string[], maxBytes: number): Promise<{ documents: RuleDocument[]; empty: string[] }> {
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
      out.push(parseRuleText(name, await readFile(file, "utf8")));
    }
  }
  return { documents: out, empty };
}

/** Whether a parsed rule file extends the shipped rules: `{ extends: shipped, rules: [...] }`. */
function extendsShipped(document: RuleDocument): boolean {
  if (!("document" in document)) return false;
  const data = document.document;
  return typeof data === "object" && data !== null && !Array.isArray(data) && (data as Record<string, unknown>).extends === "shipped";
}

/** The shipped rule files, parsed. */
export async function readShippedRules(maxBytes = 16 << 20): Promise<RuleDocument[]> {
  return (await readPaths([shippedRulesFolder()], maxBytes)).documents;
}

/**
 * `readRuleFiles`, also naming each path that holds no rule file (an empty folder, or one of other
 * files), and reading the shipped rules too when a file extends them.
 */
export async function readRuleSources(paths: readonly string[], maxBytes = 16 << 20): Promise<RuleSources> {
  const { documents, empty } = await readPaths(paths, maxBytes);
  const folder = resolve(shippedRulesFolder());
  const shippedFiles = new Set(documents.filter((doc) => resolve(doc.file).startsWith(folder + sep)).map((doc) => doc.file));
  const shipped = documents.some(extendsShipped) ? await readShippedRules(maxBytes) : undefined;
  return { documents, empty, shippedFiles, ...(shipped ? { shipped } : {}) };
}
