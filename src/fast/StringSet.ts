// Invariant: `add` returns true exactly once per distinct key.
import { LimitError } from "../core/errors.js";
import { StringIndex } from "./StringIndex.js";

/** A set of strings for millions of fresh ids (a `StringIndex` that only tells new from seen). */
export class StringSet {
  private readonly index = new StringIndex(
    () =>
      new LimitError(
        "eventIds",
        `the event ids of this scan passed 2 GiB; scan the events as a stream (scanStream, --events -), which keeps only recent ids`,
      ),
  );

  get size(): number {
    return this.index.size;
  }

  /** Adds `key`; returns false when it was already in the set. */
  add(key: string): boolean {
    const before = this.index.size;
    return this.index.intern(key) === before;
  }

  /** Whether `key` is in the set. */
  has(key: string): boolean {
    return this.index.find(key) >= 0;
  }
}
