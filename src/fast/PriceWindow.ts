// Invariant: the ring holds the entries added and not expired, oldest first, and each side's sorted
// prices hold exactly the prices of that side's entries.
import { SortedPrices } from "./SortedPrices.js";
import { unrollRing } from "./unrollRing.js";

/** A window's entries, oldest first, as plain data (typed arrays of one length). */
export interface PriceWindowState {
  readonly at: Float64Array;
  readonly price: Float64Array;
  readonly side: Uint8Array;
  readonly tag: Int32Array;
}

/**
 * A rolling window of priced entries on two sides (e.g. online and offline sales of one sku), oldest
 * first, in a ring of typed arrays (about 21 bytes an entry: a window can hold hundreds of thousands),
 * with the sorted prices of each side for their medians. Each entry carries a number `tag` (e.g. the
 * seller's index in a table of the caller's).
 */
export class PriceWindow {
  private at = new Float64Array(16);
  private price = new Float64Array(16);
  private side = new Uint8Array(16);
  private tag = new Int32Array(16);
  /** Where the oldest entry is, and how many there are. */
  private head = 0;
  private count = 0;
  /** The prices of the entries of side `true`, and of side `false`. */
  readonly truePrices = new SortedPrices();
  readonly falsePrices = new SortedPrices();

  add(at: number, price: number, side: boolean, tag: number): void {
    if (this.count === this.at.length) this.resize(this.at.length * 2);
    const i = (this.head + this.count) & (this.at.length - 1);
    this.at[i] = at;
    this.price[i] = price;
    this.side[i] = side ? 1 : 0;
    this.tag[i] = tag;
    this.count++;
    (side ? this.truePrices : this.falsePrices).add(price);
  }

  /** Drops the entries at or before `start`. */
  expire(start: number): void {
    const mask = this.at.length - 1;
    while (this.count > 0 && (this.at[this.head] as number) <= start) {
      const price = this.price[this.head] as number;
      (this.side[this.head] === 1 ? this.truePrices : this.falsePrices).remove(price);
      this.head = (this.head + 1) & mask;
      this.count--;
    }
    if (this.at.length > 16 && this.count * 4 < this.at.length) this.resize(this.at.length / 2);
  }

  /** Calls `visit` with each entry's tag, price and side, oldest first. */
  forEach(visit: (tag: number, price: number, side: boolean) => void): void {
    const mask = this.at.length - 1;
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) & mask;
      visit(this.tag[i] as number, this.price[i] as number, this.side[i] === 1);
    }
  }

  /** The entries as plain data, oldest first (for checkpoints). */
  toState(): PriceWindowState {
    const n = this.count;
    const state = { at: new Float64Array(n), price: new Float64Array(n), side: new Uint8Array(n), tag: new Int32Array(n) };
    const mask = this.at.length - 1;
    for (let k = 0; k < n; k++) {
      const i = (this.head + k) & mask;
      state.at[k] = this.at[i] as number;
      state.price[k] = this.price[i] as number;
      state.side[k] = this.side[i] as number;
      state.tag[k] = this.tag[i] as number;
    }
    return state;
  }

  /** A window holding the entries of `state` (from `toState`). */
  static fromState(state: PriceWindowState): PriceWindow {
    const window = new PriceWindow();
    for (let k = 0; k < state.at.length; k++) {
      window.add(state.at[k] as number, state.price[k] as number, state.side[k] === 1, state.tag[k] as number);
    }
    return window;
  }

  /** Moves the entries, oldest first, to rings of `capacity` (a power of two ≥ count). */
  private resize(capacity: number): void {
    this.at = unrollRing(this.at, this.head, this.count, capacity);
    this.price = unrollRing(this.price, this.head, this.count, capacity);
    this.side = unrollRing(this.side, this.head, this.count, capacity);
    this.tag = unrollRing(this.tag, this.head, this.count, capacity);
    this.head = 0;
  }
}
