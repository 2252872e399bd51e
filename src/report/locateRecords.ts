import type { RecordOrigin } from "../core/records.js";
import type { FindingRef } from "../core/types.js";
import { readFileLines } from "../io/lines.js";
import { DEFAULT_READ_LIMITS, encodingOf, readCollectionBatches, type ReadLimits } from "../io/readRecords.js";
import { listDataset, type CollectionFile } from "../io/sources.js";
import type { CollectionName } from "../schema/dataset.js";

/** Where a record of the dataset is: its file (relative to the dataset folder, `/` separators) and line or index. */
export interface RecordLocation {
  /** As rejections name it: relative to the dataset folder, with `/` separators. */
  readonly file: string;
  /**
   * The line (from 1) the record starts on: an NDJSON line, a CSV record's first line, or for a record of a
   * JSON array the line its value starts on (found by scanning the file's text). Absent for Parquet rows.
   */
  readonly line?: number;
  /** A JSON array record's or a Parquet row's index in its file, from 0. */
  readonly index?: number;
}

/** The records to locate: evidence events by id, and reference records by finding ref (`{ type, id }`). */
export interface WantedRecords {
  readonly events?: Iterable<string>;
  readonly refs?: Iterable<FindingRef>;
}

export interface LocateOptions {
  readonly limits?: ReadLimits;
  /**
   * Records the scan rejected: never the location of an id (a rejected record with the id of an accepted
   * one, e.g. a duplicate, is not where the evidence is).
   */
  readonly rejected?: Iterable<RecordOrigin>;
}

/** The key of a record in `locateRecords`' answer: `event` for events, else the finding ref's type. */
export function recordKey(type: string, id: string): string {
  return `${type}\u0000${id}`;
}

/** The collection each finding ref type names, and the field its records are keyed by. */
const REF_COLLECTIONS: Readonly<Record<string, { readonly collection: CollectionName; readonly key: string }>> = {
  event: { collection: "events", key: "id" },
  territory: { collection: "territories", key: "id" },
  registration: { collection: "registrations", key: "id" },
  pricePolicy: { collection: "pricePolicies", key: "id" },
  promotion: { collection: "promotions", key: "id" },
  partner: { collection: "partners", key: "id" },
  customer: { collection: "customers", key: "id" },
  product: { collection: "products", key: "sku" },
  region: { collection: "regions", key: "code" },
};

function originKey(origin: RecordOrigin): string {
  return `${origin.file}\u0000${origin.line ?? ""}\u0000${origin.index ?? ""}`;
}

/**
 * Where the wanted records are in a dataset folder, by `recordKey`: reads the files of the collections they
 * are in once more, with the readers the scan used (the manifest's files, encodings and field mapping
 * included), and keeps the first record of each id that the scan did not reject. Reading a collection stops
 * once all its wanted ids are found. Ids not found, ref types that are no record (`lot`) and files that
 * cannot be read are left out: locating never fails a report.
 *
 * Ids do not depend on the time zone, so files are read in UTC (the zone that has no invalid wall times).
 */
export async function locateRecords(dataset: string, wanted: WantedRecords, options: LocateOptions = {}): Promise<Map<string, RecordLocation>> {
  const found = new Map<string, RecordLocation>();
  const byCollection = new Map<CollectionName, { type: string; key: string; ids: Set<string> }>();
  const want = (type: string, id: string) => {
    const target = REF_COLLECTIONS[type];
    if (!target) return;
    let entry = byCollection.get(target.collection);
    if (!entry) {
      entry = { type, key: target.key, ids: new Set() };
      byCollection.set(target.collection, entry);
    }
    entry.ids.add(id);
  };
  for (const id of wanted.events ?? []) want("event", id);
  for (const ref of wanted.refs ?? []) want(ref.type, ref.id);
  if (byCollection.size === 0) return found;

  let files: Map<CollectionName, CollectionFile[]>;
  try {
    files = (await listDataset(dataset)).files;
  } catch {
    return found;
  }
  const rejected = new Set([...(options.rejected ?? [])].map(originKey));
  const limits = options.limits ?? DEFAULT_READ_LIMITS;
  for (const [collection, { type, key, ids }] of byCollection) {
    const left = new Set(ids);
    for (const file of files.get(collection) ?? []) {
      if (left.size === 0) break;
      const inFile: Array<{ id: string; origin: RecordOrigin }> = [];
      try {
        read: for await (const batch of readCollectionBatches(file, limits)) {
          for (const record of batch) {
            if (!("value" in record) || rejected.has(originKey(record.origin))) continue;
            const value = record.value;
            if (typeof value !== "object" || value === null) continue;
            const raw = (value as Record<string, unknown>)[key];
            const id = typeof raw === "string" ? raw.trim() : undefined;
            if (id === undefined || !left.has(id)) continue;
            left.delete(id);
            inFile.push({ id, origin: record.origin });
            if (left.size === 0) break read;
          }
        }
      } catch {
        // A file the scan read but that cannot be read now (changed, removed): its records stay unlocated.
      }
      const lines = file.format === "json" ? await jsonElementLines(file, inFile.map((r) => r.origin.index ?? -1), limits) : undefined;
      for (const { id, origin } of inFile) {
        const line = origin.line ?? (origin.index !== undefined ? lines?.get(origin.index) : undefined);
        found.set(recordKey(type, id), {
          file: origin.file,
          ...(line !== undefined ? { line } : {}),
          ...(origin.index !== undefined ? { index: origin.index } : {}),
        });
      }
    }
  }
  return found;
}

/**
 * The line (from 1) each wanted element of a JSON array file starts on, by index: a scan of the file's
 * lines (read by the io layer, in the file's encoding) that follows strings and nesting only — the reader
 * has parsed the file already, so it is valid JSON. A line that cannot be read ends the scan.
 */
async function jsonElementLines(file: CollectionFile, indexes: readonly number[], limits: ReadLimits): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const wanted = new Set(indexes.filter((i) => i >= 0));
  if (wanted.size === 0) return out;
  const last = Math.max(...wanted);
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectValue = false;
  let index = -1;
  try {
    for await (const item of readFileLines(file.path, limits.maxJsonFileBytes, encodingOf(file))) {
      if (!("text" in item)) break;
      const text = item.text;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
          continue;
        }
        // Whitespace (and a BOM) between tokens.
        if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0xfeff) continue;
        if (depth === 1 && expectValue && c !== 0x5d) {
          index++;
          if (wanted.has(index)) out.set(index, item.line);
          if (index >= last) return out;
          expectValue = false;
        }
        if (c === 0x22) inString = true;
        else if (c === 0x5b || c === 0x7b) {
          depth++;
          if (depth === 1) expectValue = true;
        } else if (c === 0x5d || c === 0x7d) depth--;
        else if (c === 0x2c && depth === 1) expectValue = true;
      }
    }
  } catch {
    // The file changed or went away since the scan: the lines found so far stand.
  }
  return out;
}
