import { OptionsError } from "../core/errors.js";
import type { ChannelEvent } from "../schema/dataset.js";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads a duration: milliseconds as a number, or a string of one or more `<number><unit>` parts, units
 * `d`, `h`, `m`, `s`, `ms` (`"2h"`, `"1h30m"`, `"90s"`, `"1.5d"`, `"250ms"`); `0` or `"0"` for none.
 * `name` is the option it is read for, in the error.
 * @example
 * parseDuration("1h30m", "allowedLateness"); // 5_400_000
 */
export function parseDuration(value: unknown, name: string): number {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value >= 0) return value;
    throw new OptionsError(`options.${name}: expected milliseconds of 0 or more, got ${value}`);
  }
  if (typeof value === "string") {
    const text = value.trim();
    if (text === "0") return 0;
    if (/^(\d+(\.\d+)?(ms|d|h|m|s))+$/.test(text)) {
      let total = 0;
      for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|d|h|m|s)/g)) total += Number(amount) * (UNIT_MS[unit as string] as number);
      return total;
    }
  }
  throw new OptionsError(`options.${name}: expected milliseconds or a duration such as "2h", "90m", "1h30m", "45s" (units d, h, m, s, ms), got ${JSON.stringify(value)}`);
}

/**
 * Events waiting to be put back in time order: a list sorted by `compare` (time, then the scan's order of
 * an instant), read from `head`. Events mostly come in order, so an insertion is mostly an append; a late
 * one moves only the events after it, which are at most the allowed lateness' worth.
 */
export class ReorderBuffer {
  private events: ChannelEvent[] = [];
  private head = 0;

  constructor(private readonly compare: (a: ChannelEvent, b: ChannelEvent) => number) {}

  get size(): number {
    return this.events.length - this.head;
  }

  add(event: ChannelEvent): void {
    const { events, compare } = this;
    let at = events.length;
    while (at > this.head && compare(events[at - 1] as ChannelEvent, event) > 0) at--;
    if (at === events.length) events.push(event);
    else events.splice(at, 0, event);
  }

  /** Moves to `out`, in order, the events earlier than `before`. */
  release(before: number, out: ChannelEvent[]): void {
    const { events } = this;
    while (this.head < events.length && (events[this.head] as ChannelEvent).occurredAt < before) out.push(events[this.head++] as ChannelEvent);
    // Released events leave the list at once: kept past a push, each would live long enough to be
    // promoted to V8's old generation and die there (tens of MB more peak RSS on a long stream).
    if (this.head === events.length) events.length = 0;
    else if (this.head > 0) events.splice(0, this.head);
    this.head = 0;
  }

  /** Moves every event to `out`, in order. */
  drain(out: ChannelEvent[]): void {
    this.release(Infinity, out);
  }

  /** The waiting events, in order (plain objects: validated events hold epoch numbers and strings). */
  toState(): readonly ChannelEvent[] {
    return this.events.slice(this.head);
  }

  fromState(events: readonly ChannelEvent[]): void {
    this.events = [...events];
    this.head = 0;
  }
}
