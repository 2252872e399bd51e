/**
 * Remembers event ids to reject duplicates. Without a window it remembers every id (a batch holds its
 * events anyway). With a window — for streams, whose events come in time order — it forgets ids of
 * events older than the newest one minus the window, so memory follows the window, not the stream.
 */
export class DuplicateIds {
  private readonly seen = new Map<string, number>();
  private readonly all = new Set<string>();
  private readonly order: Array<{ id: string; at: number }> = [];
  private head = 0;

  constructor(private readonly windowMs: number = Infinity) {}

  /** Records the id; returns false when it was already seen (within the window). */
  add(id: string, at: number): boolean {
    if (this.windowMs === Infinity) {
      // Without a window a plain set will do, and is cheaper.
      if (this.all.has(id)) return false;
      this.all.add(id);
      return true;
    }
    this.expire(at - this.windowMs);
    if (this.seen.has(id)) return false;
    this.seen.set(id, at);
    this.order.push({ id, at });
    return true;
  }

  private expire(before: number): void {
    while (this.head < this.order.length && (this.order[this.head] as { at: number }).at < before) {
      const { id, at } = this.order[this.head] as { id: string; at: number };
      if (this.seen.get(id) === at) this.seen.delete(id);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }
}
