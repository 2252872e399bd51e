// The generated stream the stream tests share: ~110k events of every kind with injected conflicts
// (bench/generate.ts, deterministic by seed), in time order, and helpers to feed it in batches.
import { generateDataset } from "../../bench/generate.js";
import type { Finding, StreamScanner, StreamUpdate } from "../../src/index.js";

export const STREAM_EVENTS = 110_000;
export const STREAM_SEED = 5;
export const BATCH = 500;

export interface GeneratedStream {
  readonly reference: Record<string, unknown[]>;
  /** Every collection, events included: what a batch scan takes. */
  readonly collections: Record<string, unknown[]>;
  /** The events in time order (a stable sort of the generated ones). */
  readonly events: readonly { id: string; occurredAt: string }[];
}

/** The generated stream of `count` events and `seed`. */
export function generatedStream(count = STREAM_EVENTS, seed = STREAM_SEED): GeneratedStream {
  const generated = generateDataset({ events: count, seed });
  const { events, ...reference } = generated.collections as unknown as Record<string, unknown[]>;
  const timed = (events as { id: string; occurredAt: string }[]).map((event, i) => ({ event, at: Date.parse(event.occurredAt), i }));
  timed.sort((a, b) => a.at - b.at || a.i - b.i);
  return { reference, collections: generated.collections as unknown as Record<string, unknown[]>, events: timed.map((t) => t.event) };
}

/** The batches of `events`, `size` each. */
export function batchesOf<T>(events: readonly T[], size = BATCH): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < events.length; i += size) batches.push(events.slice(i, i + size));
  return batches;
}

/** Pushes each batch and returns the updates of each push, then those of `finish()` last. */
export async function feed(scanner: StreamScanner, batches: readonly unknown[][], finish = true): Promise<StreamUpdate[][]> {
  const out: StreamUpdate[][] = [];
  for (const batch of batches) out.push(await scanner.push(batch as never));
  if (finish) out.push(await scanner.finish());
  return out;
}

/** The last update of each finding, by id. */
export function lastUpdates(updates: readonly (readonly StreamUpdate[])[]): Map<string, StreamUpdate> {
  const last = new Map<string, StreamUpdate>();
  for (const batch of updates) for (const update of batch) last.set(update.finding.id, update);
  return last;
}

/** Findings as a batch scan reports them, rank aside, sorted by id. */
export function unranked(findings: Iterable<Finding>): Finding[] {
  return [...findings].map((f) => ({ ...f, rank: 0 })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
