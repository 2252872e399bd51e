import { listCollectionFiles } from "../src/io/sources.js";
import { readCollectionFile } from "../src/io/readRecords.js";
import type { CollectionsInput } from "../src/schema/dataset.js";

/** Reads a dataset folder into plain, unvalidated collections (as a caller would hand them to scan). */
export async function readRawCollections(path: string): Promise<Record<string, unknown[]>> {
  const files = await listCollectionFiles(path);
  const out: Record<string, unknown[]> = {};
  for (const [name, list] of files) {
    const items: unknown[] = [];
    for (const file of list) {
      for await (const raw of readCollectionFile(file)) {
        if ("value" in raw) items.push(raw.value);
      }
    }
    out[name] = items;
  }
  return out as CollectionsInput as Record<string, unknown[]>;
}
