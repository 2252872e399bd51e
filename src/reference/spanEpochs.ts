import type { Span } from "../core/time.js";

/**
 * Cuts time at every start and end of a set of half-open spans: within one epoch every span either
 * contains every instant or none, so anything computed from "which spans hold at t" can be reused for
 * any t of the same epoch.
 */
export class SpanEpochs {
  /** Distinct span ends, ascending. */
  private readonly cuts: number[];

  constructor(spans: Iterable<Span>) {
    const cuts = new Set<number>();
    for (const span of spans) {
      if (span.from !== undefined) cuts.add(span.from);
      if (span.to !== undefined) cuts.add(span.to);
    }
    this.cuts = [...cuts].sort((a, b) => a - b);
  }

  /** The first instant of `epoch` (−Infinity for the first). */
  start(epoch: number): number {
    return epoch === 0 ? -Infinity : (this.cuts[epoch - 1] as number);
  }

  /** The first instant after `epoch` (Infinity for the last). */
  end(epoch: number): number {
    return epoch < this.cuts.length ? (this.cuts[epoch] as number) : Infinity;
  }

  /** The epoch of `t`: how many cuts are at or before it. */
  of(t: number): number {
    const { cuts } = this;
    let low = 0;
    let high = cuts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cuts[mid] as number) <= t) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/**
 * Values computed per key and reused while the epoch stays the same (events come in time order, so
 * the cache empties a handful of times per scan). Keys are nested so no key string is built per lookup.
 */
export class EpochCache<T> {
  private epoch = -1;
  /** The current epoch's instants: [from, to). */
  private from = Infinity;
  private to = -Infinity;
  private size = 0;
  private readonly entries = new Map<string, Map<string, Map<string, T>>>();

  /** `limit`: most values held; past it the cache starts over (memory stays bounded on any data). */
  /** `compute(a, b, c, t)` makes a value for a key; `limit`: most values held, past it the cache starts over. */
  constructor(
    private readonly epochs: SpanEpochs,
    private readonly compute: (a: string, b: string, c: string, t: number) => T,
    private readonly limit = 100_000,
  ) {}

  get(t: number, a: string, b: string, c: string): T {
    if (!(t >= this.from && t < this.to)) {
      const epoch = this.epochs.of(t);
      this.from = this.epochs.start(epoch);
      this.to = this.epochs.end(epoch);
      if (epoch !== this.epoch) this.clear(epoch);
    }
    if (this.size >= this.limit) this.clear(this.epoch);
    let level1 = this.entries.get(a);
    if (!level1) this.entries.set(a, (level1 = new Map()));
    let level2 = level1.get(b);
    if (!level2) level1.set(b, (level2 = new Map()));
    let value = level2.get(c);
    if (value === undefined) {
      level2.set(c, (value = this.compute(a, b, c, t)));
      this.size++;
    }
    return value;
  }

  private clear(epoch: number): void {
    this.entries.clear();
    this.size = 0;
    this.epoch = epoch;
  }
}
