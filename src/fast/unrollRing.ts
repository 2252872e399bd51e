// Invariant: the entry k places after `head` (k < count) lands at k: oldest first, whatever the wrap.
/** A ring buffer's column copied into a fresh array of `capacity` (≥ count), oldest entry first. */
export function unrollRing<T extends Float64Array | Int32Array | Uint8Array>(ring: T, head: number, count: number, capacity: number): T {
  const unrolled = new (ring.constructor as new (length: number) => T)(capacity);
  const first = Math.min(count, ring.length - head);
  unrolled.set(ring.subarray(head, head + first) as T);
  if (first < count) unrolled.set(ring.subarray(0, count - first) as T, first);
  return unrolled;
}
