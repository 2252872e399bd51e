/** A sorted multiset of integers with insertion, removal and median, for rolling windows. */
export class SortedPrices {
  private readonly values: number[] = [];

  get size(): number {
    return this.values.length;
  }

  private position(value: number): number {
    let low = 0;
    let high = this.values.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.values[mid] as number) < value) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  add(value: number): void {
    this.values.splice(this.position(value), 0, value);
  }

  remove(value: number): void {
    const at = this.position(value);
    if (this.values[at] === value) this.values.splice(at, 1);
  }

  /** The median; the mean of the two middle values for an even count. */
  median(): number {
    const n = this.values.length;
    const mid = n >>> 1;
    if (n % 2 === 1) return this.values[mid] as number;
    return ((this.values[mid - 1] as number) + (this.values[mid] as number)) / 2;
  }
}
