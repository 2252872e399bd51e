/**
 * Runs `step` on `items[from]` … `items[to - 1]` in order. It stays synchronous while every step is
 * (returns undefined), and from the first step that returns a promise it waits for each before the next:
 * one loop serves the compiled evaluator (synchronous, no promise made per event) and json-rules-engine.
 */
export function inOrder<T>(items: ArrayLike<T>, from: number, to: number, step: (item: T) => void | Promise<void>): void | Promise<void> {
  for (let i = from; i < to; i++) {
    const pending = step(items[i] as T);
    if (pending !== undefined) return pending.then(() => inOrder(items, i + 1, to, step));
  }
  return undefined;
}
