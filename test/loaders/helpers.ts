import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { Rejection } from "../../src/core/records.js";
import type { Dataset } from "../../src/dataset/types.js";
import { COLLECTION_NAMES, type CollectionName } from "../../src/schema/dataset.js";

/** The repository's `fixtures/loader/<name>` folder. */
export function loaderFixture(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/loader/${name}`, import.meta.url));
}

export const DEMO_FIXTURE = fileURLToPath(new URL("../../fixtures/demo", import.meta.url));

const made: string[] = [];

/** Writes files (path relative to the folder → text or bytes) into a fresh temp folder and returns its path. */
export async function writeDataset(files: Record<string, string | Buffer>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "channel-conflict-loader-"));
  made.push(root);
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  return root;
}

/** Removes every temp folder made by `writeDataset`; call from `afterAll`. */
export async function removeDatasets(): Promise<void> {
  await Promise.all(made.splice(0).map((root) => rm(root, { recursive: true, force: true })));
}

/** One line per record: NDJSON text of the given values. */
export function ndjson(...records: unknown[]): string {
  return records.map((record) => JSON.stringify(record)).join("\n") + "\n";
}

/** The collection a rejection belongs to: the file (`events.csv`, `events/part-1.ndjson`) or in-memory name. */
export function collectionOfRejection(rejection: Rejection): CollectionName {
  const name = rejection.file.split(/[/.]/)[0] as CollectionName;
  expect(COLLECTION_NAMES).toContain(name);
  return name;
}

/**
 * The conservation rule of §8: per collection, every record read is accepted or rejected, the rejected
 * list holds exactly one entry per rejected record, and the accepted count is what the dataset holds.
 */
export function expectConservation(dataset: Dataset): void {
  for (const name of COLLECTION_NAMES) {
    const counts = dataset.counts[name];
    expect(counts.read, `${name}: read = accepted + rejected`).toBe(counts.accepted + counts.rejected);
    const rejections = dataset.rejected.filter((r) => collectionOfRejection(r) === name);
    expect(rejections.length, `${name}: one rejection per rejected record`).toBe(counts.rejected);
    const held = name === "events" ? dataset.events.length : dataset.reference[name].length;
    expect(held, `${name}: accepted records are kept`).toBe(counts.accepted);
  }
  for (const rejection of dataset.rejected) {
    expect(rejection.line !== undefined || rejection.index !== undefined, `${rejection.file} names a line or index`).toBe(true);
    expect(rejection.reason).not.toBe("");
  }
}

/** Rejections sorted by file, then line or index, for order-independent comparison. */
export function sortedRejections(rejected: readonly Rejection[]): Rejection[] {
  const at = (r: Rejection) => r.line ?? r.index ?? -1;
  return [...rejected].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : at(a) - at(b)));
}

/** Rejections of one file, as `[line or index, reason]` pairs in order. */
export function reasonsOf(rejected: readonly Rejection[], file: string): Array<[number, string]> {
  return sortedRejections(rejected.filter((r) => r.file === file)).map((r) => [r.line ?? r.index ?? -1, r.reason]);
}

/** A valid order event, with fields overridden. */
export function order(id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: "order",
    occurredAt: "2025-03-01T09:00:00Z",
    partnerId: "P1",
    sku: "SKU-1",
    quantity: 1,
    unitPrice: 100,
    currency: "CNY",
    ...fields,
  };
}
