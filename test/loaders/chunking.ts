import fc from "fast-check";

/** Splits bytes at the given offsets (sorted, deduplicated), e.g. to cut multi-byte characters in two. */
export function splitAt(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const cuts = [...new Set(offsets.map((o) => Math.min(Math.max(o, 0), bytes.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const cut of cuts) {
    if (cut > start) chunks.push(bytes.subarray(start, cut));
    start = Math.max(start, cut);
  }
  if (start < bytes.length || chunks.length === 0) chunks.push(bytes.subarray(start));
  return chunks;
}

/** An async iterable over chunks, the way a file or stdin stream hands them out. */
export async function* streamOf(chunks: Iterable<Buffer | string>): AsyncGenerator<Buffer | string> {
  for (const chunk of chunks) yield chunk;
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Up to 12 cut offsets within a text of `length` bytes. */
export const cutOffsets = (length: number) => fc.array(fc.nat({ max: Math.max(length, 1) }), { maxLength: 12 });
