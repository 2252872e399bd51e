// Invariant: `add` returns false exactly for an id already added (within the window, when there is one).
import { RecentIds, type RecentIdsState } from "./RecentIds.js";
import { StringSet } from "./StringSet.js";

/**
 * Remembers event ids to reject duplicates. Without a window it remembers every id (a batch must catch
 * every duplicate). With a window — for streams, whose events come in time order — it forgets ids of
 * events older than the newest one minus the window, so memory follows the window, not the stream.
 */
export class DuplicateIds {
  private readonly all: StringSet | undefined;
  private recent: RecentIds | undefined;

  constructor(private readonly windowMs: number = Infinity) {
    // Without a window a set will do, and is cheaper.
    if (windowMs === Infinity) this.all = new StringSet();
    else this.recent = new RecentIds();
  }

  /**
   * The ids remembered, as plain data (for checkpoints): only a windowed set has state that stays
   * bounded, so only it can be saved.
   */
  toState(): RecentIdsState {
    if (!this.recent) throw new Error("DuplicateIds.toState: only ids kept in a window can be saved");
    return this.recent.toState();
  }

  /** A windowed set of `windowMs` remembering the ids of `state` (from `toState`). */
  static fromState(windowMs: number, state: RecentIdsState): DuplicateIds {
    const ids = new DuplicateIds(windowMs);
    ids.recent = RecentIds.fromState(state);
    return ids;
  }

  /** Records the id; returns false when it was already seen (within the window). */
  add(id: string, at: number): boolean {
    if (this.all) return this.all.add(id);
    const recent = this.recent as RecentIds;
    recent.expire(at - this.windowMs);
    return recent.add(id, at);
  }
}
