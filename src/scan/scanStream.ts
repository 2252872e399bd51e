import type { Finding } from "../findings/types.js";
import { batchesOf } from "../io/readRecords.js";
import type { ChannelEventInput } from "../schema/dataset.js";
import type { ScanSummary } from "../findings/report.js";
import type { ScanStreamOptions } from "./options.js";
import { openStreamScanner, type StreamUpdate } from "./createStreamScanner.js";

/**
 * Scans a stream of events in time order (up to `allowedLateness` late) against reference data and
 * yields each finding as it happens: when it opens, when it changes materially and when it closes (the
 * updates of `createStreamScanner`, whose layer this is; each yields the finding as of then, same `id`
 * throughout). The last yield of each `id` equals what `scan` reports of the same input (`rank` aside: 0).
 * Memory follows the open windows and findings, not the stream's length. The generator's return value is
 * the summary. A synchronous iterable is scanned in batches of 512; an async one event by event as it
 * comes, with no async step of its own beyond the source's. A bad event is rejected (`onRejected`), not thrown.
 * @example
 * for await (const finding of scanStream(readEvents(), { reference: "fixtures/demo" })) send(finding);
 */
export async function* scanStream(
  events: AsyncIterable<ChannelEventInput> | Iterable<ChannelEventInput>,
  options: ScanStreamOptions,
): AsyncGenerator<Finding, ScanSummary, undefined> {
  const scanner = await openStreamScanner(options);
  if (Symbol.iterator in events) {
    for (const batch of batchesOf(events as Iterable<ChannelEventInput>)) {
      const updates = scanner.push(batch);
      yield* findingsOf(Array.isArray(updates) ? updates : await updates);
    }
  } else {
    for await (const value of events) {
      const updates = scanner.push([value]);
      const list = Array.isArray(updates) ? updates : await updates;
      if (list.length > 0) yield* findingsOf(list);
    }
  }
  const last = scanner.finish();
  yield* findingsOf(Array.isArray(last) ? last : await last);
  return scanner.summary();
}

function* findingsOf(updates: readonly StreamUpdate[]): Generator<Finding> {
  for (const update of updates) yield update.finding;
}
