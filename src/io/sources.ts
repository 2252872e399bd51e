import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { DatasetError } from "../core/errors.js";
import { COLLECTION_NAMES, type CollectionName } from "../schema/dataset.js";
import { closestName, normalizeName } from "../core/closestName.js";
import type { ScanWarning } from "../core/warnings.js";
import { createReadStream } from "node:fs";
import { glob } from "tinyglobby";
import { readCsvRecords } from "./readCsvRecords.js";
import { textEncoding } from "./encoding.js";
import { open as openFile } from "node:fs/promises";
import { readParquetColumns } from "./readParquet.js";
import { manifestPathText, type CollectionManifest, type DatasetManifest, type FieldSource, type FileFormat } from "../schema/manifest.js";
import { MANIFEST_NAME, readManifest } from "./readManifest.js";

export type { FileFormat } from "../schema/manifest.js";

/** One file holding records of a collection, and how the dataset's manifest says to read it. */
export interface CollectionFile {
  readonly collection: CollectionName;
  /** Path relative to the dataset folder, with `/` separators: how rejections name the file. */
  readonly name: string;
  readonly path: string;
  readonly format: FileFormat;
  /** A WHATWG encoding label (manifest); absent: UTF-8. */
  readonly encoding?: string;
  /** CSV: the cell delimiter (manifest); absent: `,`. */
  readonly delimiter?: string;
  /** CSV: rows above the header that are skipped (manifest). */
  readonly skipRows?: number;
  /** Where each field comes from (manifest); absent: columns named as the contract names them. */
  readonly fields?: Readonly<Record<string, FieldSource>>;
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
  /** The dataset's manifest, when it has one. */
  readonly manifest?: DatasetManifest;
}

/** Entries a dataset folder may hold besides its collections, never warned about. */
function isIgnored(entry: string): boolean {
  return entry.startsWith(".") || /^readme(\.|$)/i.test(entry) || MANIFEST_NAME.test(entry);
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
  const manifest = await readManifest(datasetPath, entries);
  const settings = manifest?.collections ?? {};
  const sources = new Map<CollectionName, { files: CollectionFile[]; name: string }[]>();
  const unread: string[] = [];
  const warnings: ScanWarning[] = [];
  // Collections the manifest gives globs for are read from what they match, and only from that.
  const globbed = new Set<string>();
  const matchedTops = new Set<string>();
  for (const collection of COLLECTION_NAMES) {
    const setting = settings[collection];
    if (!setting?.files || !manifest) continue;
    const found = await globFiles(datasetPath, collection, setting, manifest, warnings);
    for (const file of found) {
      if (globbed.has(file.name)) {
        throw new DatasetError(manifest.file, `${file.name} is matched by the files of two collections; expected each file in one collection`, {
          code: "MANIFEST_INVALID",
        });
      }
      globbed.add(file.name);
      matchedTops.add(file.name.split("/")[0] as string);
    }
    sources.set(collection, [{ files: found, name: setting.files.join(", ") }]);
  }
  for (const entry of entries) {
    if (isIgnored(entry) || matchedTops.has(entry)) continue;
    const format = formatOf(entry);
    const fileCollection = format ? BY_LOWER_NAME.get(entry.slice(0, entry.lastIndexOf(".")).toLowerCase()) : undefined;
    const path = join(datasetPath, entry);
    const isFolder = format && fileCollection ? false : (await stat(path).catch(() => undefined))?.isDirectory() === true;
    const folderCollection = isFolder ? BY_LOWER_NAME.get(entry.toLowerCase()) : undefined;
    const collection = fileCollection ?? folderCollection;
    if (collection && manifest && settings[collection]?.files) {
      unread.push(isFolder ? `${entry}/` : entry);
      warnings.push({
        code: "unknown_collection",
        file: isFolder ? `${entry}/` : entry,
        message: `${isFolder ? `${entry}/` : entry}: not read, ${manifest.file} reads ${collection} from ${settings[collection]?.files?.join(", ")}`,
      });
      continue;
    }
    if (format && fileCollection) {
      const list = sources.get(fileCollection) ?? [];
      list.push({ files: [withSettings({ collection: fileCollection, name: entry, path, format }, settings[fileCollection])], name: entry });
      sources.set(fileCollection, list);
      continue;
    }
    if (folderCollection) {
      const setting = settings[folderCollection];
      const names = (await readdir(path)).sort(byCodePoint);
      const inFolder: CollectionFile[] = [];
      for (const file of names) {
        // With a format in the manifest, every file of the folder is in it (dotfiles aside).
        const fileFormat = setting?.format && !file.startsWith(".") ? setting.format : formatOf(file);
        if (fileFormat) {
          inFolder.push(withSettings({ collection: folderCollection, name: `${entry}/${file}`, path: join(path, file), format: fileFormat }, setting));
        }
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
  return { files, sourceNames, unread, warnings, ...(manifest ? { manifest } : {}) };
}

/** A file with the manifest's settings for its collection (format aside: the caller has it). */
function withSettings(file: CollectionFile, setting: CollectionManifest | undefined): CollectionFile {
  if (!setting) return file;
  return {
    ...file,
    ...(setting.format ? { format: setting.format } : {}),
    ...(setting.encoding !== undefined ? { encoding: setting.encoding } : {}),
    ...(setting.delimiter !== undefined ? { delimiter: setting.delimiter } : {}),
    ...(setting.skipRows !== undefined ? { skipRows: setting.skipRows } : {}),
    ...(setting.fields ? { fields: setting.fields } : {}),
  };
}

/**
 * The files a collection's globs match, in name order. A glob that matches nothing is a warning, and a
 * collection whose globs match no file at all an error (a typo there would otherwise read nothing, silently).
 */
async function globFiles(
  datasetPath: string,
  collection: CollectionName,
  setting: CollectionManifest,
  manifest: DatasetManifest,
  warnings: ScanWarning[],
): Promise<CollectionFile[]> {
  const globs = setting.files ?? [];
  const matched = new Set<string>();
  for (const [i, pattern] of globs.entries()) {
    const found = await glob([pattern], { cwd: datasetPath, onlyFiles: true, dot: false, expandDirectories: false });
    const files = found.filter((name) => !MANIFEST_NAME.test(name));
    if (files.length === 0 && globs.length > 1) {
      warnings.push({
        code: "unmatched_glob",
        file: manifest.file,
        message: `${manifest.file}: ${manifestPathText(["collections", collection, "files", i])}: "${pattern}" matches no file`,
      });
    }
    for (const name of files) matched.add(name);
  }
  if (matched.size === 0) {
    throw new DatasetError(
      manifest.file,
      `collections.${collection}.files: ${globs.map((pattern) => `"${pattern}"`).join(", ")} ${globs.length === 1 ? "matches" : "match"} no file in the dataset folder`,
      { code: "MANIFEST_INVALID", collection },
    );
  }
  const out: CollectionFile[] = [];
  for (const name of [...matched].sort(byCodePoint)) {
    const format = setting.format ?? formatOf(name);
    if (!format) {
      throw new DatasetError(
        name,
        `matched by collections.${collection}.files in ${manifest.file}, but its format is not known from its name; give it: format: csv (or ndjson, json, parquet)`,
        { code: "MANIFEST_INVALID", collection },
      );
    }
    out.push(withSettings({ collection, name, path: join(datasetPath, ...name.split("/")), format }, setting));
  }
  return out;
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
 * The header row of a CSV file (below the rows the manifest skips), its cells trimmed as the reader trims
 * them, read without the rest of the file; undefined when it cannot be read (reading the file reports why).
 */
export async function readCsvHeader(file: CollectionFile, maxRecordBytes: number): Promise<string[] | undefined> {
  const chunks = createReadStream(file.path, { highWaterMark: 1 << 16 });
  const encoding = textEncoding(file.encoding ?? "utf-8");
  if (!encoding) return undefined;
  let skip = file.skipRows ?? 0;
  try {
    for await (const record of readCsvRecords(chunks, maxRecordBytes, { encoding, ...(file.delimiter !== undefined ? { delimiter: file.delimiter } : {}) })) {
      if (skip-- > 0) continue;
      return "error" in record ? undefined : record.cells.map((cell) => cell.trim());
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    chunks.destroy();
  }
}

/** How much of a JSON or NDJSON file is looked at for its keys: the records that begin in its first 64 KiB. */
const KEY_SAMPLE_BYTES = 1 << 16;

/** The dotted keys of a record (`shipTo.region` for `{ shipTo: { region } }`), added to `out`. */
function addKeys(record: unknown, prefix: string, out: Set<string>): void {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return;
  for (const key of Object.keys(record)) {
    const name = prefix === "" ? key : `${prefix}.${key}`;
    const value = (record as Record<string, unknown>)[key];
    if (typeof value === "object" && value !== null && !Array.isArray(value)) addKeys(value, name, out);
    else out.add(name);
  }
}

/**
 * The names a file's records use, for the warnings about names no field reads: a CSV file's header, a
 * Parquet file's columns, the keys of the records of a JSON or NDJSON file that begin in its first 64 KiB
 * (a JSON array's whole text when it is no larger). Undefined when they cannot be read (reading the file
 * reports why).
 */
export async function readRecordNames(file: CollectionFile, maxRecordBytes: number): Promise<string[] | undefined> {
  if (file.format === "csv") return readCsvHeader(file, maxRecordBytes);
  if (file.format === "parquet") return readParquetColumns(file.path);
  const encoding = textEncoding(file.encoding ?? "utf-8");
  if (!encoding) return undefined;
  let bytes: Buffer;
  let whole: boolean;
  try {
    const handle = await openFile(file.path, "r");
    try {
      const buffer = Buffer.alloc(KEY_SAMPLE_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      whole = bytesRead <= KEY_SAMPLE_BYTES;
      bytes = buffer.subarray(0, Math.min(bytesRead, KEY_SAMPLE_BYTES));
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  const text = new TextDecoder(encoding.name).decode(bytes).replace(/^\uFEFF/, "");
  const names = new Set<string>();
  if (file.format === "json") {
    if (!whole) return undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) for (const record of parsed) addKeys(record, "", names);
    } catch {
      return undefined;
    }
    return [...names];
  }
  const lines = text.split("\n");
  // The last line may be cut at the sample's end, unless the sample is the whole file.
  if (!whole) lines.pop();
  for (const line of lines) {
    if (line.trim() === "") continue;
    try {
      addKeys(JSON.parse(line), "", names);
    } catch {
      // A line that is not JSON is rejected when the file is read; it names no keys here.
    }
  }
  return [...names];
}
