import { reason } from "../core/rejectionReasons.js";
import { type Rejection } from "../core/records.js";
import { rejectionOf } from "../messages/rejections/renderRejection.js";
import type { EventBatch } from "../dataset/eventBatches.js";
import type { Finding } from "../findings/types.js";
import type { ChannelEvent } from "../schema/dataset.js";
import { formatIsoTime } from "../core/time.js";
import { inOrder } from "./inOrder.js";
import type { Scanner } from "./Scanner.js";

/** Progress is reported each time the records read pass a multiple of this. */
export const PROGRESS_EVERY = 10_000;

/** True when going from `previous` to `now` records read passes a multiple of `PROGRESS_EVERY`. */
export function passesProgressStep(previous: number, now: number): boolean {
  return Math.floor(now / PROGRESS_EVERY) > Math.floor(previous / PROGRESS_EVERY);
}

/** What feeding events in time order needs, and what it does with an event earlier than the last. */
export interface OrderedRun {
  readonly scanner: Scanner;
  readonly counts: { read: number; accepted: number; rejected: number };
  readonly onRejected: (rejection: Rejection) => void;
  /** `reject` the late event (a stream), or `abort` the run (a batch then sorts and starts over). */
  readonly outOfOrder: "reject" | "abort";
  readonly onProgress?: (read: number) => void;
}

/**
 * Feeds validated event batches to the scanner in time order, yielding findings as they become final. Events of one instant are buffered and ordered as the scanner orders them (`Scanner.compareEvents`), so the
 * result equals a scan of the sorted events. Returns false when it aborted on an out-of-order event.
 */
export async function* runOrdered(batches: AsyncIterable<EventBatch>, run: OrderedRun): AsyncGenerator<Finding, boolean, undefined> {
  const { scanner, counts } = run;
  // The events of the current instant, and the findings they closed: both arrays are reused, most
  // instants hold one event and close nothing.
  const pending: ChannelEvent[] = [];
  const closed: Finding[] = [];
  let watermark = -Infinity;
  const push = (event: ChannelEvent) => scanner.push(event, closed);
  /** Feeds the buffered instant, in the scan's order; synchronous unless an evaluator is not. */
  const flush = (): void | Promise<void> => {
    if (pending.length > 1) pending.sort(scanner.compareEvents);
    const done = inOrder(pending, 0, pending.length, push);
    if (done === undefined) pending.length = 0;
    else return done.then(() => void (pending.length = 0));
    return undefined;
  };
  /** The findings closed so far, handed over once (the array is reused). */
  const take = (): Finding[] => closed.splice(0);
  for await (const batch of batches) {
    const before = counts.read;
    counts.read += batch.read;
    if (run.onProgress && passesProgressStep(before, counts.read)) run.onProgress(counts.read);
    for (const rejection of batch.rejected) {
      counts.rejected++;
      run.onRejected(rejection);
    }
    const { events, origins } = batch;
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as ChannelEvent;
      if (event.occurredAt < watermark) {
        if (run.outOfOrder === "abort") return false;
        counts.rejected++;
        run.onRejected(
          rejectionOf(
            origins?.[i] ?? { file: "events" },
            reason("out_of_order", { at: formatIsoTime(event.occurredAt), latest: formatIsoTime(watermark), stream: false }),
          ),
        );
        continue;
      }
      counts.accepted++;
      if (event.occurredAt > watermark) {
        if (pending.length > 0) {
          const done = flush();
          if (done !== undefined) await done;
          if (closed.length > 0) yield* take();
        }
        watermark = event.occurredAt;
      }
      pending.push(event);
    }
  }
  await flush();
  yield* take();
  yield* scanner.finish();
  return true;
}
