import { listCollectionFiles } from "../src/io/sources.js";
import { readCollectionFile } from "../src/io/readRecords.js";
import type { CollectionsInput } from "../src/schema/dataset.js";
import { renderReason } from "../src/messages/rejections/renderRejection.js";
import type { RejectionReason } from "../src/core/rejectionReasons.js";

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

/**
 * `value` as the English texts tests of reading compare: each rejection reason (`{ code, args }`) rendered
 * in English, each rejection without its `code` and `args` (its `reason` says the same). Tests of the codes
 * themselves (`test/messages/rejections.test.ts`) look at the codes.
 */
export function asEnglish(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asEnglish);
  if (typeof value !== "object" || value === null) return value;
  const keys = Object.keys(value);
  if (keys.length === 2 && "code" in value && "args" in value) return renderReason(value as RejectionReason);
  const out: Record<string, unknown> = {};
  const isRejection = "reason" in value && "code" in value && "args" in value;
  for (const [key, item] of Object.entries(value)) {
    if (isRejection && (key === "code" || key === "args")) continue;
    out[key] = asEnglish(item);
  }
  return out;
}
