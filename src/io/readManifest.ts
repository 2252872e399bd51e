import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { DatasetError } from "../core/errors.js";
import { checkManifest, manifestPathText, type DatasetManifest } from "../schema/manifest.js";
import { parseYamlData } from "./yamlData.js";

/** The names a dataset's manifest may have, at the root of its folder (matched without regard to case). */
export const MANIFEST_NAME = /^channel-conflict\.(ya?ml|json)$/i;

/** Largest manifest read: a manifest is a page of settings, not data. */
const MAX_MANIFEST_BYTES = 1 << 20;

/**
 * Reads and checks the manifest of a dataset folder (`channel-conflict.yaml`, `.yml` or `.json`), or
 * returns undefined when it has none. A manifest that cannot be parsed or has problems fails with a
 * `DatasetError` (`MANIFEST_INVALID`) naming each problem by its line and path.
 */
export async function readManifest(datasetPath: string, entries?: readonly string[]): Promise<DatasetManifest | undefined> {
  const names = (entries ?? (await readdir(datasetPath))).filter((entry) => MANIFEST_NAME.test(entry)).sort();
  if (names.length === 0) return undefined;
  if (names.length > 1) {
    throw new DatasetError(datasetPath, `has ${names.length} manifests (${names.join(", ")}); expected one channel-conflict.yaml or .json`, {
      code: "MANIFEST_INVALID",
    });
  }
  const name = names[0] as string;
  const bytes = await readFile(join(datasetPath, name));
  if (bytes.length > MAX_MANIFEST_BYTES) {
    throw new DatasetError(name, `the manifest is ${bytes.length} bytes, over ${MAX_MANIFEST_BYTES}`, { code: "MANIFEST_INVALID" });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new DatasetError(name, "is not valid UTF-8; a manifest is UTF-8 text (the files it describes may be in any encoding)", {
      code: "MANIFEST_INVALID",
    });
  }
  const json = /\.json$/i.test(name);
  let data: unknown;
  let lineOf: (path: readonly (string | number)[]) => number | undefined = () => undefined;
  try {
    if (json) {
      data = JSON.parse(text);
    } else {
      const parsed = parseYamlData(text);
      data = parsed.data;
      lineOf = parsed.lineOf;
    }
  } catch (error) {
    throw new DatasetError(name, `not valid ${json ? "JSON" : "YAML"}: ${(error as Error).message.split("\n")[0]}`, {
      code: "MANIFEST_INVALID",
      cause: error,
    });
  }
  // An empty YAML file is no settings at all.
  const checked = checkManifest(data ?? {}, name);
  if ("manifest" in checked) return checked.manifest;
  const lines = checked.problems.map((problem) => {
    const line = lineOf(problem.path);
    const path = manifestPathText(problem.path);
    return `${name}${line === undefined ? "" : `:${line}`}: ${path === "" ? "" : `${path}: `}${problem.message}`;
  });
  const error = new DatasetError(name, `${lines.length === 1 ? "has a problem" : `has ${lines.length} problems`}:\n  ${lines.join("\n  ")}`, {
    code: "MANIFEST_INVALID",
  });
  error.problems = lines;
  throw error;
}
