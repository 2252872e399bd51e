import { StringSet } from "./StringIndex.js";

/**
 * Remembers event ids to reject duplicates. Without a window it remembers every id (a batch must catch
 * every duplicate). With a window — for streams, whose events come in time order — it forgets ids of
 * events older than the newest one minus the window, so memory follows the window, not the stream.
 */
export class DuplicateIds {
  private readonly seen = new Map<string, number>();
  private readonly all = new StringSet();
  // Ids and times in arrival order, as two arrays: a window can hold hundreds of thousands.
  private readonly ids: string[] = [];
  private readonly times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number = Infinity) {}

  /** Records the id; returns false when it was already seen (within the window). */
  add(id: string, at: number): boolean {
    if (this.windowMs === Infinity) {
      // Without a window a set will do, and is cheaper.
      return this.all.add(id);
    }
    this.expire(at - this.windowMs);
    if (this.seen.has(id)) return false;
    this.seen.set(id, at);
    this.ids.push(id);
    this.times.push(at);
    return true;
  }

  private expire(before: number): void {
    while (this.head < this.ids.length && (this.times[this.head] as number) < before) {
      const id = this.ids[this.head] as string;
      if (this.seen.get(id) === this.times[this.head]) this.seen.delete(id);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.ids.length) {
      this.ids.splice(0, this.head);
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }
}
