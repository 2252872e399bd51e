import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { DatasetError } from "../core/errors.js";
import { COLLECTION_NAMES, type CollectionName } from "../schema/dataset.js";
import { closestName, normalizeName } from "../core/closestName.js";
import type { ScanWarning } from "../core/warnings.js";
import { createReadStream } from "node:fs";
import { readCsvRecords } from "./readCsvRecords.js";

/** The file formats a collection can be written in. */
export type FileFormat = "json" | "ndjson" | "csv" | "parquet";

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
  [".parquet", "parquet"],
];

function formatOf(fileName: string): FileFormat | undefined {
  const lower = fileName.toLowerCase();
  return EXTENSIONS.find(([ext]) => lower.endsWith(ext))?.[1];
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A dataset folder as listed: the files of each collection, what was not read, and warnings about it. */
export interface DatasetListing {
  readonly files: Map<CollectionName, CollectionFile[]>;
  /** The entry each collection is read from, as errors name it: `events.ndjson`, or `events/` for a folder. */
  readonly sourceNames: Map<CollectionName, string>;
  /** Entries of the folder that are read as no collection (ignored ones aside), in name order. */
  readonly unread: readonly string[];
  /** Unread entries that look as if they were meant to be read (`partner.json`, `events.xlsx`). */
  readonly warnings: readonly ScanWarning[];
}

/** Entries a dataset folder may hold besides its collections, never warned about. */
function isIgnored(entry: string): boolean {
  return entry.startsWith(".") || /^readme(\.|$)/i.test(entry) || /^channel-conflict\.(ya?ml|json)$/i.test(entry);
}

const BY_LOWER_NAME: ReadonlyMap<string, CollectionName> = new Map(COLLECTION_NAMES.map((name) => [name.toLowerCase(), name]));

/**
 * The collection an unread name was probably meant for: a close spelling (`partner`, `territory`,
 * `price_policies`), or a name that starts with most of a collection's (`events-2024`, `customer_list`),
 * as exports often add a date or a suffix.
 */
function resembledCollection(name: string): CollectionName | undefined {
  const close = closestName(name, COLLECTION_NAMES) as CollectionName | undefined;
  if (close) return close;
  const wanted = normalizeName(name);
  for (const collection of COLLECTION_NAMES) {
    const normal = normalizeName(collection);
    let common = 0;
    while (common < wanted.length && common < normal.length && wanted[common] === normal[common]) common++;
    if (common >= Math.max(5, normal.length - 3)) return collection;
  }
  return undefined;
}

function formatList(extensions: readonly string[]): string {
  return extensions.length <= 1 ? extensions.join("") : `${extensions.slice(0, -1).join(", ")} or ${extensions.at(-1)}`;
}

/** The warning for an entry that is not read, when it looks as if it was meant to be; else undefined. */
function unreadWarning(entry: string, isFolder: boolean): ScanWarning | undefined {
  const format = isFolder ? undefined : formatOf(entry);
  const lastDot = entry.lastIndexOf(".");
  // `events.xlsx`, `Partners.txt`, `events.json.bak`, `events`: a collection's name in a format that is not read.
  const firstDot = entry.indexOf(".");
  const named = isFolder ? undefined : BY_LOWER_NAME.get((firstDot > 0 ? entry.slice(0, firstDot) : entry).toLowerCase());
  if (named && !format) {
    const extension = lastDot > 0 ? `"${entry.slice(lastDot)}" is not a format channel-conflict reads` : "it has no file extension";
    return {
      code: "unknown_format",
      file: entry,
      message: `${entry}: not read, ${extension}; expected ${formatList(EXTENSIONS.map(([ext]) => `${named}${ext}`))}`,
    };
  }
  const name = isFolder ? entry : format ? entry.slice(0, lastDot) : firstDot > 0 ? entry.slice(0, firstDot) : entry;
  const meant = resembledCollection(name);
  if (!meant) return undefined;
  const shown = isFolder ? `${entry}/` : entry;
  const instead = isFolder ? `${meant}/` : format ? `${meant}${entry.slice(lastDot)}` : meant;
  return {
    code: "unknown_collection",
    file: shown,
    message: `${shown}: not read, no collection is named "${name}"; did you mean ${instead}?`,
  };
}

/**
 * Lists a dataset folder: the files of each collection — `name.json|ndjson|jsonl|csv`, or a folder
 * `name/` whose such files are read in name order, the name matched without regard to case
 * (`Events.CSV` is `events`) — and the entries read as no collection, with a warning for each that
 * resembles one. Dotfiles, `README*` and a `channel-conflict.yaml|yml|json` manifest are ignored.
 * Two sources for one collection (`events.csv` and `Events.ndjson`) are an error.
 */
export async function listDataset(datasetPath: string): Promise<DatasetListing> {
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
  const sources = new Map<CollectionName, { files: CollectionFile[]; name: string }[]>();
  const unread: string[] = [];
  const warnings: ScanWarning[] = [];
  for (const entry of entries) {
    if (isIgnored(entry)) continue;
    const format = formatOf(entry);
    const fileCollection = format ? BY_LOWER_NAME.get(entry.slice(0, entry.lastIndexOf(".")).toLowerCase()) : undefined;
    if (format && fileCollection) {
      const list = sources.get(fileCollection) ?? [];
      list.push({ files: [{ collection: fileCollection, name: entry, path: join(datasetPath, entry), format }], name: entry });
      sources.set(fileCollection, list);
      continue;
    }
    const path = join(datasetPath, entry);
    const isFolder = (await stat(path).catch(() => undefined))?.isDirectory() === true;
    const folderCollection = isFolder ? BY_LOWER_NAME.get(entry.toLowerCase()) : undefined;
    if (folderCollection) {
      const files = (await readdir(path)).sort(byCodePoint);
      const inFolder: CollectionFile[] = [];
      for (const file of files) {
        const fileFormat = formatOf(file);
        if (fileFormat) inFolder.push({ collection: folderCollection, name: `${entry}/${file}`, path: join(path, file), format: fileFormat });
      }
      const list = sources.get(folderCollection) ?? [];
      list.push({ files: inFolder, name: `${entry}/` });
      sources.set(folderCollection, list);
      continue;
    }
    unread.push(isFolder ? `${entry}/` : entry);
    const warning = unreadWarning(entry, isFolder);
    if (warning) warnings.push(warning);
  }
  const files = new Map<CollectionName, CollectionFile[]>();
  const sourceNames = new Map<CollectionName, string>();
  for (const collection of COLLECTION_NAMES) {
    const found = sources.get(collection);
    if (!found) continue;
    if (found.length > 1) {
      throw new DatasetError(
        datasetPath,
        `collection "${collection}" has ${found.length} sources (${found.map((source) => source.name).join(", ")}); expected exactly one file or folder`,
      );
    }
    const [only] = found as [{ files: CollectionFile[]; name: string }];
    files.set(collection, only.files);
    sourceNames.set(collection, only.name);
  }
  return { files, sourceNames, unread, warnings };
}

/** The file names a collection may be read from (`events.json`, …, `events.csv`), for messages. */
export function collectionFileNames(collection: CollectionName): string[] {
  return EXTENSIONS.map(([ext]) => `${collection}${ext}`);
}

/** The extensions of the formats read (`.json`, …), for messages. */
export function datasetExtensions(): string[] {
  return [...new Set(EXTENSIONS.map(([ext]) => ext))];
}

/** The files of each collection in a dataset folder (`listDataset` without what it does not read). */
export async function listCollectionFiles(datasetPath: string): Promise<Map<CollectionName, CollectionFile[]>> {
  return (await listDataset(datasetPath)).files;
}

/**
 * The header row of a CSV file, its cells trimmed as the reader trims them, read without the rest of
 * the file; undefined when it cannot be read (reading the file reports why).
 */
export async function readCsvHeader(file: CollectionFile, maxRecordBytes: number): Promise<string[] | undefined> {
  const chunks = createReadStream(file.path, { highWaterMark: 1 << 16 });
  try {
    for await (const record of readCsvRecords(chunks, maxRecordBytes)) {
      return "error" in record ? undefined : record.cells.map((cell) => cell.trim());
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    chunks.destroy();
  }
}
