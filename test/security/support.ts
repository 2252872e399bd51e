// Shared helpers of the adversarial-input suites (test/security, test/property/corruption and
// determinism): temp folders, writing collections as JSON / NDJSON / CSV, running the built CLI.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readRawCollections } from "../helpers.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DEMO = join(ROOT, "fixtures/demo");
export const CLI = join(ROOT, "dist/cli.js");

export const REFERENCE_NAMES = [
  "partners",
  "regions",
  "territories",
  "products",
  "pricePolicies",
  "promotions",
  "registrations",
  "customers",
] as const;
export type ReferenceName = (typeof REFERENCE_NAMES)[number];
export type CollectionName = ReferenceName | "events";
export const COLLECTIONS: readonly CollectionName[] = [...REFERENCE_NAMES, "events"];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonRecord = { [key: string]: Json };
export type Collections = { [K in CollectionName]?: JsonRecord[] };

// ------------------------------------------------------------------ temp folders

const made: string[] = [];

/** A fresh temp folder, removed by `removeTempDirs()`. */
export function tempDir(prefix = "cc-sec-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (relative path → text or bytes) into `dir`. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): string {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

// ------------------------------------------------------------------ the demo dataset as plain JSON

let demoCache: Collections | undefined;

/** fixtures/demo as plain JSON records (CSV rows already turned into typed values), in file order. */
export async function demoCollections(): Promise<Collections> {
  demoCache ??= JSON.parse(JSON.stringify(await readRawCollections(DEMO))) as Collections;
  return JSON.parse(JSON.stringify(demoCache)) as Collections;
}

// ------------------------------------------------------------------ serialisation

/** Flattens a record into dotted CSV cells: lists joined with `|`, booleans and numbers as text. */
export function flatten(record: JsonRecord, prefix = "", out: Map<string, string> = new Map()): Map<string, string> {
  for (const [key, value] of Object.entries(record)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) out.set(path, value.map((item) => String(item)).join("|"));
    else if (typeof value === "object") flatten(value, path, out);
    else out.set(path, String(value));
  }
  return out;
}

/** One CSV cell, quoted when it has to be. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The union of the records' columns, in first-seen order. */
export function csvHeader(rows: readonly Map<string, string>[]): string[] {
  const header: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of row.keys()) {
      if (!seen.has(key)) {
        seen.add(key);
        header.push(key);
      }
    }
  }
  return header;
}

export function csvLine(header: readonly string[], row: ReadonlyMap<string, string>): string {
  return header.map((column) => csvCell(row.get(column) ?? "")).join(",");
}

/** A whole CSV file of records. */
export function toCsv(records: readonly JsonRecord[], eol = "\n"): string {
  const rows = records.map((r) => flatten(r));
  const header = csvHeader(rows);
  return [header.map(csvCell).join(","), ...rows.map((row) => csvLine(header, row))].join(eol) + eol;
}

export function toNdjson(records: readonly unknown[], eol = "\n"): string {
  return records.map((r) => JSON.stringify(r)).join(eol) + eol;
}

export function toJsonArray(records: readonly unknown[]): string {
  return `${JSON.stringify(records, null, 1)}\n`;
}

export type Format = "json" | "ndjson" | "csv";

export function serialize(format: Format, records: readonly JsonRecord[]): string {
  return format === "json" ? toJsonArray(records) : format === "ndjson" ? toNdjson(records) : toCsv(records);
}

/** Writes collections into `dir`, each in the given format (default NDJSON). */
export function writeCollections(dir: string, collections: Collections, formats: Partial<Record<CollectionName, Format>> = {}): string {
  for (const name of COLLECTIONS) {
    const records = collections[name];
    if (!records) continue;
    const format = formats[name] ?? "ndjson";
    writeFiles(dir, { [`${name}.${format}`]: serialize(format, records) });
  }
  return dir;
}

// ------------------------------------------------------------------ the built CLI

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli.js …args` synchronously, with extra environment variables. */
export function runCli(args: readonly string[], options: { env?: Record<string, string>; input?: string; cwd?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? "",
    encoding: "utf8",
    env: { ...process.env, ...options.env },
    maxBuffer: 256 << 20,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `node dist/cli.js …args` without blocking the test worker; resolves with its output bytes. */
export function runCliAsync(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

// ------------------------------------------------------------------ prototypes

/** A snapshot of the built-in prototypes' own properties, to prove nothing was added or replaced. */
export function prototypeSnapshot(): Map<string, unknown> {
  const snapshot = new Map<string, unknown>();
  const targets: Array<[string, object]> = [
    ["Object.prototype", Object.prototype],
    ["Array.prototype", Array.prototype],
    ["Function.prototype", Function.prototype],
    ["String.prototype", String.prototype],
  ];
  for (const [name, target] of targets) {
    for (const key of Reflect.ownKeys(target)) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      snapshot.set(`${name}.${String(key)}`, descriptor && ("value" in descriptor ? descriptor.value : descriptor.get));
    }
    snapshot.set(`${name} [[Prototype]]`, Object.getPrototypeOf(target));
  }
  return snapshot;
}
