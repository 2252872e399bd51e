// The dataset manifest (`channel-conflict.yaml` or `.json` at the root of a dataset folder): how to read
// exports that are not in the contract's shape — which files hold a collection, their format, encoding and
// delimiter, and which source column (in any language) or constant gives each field, with value maps and
// date and number formats. Checked here like every other document: each problem named by its path, with
// the closest valid name where one is near.
import { z } from "zod";
import { closestName } from "../core/closestName.js";
import { dateFormatProblem } from "../core/dateFormat.js";
import { isTimeZone, timeZoneNames } from "../core/zonedTime.js";
import { csvShapeOf, type CellKind } from "./csvShape.js";
import { COLLECTION_NAMES, type CollectionName } from "./dataset.js";
import { numberFormatProblem } from "./numberFormat.js";

/** The file formats a collection can be written in. */
export const FILE_FORMATS = ["json", "ndjson", "csv", "parquet"] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** A constant or mapped value of a field: what a record may hold. */
export type FieldValue = string | number | boolean;

/**
 * Where one field of a record comes from: a source column (read, then mapped and parsed by its format), or
 * a constant `value` for every record.
 */
export interface FieldSource {
  /** The source column (a CSV header, a key of a JSON record, a Parquet column), in any language. */
  readonly column?: string;
  /** A constant, for every record (`type: { value: order }`). */
  readonly value?: FieldValue;
  /**
   * For a time field, a date-fns format of the column's text (`yyyy/MM/dd HH:mm:ss`); for a number field, a
   * number format such as `#,##0.00` (`,` grouping, `.` decimal point) or `#.##0,00`.
   */
  readonly format?: string;
  /** Source values to field values (`经销商: distributor`); `"*"` stands for every value not listed, and a `"*"` value keeps the source value. */
  readonly map?: Readonly<Record<string, FieldValue>>;
  /** For a list field (`skus`, `categories`, …): what separates items in a cell (default `|`). */
  readonly separator?: string;
}

/** How one collection is read. */
export interface CollectionManifest {
  /** Globs relative to the dataset folder (`erp/orders-*.csv`), matched in name order; default: the contract's names. */
  readonly files?: readonly string[];
  /** The format of the files; default: from each file's extension. */
  readonly format?: FileFormat;
  /** A WHATWG encoding label (`utf-8`, `gb18030`, `gbk`, `big5`, `shift_jis`, `utf-16le`, …); default UTF-8. */
  readonly encoding?: string;
  /** CSV only: the character between cells (default `,`). */
  readonly delimiter?: string;
  /** CSV only: rows above the header row (a title line, an export date) that are skipped. */
  readonly skipRows?: number;
  /** Contract fields (dotted: `shipTo.region`) and where each comes from; absent: columns named as the contract names them. */
  readonly fields?: Readonly<Record<string, FieldSource>>;
}

/** A dataset's manifest, checked. */
export interface DatasetManifest {
  /** The manifest file, relative to the dataset folder (`channel-conflict.yaml`). */
  readonly file: string;
  /** The IANA time zone of times without an offset and of bare dates; absent: UTC. */
  readonly timeZone?: string;
  readonly collections: Partial<Readonly<Record<CollectionName, CollectionManifest>>>;
}

/** One problem of a manifest: where (a path such as `["collections", "events", "fields", "occurredAt", "format"]`) and what. */
export interface ManifestProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A problem's path as messages show it: `collections.events.fields.shipTo.region.map`. */
export function manifestPathText(path: readonly (string | number)[]): string {
  return path.map(String).join(".");
}

const fieldValueSchema = z.union([z.string(), z.number(), z.boolean()]);

const fieldSourceSchema = z.union([
  z.string().min(1, "must be a column name"),
  z.strictObject({
    column: z.string().min(1, "must be a column name").optional(),
    value: fieldValueSchema.optional(),
    format: z.string().min(1, "must be a format").optional(),
    map: z.record(z.string(), fieldValueSchema).optional(),
    separator: z.string().min(1, "must be at least one character").optional(),
  }),
]);

const collectionSchema = z.strictObject({
  files: z.union([z.string().min(1), z.array(z.string().min(1, "must be a glob")).min(1, "must list at least one glob")]).optional(),
  format: z.enum(FILE_FORMATS).optional(),
  encoding: z.string().min(1).optional(),
  delimiter: z.string().optional(),
  skipRows: z.number().int().min(0).max(1000).optional(),
  fields: z.record(z.string(), fieldSourceSchema).optional(),
});

const manifestDocumentSchema = z.strictObject({
  timeZone: z.string().min(1).optional(),
  collections: z.record(z.string(), collectionSchema).optional(),
});

/** Encoding labels offered when a label is not known (any WHATWG label is read). */
const COMMON_ENCODINGS = ["utf-8", "gb18030", "gbk", "big5", "shift_jis", "euc-jp", "euc-kr", "utf-16le", "utf-16be", "windows-1252", "iso-8859-1"];

function keyPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((key) => (typeof key === "number" ? key : String(key)));
}

const KEYS_OF: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(manifestDocumentSchema.shape),
  collection: Object.keys(collectionSchema.shape),
  field: ["column", "value", "format", "map", "separator"],
};

/** The keys allowed at a path of the document, for an unknown key's closest name. */
function keysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return KEYS_OF[""] as readonly string[];
  if (path.length === 2 && path[0] === "collections") return KEYS_OF["collection"] as readonly string[];
  return KEYS_OF["field"] as readonly string[];
}

function shapeProblems(error: z.ZodError): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const allowed = keysAt(issue.path);
      for (const key of issue.keys) {
        const close = closestName(key, allowed);
        problems.push({
          path: keyPath([...issue.path, key]),
          message: `unknown key${close ? `; did you mean ${close}?` : `; expected one of ${allowed.join(", ")}`}`,
        });
      }
    } else if (issue.code === "invalid_union" && issue.path.length === 4) {
      problems.push({ path: keyPath(issue.path), message: "expected a column name, or { column | value, format, map }" });
    } else {
      problems.push({ path: keyPath(issue.path), message: issue.message });
    }
  }
  return problems;
}

/** The kind of a field that a format applies to: a time or a number. */
function formatProblem(kind: CellKind, format: string): string | undefined {
  if (kind === "time") return dateFormatProblem(format);
  if (kind === "number") return numberFormatProblem(format);
  return `a format applies to time and number fields only; this field is a ${kind === "list" ? "list" : kind}`;
}

function fieldProblems(collection: CollectionName, fields: Record<string, z.output<typeof fieldSourceSchema>>, at: readonly string[]): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const shape = csvShapeOf(collection);
  for (const [field, source] of Object.entries(fields)) {
    const path = [...at, field];
    const kind = shape.get(field);
    if (kind === undefined) {
      const close = closestName(field, shape.keys());
      problems.push({
        path,
        message: `${collection} has no field "${field}"${close ? `; did you mean ${close}?` : `; expected one of ${[...shape.keys()].join(", ")}`}`,
      });
      continue;
    }
    if (typeof source === "string") continue;
    const given = (source.column !== undefined ? 1 : 0) + (source.value !== undefined ? 1 : 0);
    if (given !== 1) {
      problems.push({ path, message: given === 0 ? "names no source: give a column or a value" : "gives both a column and a value; give one" });
    }
    if (source.format !== undefined) {
      const problem = formatProblem(kind, source.format);
      if (problem) problems.push({ path: [...path, "format"], message: problem });
    }
    if (source.separator !== undefined && kind !== "list") {
      problems.push({ path: [...path, "separator"], message: "a separator applies to list fields only" });
    }
    if (source.value !== undefined && source.map !== undefined) {
      problems.push({ path: [...path, "map"], message: "a constant value needs no map; give the mapped value as the value" });
    }
  }
  return problems;
}

function encodingProblem(label: string): string | undefined {
  try {
    new TextDecoder(label);
    return undefined;
  } catch {
    const close = closestName(label, COMMON_ENCODINGS);
    return `"${label}" is not an encoding label${close ? `; did you mean ${close}?` : `; expected a WHATWG label such as ${COMMON_ENCODINGS.slice(0, 5).join(", ")}`}`;
  }
}

function delimiterProblem(delimiter: string): string | undefined {
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7e || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    return `must be one ASCII character other than a quote or a line end, such as ",", ";", "|" or a tab ("\\t"); got ${JSON.stringify(delimiter)}`;
  }
  return undefined;
}

function globProblem(glob: string): string | undefined {
  if (glob.startsWith("/") || /^[A-Za-z]:[\\/]/.test(glob) || glob.split(/[\\/]/).includes("..")) {
    return `"${glob}" leaves the dataset folder; globs are relative to it`;
  }
  return undefined;
}

/**
 * Checks a parsed manifest document (`file` names it in messages) and returns the manifest, or the list of
 * problems: unknown keys, collections and fields with their closest names, unknown encodings and time zones,
 * formats a field cannot take, and fields that name neither a column nor a value.
 */
export function checkManifest(document: unknown, file: string): { manifest: DatasetManifest } | { problems: ManifestProblem[] } {
  const parsed = manifestDocumentSchema.safeParse(document);
  if (!parsed.success) return { problems: shapeProblems(parsed.error) };
  const problems: ManifestProblem[] = [];
  const { timeZone } = parsed.data;
  if (timeZone !== undefined && !isTimeZone(timeZone)) {
    const close = closestName(timeZone, timeZoneNames());
    problems.push({ path: ["timeZone"], message: `"${timeZone}" is not an IANA time zone${close ? `; did you mean ${close}?` : " such as Asia/Shanghai or UTC"}` });
  }
  const collections: Partial<Record<CollectionName, CollectionManifest>> = {};
  for (const [name, entry] of Object.entries(parsed.data.collections ?? {})) {
    const at = ["collections", name];
    if (!(COLLECTION_NAMES as readonly string[]).includes(name)) {
      const close = closestName(name, COLLECTION_NAMES);
      problems.push({ path: at, message: `no collection is named "${name}"${close ? `; did you mean ${close}?` : `; expected one of ${COLLECTION_NAMES.join(", ")}`}` });
      continue;
    }
    const collection = name as CollectionName;
    const files = typeof entry.files === "string" ? [entry.files] : entry.files;
    files?.forEach((glob, i) => {
      const problem = globProblem(glob);
      if (problem) problems.push({ path: typeof entry.files === "string" ? [...at, "files"] : [...at, "files", i], message: problem });
    });
    if (entry.encoding !== undefined) {
      const problem = encodingProblem(entry.encoding);
      if (problem) problems.push({ path: [...at, "encoding"], message: problem });
    }
    if (entry.delimiter !== undefined) {
      const problem = delimiterProblem(entry.delimiter);
      if (problem) problems.push({ path: [...at, "delimiter"], message: problem });
    }
    if (entry.fields) problems.push(...fieldProblems(collection, entry.fields, [...at, "fields"]));
    const fields = entry.fields
      ? Object.fromEntries(Object.entries(entry.fields).map(([field, source]) => [field, typeof source === "string" ? { column: source } : source]))
      : undefined;
    collections[collection] = {
      ...(files ? { files } : {}),
      ...(entry.format ? { format: entry.format } : {}),
      ...(entry.encoding ? { encoding: entry.encoding } : {}),
      ...(entry.delimiter !== undefined ? { delimiter: entry.delimiter } : {}),
      ...(entry.skipRows !== undefined ? { skipRows: entry.skipRows } : {}),
      ...(fields ? { fields } : {}),
    };
  }
  if (problems.length > 0) return { problems };
  return { manifest: { file, ...(timeZone !== undefined ? { timeZone } : {}), collections } };
}
