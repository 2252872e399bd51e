// What can be known of a dataset beyond its records, and the checks that refuse a dataset that cannot
// mean what a scan of it would say (CONTRACT §8): no events, a collection wholly rejected, too many
// rejections. The scans run them; they need nothing but the dataset.
import type { DatasetSource } from "./loadDataset.js";
import type { RecordCounts } from "./types.js";
import { closestName } from "../core/closestName.js";
import { DatasetError } from "../core/errors.js";
import { type Rejection } from "../core/records.js";
import { formatRejection } from "../messages/rejections/renderRejection.js";
import { sortWarnings, type ScanWarning } from "../core/warnings.js";
import { collectionFileNames, datasetExtensions, listDataset, readRecordNames, type CollectionFile } from "../io/sources.js";
import { unreadColumns } from "../schema/csvShape.js";
import { COLLECTION_NAMES, type CollectionName } from "../schema/dataset.js";

/** Rejections in report order: by file, then line, then index. */
export function compareRejections(a: Rejection, b: Rejection): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.line ?? -1) - (b.line ?? -1) || (a.index ?? -1) - (b.index ?? -1);
}

/**
 * What is known of a dataset before its records are read: where each collection comes from, what is
 * not read, and the warnings that can be given without reading records.
 */
export interface DatasetInspection {
  /** How the dataset is named in errors: its folder path, or `dataset` for in-memory collections. */
  readonly label: string;
  /** Whether the dataset is a folder (CSV headers to look at) or in-memory collections. */
  readonly folder: boolean;
  /** The collections present, each with how errors name its source (`events.ndjson`, `events/`, `dataset.events`). */
  readonly sources: ReadonlyMap<CollectionName, string>;
  /** The files of each collection of a folder (empty for in-memory collections). */
  readonly files: ReadonlyMap<CollectionName, readonly CollectionFile[]>;
  /** Entries of a folder that are read as no collection, for the message of a missing events file. */
  readonly unread: readonly string[];
  /** Warnings about the entries (files, folders, in-memory keys) that are not read. */
  readonly warnings: readonly ScanWarning[];
  /** The collection of a rejection, by the file it names. */
  readonly collectionOf: (file: string) => CollectionName | undefined;
}

/**
 * Inspects a dataset before it is opened; undefined when it is neither a folder path nor an object of
 * collections (opening it then says why). A folder that cannot be listed fails with a `DatasetError`.
 */
export async function inspectDataset(dataset: DatasetSource): Promise<DatasetInspection | undefined> {
  if (typeof dataset === "string") {
    const listing = await listDataset(dataset);
    const byFile = new Map<string, CollectionName>();
    for (const [collection, files] of listing.files) for (const file of files) byFile.set(file.name, collection);
    return {
      label: dataset,
      folder: true,
      sources: listing.sourceNames,
      files: listing.files,
      unread: listing.unread,
      warnings: listing.warnings,
      collectionOf: (file) => byFile.get(file),
    };
  }
  if (typeof dataset !== "object" || dataset === null || Array.isArray(dataset)) return undefined;
  const sources = new Map<CollectionName, string>();
  const warnings: ScanWarning[] = [];
  const known = new Set<string>(COLLECTION_NAMES);
  for (const key of Object.keys(dataset)) {
    if (known.has(key)) {
      if ((dataset as Record<string, unknown>)[key] !== undefined) sources.set(key as CollectionName, `dataset.${key}`);
      continue;
    }
    // In memory the keys are code, so they are matched exactly; a near miss is most likely a typo.
    const meant = closestName(key, COLLECTION_NAMES);
    if (meant) {
      warnings.push({
        code: "unknown_collection",
        file: `dataset.${key}`,
        message: `dataset.${key}: not read, no collection is named "${key}"; did you mean ${meant}?`,
      });
    }
  }
  return {
    label: "dataset",
    folder: false,
    sources,
    files: new Map(),
    unread: [],
    warnings,
    // In-memory rejections name their collection as the file.
    collectionOf: (file) => (known.has(file) ? (file as CollectionName) : undefined),
  };
}

/**
 * The warnings of an inspected dataset: the unread entries, and each column (CSV, Parquet) or key (JSON,
 * NDJSON: of the records in a file's first 64 KiB) no field reads whose name is close to a field's — once
 * per collection and name, at its first file. Files whose fields the manifest maps are left out: the
 * columns a field map does not name are meant to be left.
 */
export async function datasetWarnings(
  inspection: DatasetInspection,
  collections: Iterable<CollectionName>,
  maxRecordBytes: number,
): Promise<ScanWarning[]> {
  const warnings: ScanWarning[] = [...inspection.warnings];
  for (const collection of collections) {
    const seen = new Map<string, { file: CollectionFile; field: string; others: number }>();
    // One file at a time: a folder of thousands of parts must not open thousands of files at once.
    for (const file of inspection.files.get(collection) ?? []) {
      if (file.fields) continue;
      const names = await readRecordNames(file, maxRecordBytes);
      for (const { column, field } of unreadColumns(collection, names ?? [])) {
        const first = seen.get(column);
        if (first) first.others++;
        else seen.set(column, { file, field, others: 0 });
      }
    }
    for (const [column, { file, field, others }] of seen) {
      const more = others > 0 ? ` (nor in ${others} more file${others === 1 ? "" : "s"} of ${inspection.sources.get(collection) ?? collection})` : "";
      const where = file.format === "csv" ? `${file.name}:${1 + (file.skipRows ?? 0)}` : file.name;
      const what = file.format === "csv" || file.format === "parquet" ? "column" : "key";
      warnings.push({ code: "unread_column", file: file.name, message: `${where}: no field reads the ${what} "${column}"${more}; did you mean ${field}?` });
    }
  }
  return sortWarnings(warnings);
}

/**
 * Fails, before any record is read, a scan that would need events and has none to read: a folder
 * without an events file (or with an empty `events/` folder), in-memory collections without events.
 */
export function requireEventSource(inspection: DatasetInspection): void {
  if (inspection.folder) {
    const source = inspection.sources.get("events");
    if (source === undefined) {
      const unread = inspection.unread.length > 0 ? ` (not read: ${inspection.unread.slice(0, 5).join(", ")}${inspection.unread.length > 5 ? ", …" : ""})` : "";
      throw new DatasetError(
        inspection.label,
        `no events file${unread}; expected ${collectionFileNames("events").join(", ")} or a folder events/ of such files`,
        { code: "NO_EVENTS", collection: "events" },
      );
    }
    if ((inspection.files.get("events") ?? []).length === 0) {
      throw new DatasetError(source, `holds no events file; expected files ending in ${datasetExtensions().join(", ")} in it`, {
        code: "NO_EVENTS",
        collection: "events",
      });
    }
    return;
  }
  if (!inspection.sources.has("events")) {
    throw new DatasetError("dataset.events", "no events; expected an array of at least one event", { code: "NO_EVENTS", collection: "events" });
  }
}

/** The first rejection of a collection, in the order the report lists rejections. */
function firstRejectionOf(rejected: readonly Rejection[], inspection: DatasetInspection, collection: CollectionName): Rejection | undefined {
  let first: Rejection | undefined;
  for (const rejection of rejected) {
    if (inspection.collectionOf(rejection.file) !== collection) continue;
    if (!first || compareRejections(rejection, first) < 0) first = rejection;
  }
  return first;
}

/**
 * Fails the scan when a collection was read and every record of it was rejected: what needs it (events
 * need partners, overlaps need territories) would silently be judged against nothing.
 */
export function requireAccepted(
  counts: RecordCounts,
  rejected: readonly Rejection[],
  inspection: DatasetInspection,
  collections: Iterable<CollectionName>,
  firstRejection?: Rejection,
): void {
  for (const collection of collections) {
    const { read, accepted } = counts[collection];
    if (read === 0 || accepted > 0) continue;
    const first = firstRejection ?? firstRejectionOf(rejected, inspection, collection);
    throw collectionRejected(inspection.sources.get(collection) ?? first?.file ?? collection, collection, counts, first);
  }
}

/** The `COLLECTION_REJECTED` error of a collection read from `source`, naming its first rejection. */
export function collectionRejected(source: string, collection: CollectionName, counts: RecordCounts, first: Rejection | undefined): DatasetError {
  const { read } = counts[collection];
  // Without partners every event is rejected, which the first rejection alone does not make plain.
  const hint = collection === "events" && counts.partners.read === 0 ? " (there is no partners collection, and every event needs its partner)" : "";
  return new DatasetError(
    source,
    `every record of ${collection} was rejected (${read} of ${read})${hint}; expected at least one valid record${first ? `; the first rejection: ${formatRejection(first)}` : ""}`,
    { code: "COLLECTION_REJECTED", collection },
  );
}

/** Fails the scan when more records were rejected, over every collection, than `maxRejected` allows. */
export function requireFewRejected(
  counts: RecordCounts,
  maxRejected: number | string | undefined,
  label: string,
  firstRejection: Rejection | undefined,
): void {
  if (maxRejected === undefined) return;
  let read = 0;
  let rejected = 0;
  for (const name of COLLECTION_NAMES) {
    read += counts[name].read;
    rejected += counts[name].rejected;
  }
  const percent = typeof maxRejected === "string" ? Number.parseFloat(maxRejected) : undefined;
  const over = percent === undefined ? rejected > (maxRejected as number) : rejected * 100 > percent * read;
  if (!over) return;
  const share = read > 0 ? Math.round((rejected / read) * 1000) / 10 : 0;
  throw new DatasetError(
    label,
    `${rejected} of ${read} records were rejected (${share}%); expected at most ${String(maxRejected)} (maxRejected, --max-rejected)` +
      (firstRejection ? `; the first rejection: ${formatRejection(firstRejection)}` : ""),
    { code: "TOO_MANY_REJECTED" },
  );
}
