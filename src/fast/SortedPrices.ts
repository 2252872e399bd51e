/** The first index in sorted `values` whose value is ≥ `value`. */
function lowerBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((values[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * A sorted multiset of numbers with insertion, removal and median, for rolling windows: a list of
 * sorted blocks (as Python's sortedcontainers keeps them), so an update moves at most one block's
 * worth of values and a median walks the block lengths.
 */
export class SortedPrices {
  private readonly blocks: number[][] = [];
  /** The largest value of each block. */
  private readonly maxes: number[] = [];
  private count = 0;

  /** Blocks hold between `load / 2` and `2 × load` values (a lone block may hold fewer). */
  constructor(private readonly load = 256) {}

  get size(): number {
    return this.count;
  }

  add(value: number): void {
    this.count++;
    const { blocks, maxes } = this;
    if (blocks.length === 0) {
      blocks.push([value]);
      maxes.push(value);
      return;
    }
    let at = lowerBound(maxes, value);
    if (at === blocks.length) {
      // Larger than every value: it goes last.
      at--;
      (blocks[at] as number[]).push(value);
      maxes[at] = value;
    } else {
      const block = blocks[at] as number[];
      block.splice(lowerBound(block, value), 0, value);
    }
    const block = blocks[at] as number[];
    if (block.length > 2 * this.load) {
      const upper = block.splice(this.load);
      blocks.splice(at + 1, 0, upper);
      maxes.splice(at, 0, block[block.length - 1] as number);
    }
  }

  /** Removes one occurrence of `value`; a value not in the set is ignored. */
  remove(value: number): void {
    const { blocks, maxes } = this;
    const at = lowerBound(maxes, value);
    if (at === blocks.length) return;
    const block = blocks[at] as number[];
    const position = lowerBound(block, value);
    if (block[position] !== value) return;
    this.count--;
    block.splice(position, 1);
    if (block.length === 0) {
      blocks.splice(at, 1);
      maxes.splice(at, 1);
      return;
    }
    maxes[at] = block[block.length - 1] as number;
    if (block.length < this.load / 2 && blocks.length > 1) {
      // Merge a small block into a neighbour (splitting again if that makes it too large).
      const left = at > 0 ? at - 1 : at;
      const merged = (blocks[left] as number[]).concat(blocks[left + 1] as number[]);
      blocks.splice(left, 2, merged);
      maxes.splice(left, 2, merged[merged.length - 1] as number);
      if (merged.length > 2 * this.load) {
        const upper = merged.splice(merged.length >>> 1);
        blocks.splice(left + 1, 0, upper);
        maxes.splice(left, 0, merged[merged.length - 1] as number);
      }
    }
  }

  /** The median; the mean of the two middle values for an even count (NaN when empty). */
  median(): number {
    const n = this.count;
    let k = n >>> 1;
    const { blocks } = this;
    for (let b = 0; b < blocks.length; b++) {
      const block = blocks[b] as number[];
      if (k < block.length) {
        const upper = block[k] as number;
        if (n % 2 === 1) return upper;
        // The value just below sits in this block or ends the previous one.
        const lower = k > 0 ? (block[k - 1] as number) : ((blocks[b - 1] as number[])[(blocks[b - 1] as number[]).length - 1] as number);
        return (lower + upper) / 2;
      }
      k -= block.length;
    }
    return NaN;
  }
}
