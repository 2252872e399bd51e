import { listDataset, type CollectionFile } from "../io/sources.js";
import { timeZoneOf, type TimeZone } from "../core/zonedTime.js";
import {
  batchesOf,
  DEFAULT_READ_LIMITS,
  readCollectionBatches,
  readCollectionFile,
  type RawRecord,
  type ReadLimits,
} from "../io/readRecords.js";
import { COLLECTION_NAMES, type ChannelEvent, type CollectionName, type CollectionsInput, type ReferenceName } from "../schema/dataset.js";
import { OptionsError } from "../core/errors.js";
import { EventAcceptor, EventValidator, ReferenceCollector } from "./validateRecords.js";
import { validateBatches, type EventBatch } from "./eventBatches.js";
import { EventReaderThread, eventWorkerPath, type MergeOptions } from "./readEventsInWorker.js";
import type { Rejection } from "../core/records.js";
import type { ReferenceRecords } from "../schema/dataset.js";
import type { Dataset, RecordCounts } from "./types.js";
import type { EventAdmission } from "./admission.js";

/** A dataset folder's path, or its collections as in-memory arrays of plain objects. */
export type DatasetSource = string | CollectionsInput;

/** How a dataset's events are accepted, besides the read limits. */
export interface OpenDatasetOptions {
  /** The types of events not rejected for an unknown partner or sku (default: none, every such event is rejected). */
  readonly admission?: EventAdmission;
  /**
   * The IANA time zone of bare dates and times without an offset (checked by the caller: `scan` checks its
   * options). Default: the manifest's `timeZone` for a folder that has one, else UTC.
   */
  readonly timeZone?: string | undefined;
  /**
   * A folder's events merged by time in the reader thread (each file in time order merged as read, the
   * others sorted in bounded memory), so `eventBatches` gives them in time order; absent: file and line order.
   */
  readonly mergeByTime?: MergeOptions | undefined;
}

/** Reference data loaded and validated, with its events still to be read. */
export interface OpenedDataset {
  /** The time zone its times without an offset were read in: the option's, the manifest's, or UTC. */
  readonly zone: TimeZone;
  readonly reference: ReferenceRecords;
  readonly rejected: Rejection[];
  readonly counts: RecordCounts;
  readonly present: ReadonlySet<CollectionName>;
  /** Raw event records in file and line order (empty when the source has no events). */
  readonly rawEvents: () => AsyncIterable<RawRecord>;
  /** The same records in batches: what the scan reads, crossing an async boundary once per batch. */
  readonly rawEventBatches: () => AsyncIterable<RawRecord[]>;
  /**
   * The events validated, in batches and in read order: read, parsed and checked against the schema by
   * a worker thread when the dataset is a folder (unless `worker` is false), else here; accepted against
   * the reference data here either way, by the same `EventAcceptor`.
   */
  readonly eventBatches: (options?: { worker?: boolean }) => AsyncIterable<EventBatch>;
}

function* arrayRecords(name: string, items: readonly unknown[]): Generator<RawRecord> {
  for (let index = 0; index < items.length; index++) yield { origin: { file: name, index }, value: items[index] };
}

async function* flatten<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}

async function* fileRecordBatches(files: readonly CollectionFile[], limits: ReadLimits, zone: TimeZone): AsyncGenerator<RawRecord[]> {
  for (const file of files) yield* readCollectionBatches(file, limits, zone);
}


/** Opens a dataset: reads and validates every reference collection, and prepares its events for reading. */
export function openDataset(source: DatasetSource, limits: ReadLimits = DEFAULT_READ_LIMITS, options: OpenDatasetOptions = {}): Promise<OpenedDataset> {
  return open(source, limits, options, false);
}

/** An opened dataset whose events may already be being read: `close` it when done, whatever happens. */
export interface ReadingDataset extends OpenedDataset {
  readonly close: () => Promise<void>;
}

/**
 * `openDataset` that, for a folder, starts reading its events in the worker thread before it reads the
 * reference data, so both go on at once; the first `eventBatches()` takes them.
 */
export async function openDatasetReading(
  source: DatasetSource,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
  options: OpenDatasetOptions = {},
): Promise<ReadingDataset> {
  return open(source, limits, options, true);
}

async function open(source: DatasetSource, limits: ReadLimits, options: OpenDatasetOptions, readAhead: boolean): Promise<ReadingDataset> {
  let rawEventBatches: () => AsyncIterable<RawRecord[]>;
  let eventFiles: CollectionFile[] | undefined;
  let ahead: EventReaderThread | undefined;
  let zone = timeZoneOf(options.timeZone ?? "UTC");
  let collector: ReferenceCollector;
  if (typeof source === "string") {
    const listing = await listDataset(source);
    const { files } = listing;
    zone = timeZoneOf(options.timeZone ?? listing.manifest?.timeZone ?? "UTC");
    collector = new ReferenceCollector(zone);
    const eventFileList = files.get("events") ?? [];
    const workerPath = eventWorkerPath();
    if (readAhead && workerPath && eventFileList.length > 0) ahead = new EventReaderThread(workerPath, eventFileList, limits, zone.name, options.mergeByTime);
    try {
      for (const name of COLLECTION_NAMES) {
        if (name === "events" || !files.has(name)) continue;
        collector.markPresent(name);
        for (const file of files.get(name) ?? []) for await (const raw of readCollectionFile(file, limits, zone)) collector.add(name, raw);
      }
    } catch (error) {
      await ahead?.close();
      throw error;
    }
    eventFiles = eventFileList;
    rawEventBatches = () => fileRecordBatches(eventFileList, limits, zone);
  } else {
    collector = new ReferenceCollector(zone);
    if (typeof source !== "object" || source === null || Array.isArray(source)) {
      throw new OptionsError("dataset: expected a folder path or an object of collections such as { partners, events }");
    }
    for (const name of COLLECTION_NAMES) {
      const items = Object.hasOwn(source, name) ? source[name] : undefined;
      if (items === undefined) continue;
      if (!Array.isArray(items)) throw new OptionsError(`dataset.${name}: expected an array of records, got ${typeof items}`);
      if (name === "events") continue;
      collector.markPresent(name);
      for (const raw of arrayRecords(name, items)) collector.add(name as ReferenceName, raw);
    }
    const events = Object.hasOwn(source, "events") ? (source.events ?? []) : [];
    rawEventBatches = async function* () {
      yield* batchesOf(arrayRecords("events", events));
    };
  }
  const reference = collector.finish();
  // The closures below keep only what they need, not the collector and its bookkeeping (a stream keeps them for hours).
  const productsPresent = collector.present.has("products");
  const { admission } = options;
  // Every reader thread handed out, so `close` stops those whose batches were never taken to the end.
  const handedOut: EventReaderThread[] = [];
  const eventBatches = (choice?: { worker?: boolean }): AsyncIterable<EventBatch> => {
    const workerPath = choice?.worker === false ? undefined : eventWorkerPath();
    if (eventFiles && eventFiles.length > 0 && workerPath) {
      const files = eventFiles;
      const started = ahead;
      ahead = undefined;
      if (started) handedOut.push(started);
      const acceptor = new EventAcceptor(reference, productsPresent, undefined, admission);
      // A thread not started yet starts on the first step: batches never taken start none.
      return (async function* () {
        const thread = started ?? new EventReaderThread(workerPath, files, limits, zone.name, options.mergeByTime);
        if (!started) handedOut.push(thread);
        yield* thread.batches(acceptor);
      })();
    }
    return validateBatches(rawEventBatches(), new EventValidator(reference, productsPresent, undefined, admission, zone));
  };
  return {
    zone,
    reference,
    rejected: collector.rejected,
    counts: collector.counts,
    present: collector.present,
    rawEvents: () => flatten(rawEventBatches()),
    rawEventBatches,
    eventBatches,
    close: async () => {
      const threads = [...(ahead ? [ahead] : []), ...handedOut.splice(0)];
      ahead = undefined;
      await Promise.all(threads.map((thread) => thread.close()));
    },
  };
}

/**
 * Loads and validates a whole dataset: a folder (JSON, NDJSON/JSONL or CSV files, or collection
 * folders read in name order) or in-memory collections. Bad records are listed in `rejected`, never thrown.
 * @example
 * const dataset = await loadDataset("fixtures/demo");
 * console.log(dataset.events.length, dataset.rejected.length);
 */
export async function loadDataset(
  source: DatasetSource,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
  options: OpenDatasetOptions = {},
): Promise<Dataset> {
  const opened = await openDatasetReading(source, limits, options);
  let events: ChannelEvent[];
  try {
    events = await collectEvents(opened);
  } finally {
    await opened.close();
  }
  return {
    reference: opened.reference,
    events,
    rejected: opened.rejected,
    counts: opened.counts,
    present: opened.present,
    timeZone: opened.zone.name,
  };
}

/** Reads every event of an opened dataset into memory, counting and listing what is rejected. */
export async function collectEvents(opened: OpenedDataset, onBatch?: (read: number, previous: number) => void): Promise<ChannelEvent[]> {
  const events: ChannelEvent[] = [];
  const counts = opened.counts.events;
  for await (const batch of opened.eventBatches()) {
    const previous = counts.read;
    counts.read += batch.read;
    counts.accepted += batch.events.length;
    counts.rejected += batch.rejected.length;
    for (const event of batch.events) events.push(event);
    for (const rejection of batch.rejected) opened.rejected.push(rejection);
    onBatch?.(counts.read, previous);
  }
  return events;
}
