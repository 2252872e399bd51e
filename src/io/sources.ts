import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { DatasetError } from "../core/errors.js";
import { COLLECTION_NAMES, type CollectionName } from "../schema/dataset.js";

/** The file formats a collection can be written in. */
export type FileFormat = "json" | "ndjson" | "csv";

/** One file holding records of a collection. */
export interface CollectionFile {
  readonly collection: CollectionName;
  /** Path relative to the dataset folder, with `/` separators: how rejections name the file. */
  readonly name: string;
  readonly path: string;
  readonly format: FileFormat;
}

const EXTENSIONS: ReadonlyArray<readonly [string, FileFormat]> = [
  [".json", "json"],
  [".ndjson", "ndjson"],
  [".jsonl", "ndjson"],
  [".csv", "csv"],
];

function formatOf(fileName: string): FileFormat | undefined {
  const lower = fileName.toLowerCase();
  return EXTENSIONS.find(([ext]) => lower.endsWith(ext))?.[1];
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Lists the files of each collection in a dataset folder: `name.json|ndjson|jsonl|csv`, or a folder
 * `name/` whose such files are read in name order. Two sources for one collection are an error.
 */
export async function listCollectionFiles(datasetPath: string): Promise<Map<CollectionName, CollectionFile[]>> {
  let entries: string[];
  try {
    const info = await stat(datasetPath);
    if (!info.isDirectory()) throw new DatasetError(datasetPath, "is not a folder; expected a dataset folder");
    entries = await readdir(datasetPath);
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(datasetPath, `cannot read the dataset folder (${(error as Error).message})`, { cause: error });
  }
  entries.sort(byCodePoint);
  const result = new Map<CollectionName, CollectionFile[]>();
  for (const collection of COLLECTION_NAMES) {
    const sources: CollectionFile[][] = [];
    const sourceNames: string[] = [];
    for (const entry of entries) {
      const format = formatOf(entry);
      if (format && entry.slice(0, entry.lastIndexOf(".")) === collection) {
        sources.push([{ collection, name: entry, path: join(datasetPath, entry), format }]);
        sourceNames.push(entry);
      } else if (entry === collection) {
        const folder = join(datasetPath, entry);
        if (!(await stat(folder)).isDirectory()) continue;
        const files = (await readdir(folder)).sort(byCodePoint);
        const inFolder: CollectionFile[] = [];
        for (const file of files) {
          const fileFormat = formatOf(file);
          if (fileFormat) inFolder.push({ collection, name: `${entry}/${file}`, path: join(folder, file), format: fileFormat });
        }
        sources.push(inFolder);
        sourceNames.push(`${entry}/`);
      }
    }
    if (sources.length > 1) {
      throw new DatasetError(
        datasetPath,
        `collection "${collection}" has ${sources.length} sources (${sourceNames.join(", ")}); expected exactly one file or folder`,
      );
    }
    if (sources[0]) result.set(collection, sources[0]);
  }
  return result;
}
