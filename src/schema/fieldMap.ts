// The `fields` of a manifest collection compiled into a mapper: from a source row (CSV cells under a header,
// or a JSON/NDJSON/Parquet record keyed by its own column names) to a record in the contract's shape, which
// validation then checks as it checks any record. A value the mapping cannot read (a value its map does not
// list, a time or number that does not follow its format) rejects the record, naming the column and value.
import { reason, type RejectionReason } from "../core/rejectionReasons.js";
import { closestName } from "../core/closestName.js";
import { compileDateFormat } from "../core/dateFormat.js";
import type { TimeZone } from "../core/zonedTime.js";
import { convertCell, csvShapeOf, setPath, type CellKind } from "./csvShape.js";
import type { CollectionName } from "./dataset.js";
import type { FieldSource, FieldValue } from "./manifest.js";
import { compileNumberFormat } from "./numberFormat.js";

/** A mapped record, or why the row cannot be one. */
export type MappedRecord = { readonly value: Record<string, unknown> } | { readonly error: RejectionReason };

/** The source columns a manifest's `fields` read, in field order, each once. */
export function mappedColumns(fields: Readonly<Record<string, FieldSource>>): string[] {
  return [...new Set(Object.values(fields).flatMap((field) => (field.column === undefined ? [] : [field.column])))];
}

/** A `"*"` map value that keeps the source value. */
const KEEP = "*";

interface FieldStep {
  readonly path: readonly string[];
  readonly field: string;
  readonly kind: CellKind;
  readonly column: string | undefined;
  readonly constant: unknown;
  readonly map: ReadonlyMap<string, FieldValue> | undefined;
  /** The value of a source value the map does not list: a value, `KEEP`, or undefined (the record is rejected). */
  readonly otherwise: FieldValue | undefined;
  readonly read: ((text: string) => unknown) | undefined;
  readonly format: string | undefined;
  readonly separator: string;
}

/**
 * Sets a field of a mapped record. The field names are the manifest's, checked against the collection's
 * fields (no `__proto__` among them), so the records are plain objects: faster to fill than ones without
 * a prototype, and what the fast event reader takes.
 */
function setField(record: Record<string, unknown>, path: readonly string[], value: unknown): void {
  if (path.length === 1) {
    record[path[0] as string] = value;
    return;
  }
  if (path.length === 2) {
    const key = path[0] as string;
    let inner = record[key] as Record<string, unknown> | undefined;
    if (inner === undefined) record[key] = inner = {};
    inner[path[1] as string] = value;
    return;
  }
  setPath(record, path, value);
}

/** What a format reads, or this when the text does not follow the format. */
const UNREAD = Symbol("unread");

function readerOf(kind: CellKind, format: string | undefined, zone: TimeZone): ((text: string) => unknown) | undefined {
  if (format === undefined) return undefined;
  if (kind === "time") {
    const read = compileDateFormat(format, zone);
    return (text) => {
      const ms = read(text);
      return ms === undefined ? UNREAD : new Date(ms);
    };
  }
  const read = compileNumberFormat(format);
  return (text) => read(text) ?? UNREAD;
}

function listOf(values: Iterable<string>, most = 8): string {
  const all = [...values];
  const shown = all.slice(0, most).map((v) => JSON.stringify(v));
  return all.length > most ? `${shown.join(", ")}, … (${all.length} in all)` : shown.join(", ");
}

/**
 * The compiled `fields` of one collection. Each field is read from its column (or set to its constant),
 * then: an empty text is an absent field; a `map` turns the trimmed text into the field's value; a
 * `format` reads a time (date-fns tokens, in the dataset's time zone) or a number (grouping allowed); any
 * other text is read as a CSV cell of the field's kind (numbers, booleans, `|`-separated lists).
 */
export class FieldMapper {
  private readonly steps: readonly FieldStep[];

  constructor(collection: CollectionName, fields: Readonly<Record<string, FieldSource>>, zone: TimeZone) {
    const shape = csvShapeOf(collection);
    this.steps = Object.entries(fields).map(([field, source]) => {
      const kind = shape.get(field) ?? "string";
      const entries = source.map ? Object.entries(source.map) : undefined;
      const star = entries?.find(([key]) => key === KEEP)?.[1];
      return {
        path: field.split("."),
        field,
        kind,
        column: source.column,
        constant: source.value === undefined ? undefined : typeof source.value === "string" ? convertCell(kind, source.value) : source.value,
        map: entries ? new Map(entries.filter(([key]) => key !== KEEP)) : undefined,
        otherwise: star,
        read: readerOf(kind, source.format, zone),
        format: source.format,
        separator: source.separator ?? "|",
      };
    });
  }

  /**
   * A reader of CSV rows under `header` (trimmed header cells), or the first column the fields read that
   * the header lacks, with the closest header cell.
   */
  forHeader(header: readonly string[]): ((cells: readonly string[]) => MappedRecord) | { readonly missing: string; readonly closest?: string } {
    const indexes: number[] = [];
    for (const step of this.steps) {
      if (step.column === undefined) {
        indexes.push(-1);
        continue;
      }
      const index = header.indexOf(step.column);
      if (index === -1) {
        const closest = closestName(step.column, header);
        return closest === undefined ? { missing: step.column } : { missing: step.column, closest };
      }
      indexes.push(index);
    }
    return (cells) => {
      const record: Record<string, unknown> = {};
      for (let i = 0; i < this.steps.length; i++) {
        const step = this.steps[i] as FieldStep;
        const index = indexes[i] as number;
        const problem = index === -1 ? this.setConstant(record, step) : this.setText(record, step, cells[index] as string);
        if (problem !== undefined) return { error: problem };
      }
      return { value: record };
    };
  }

  /** Maps a record read from JSON, NDJSON or Parquet, keyed by its source columns (a dotted column may also be a path into nested objects). */
  fromObject(source: unknown): MappedRecord {
    if (typeof source !== "object" || source === null || Array.isArray(source)) {
      return { error: reason("not_a_record", { got: Array.isArray(source) ? "an array" : source === null ? "null" : typeof source }) };
    }
    const record: Record<string, unknown> = {};
    for (const step of this.steps) {
      if (step.column === undefined) {
        this.setConstant(record, step);
        continue;
      }
      const value = columnValue(source as Record<string, unknown>, step.column);
      if (value === undefined || value === null) continue;
      const problem = typeof value === "string" ? this.setText(record, step, value) : this.setValue(record, step, value);
      if (problem !== undefined) return { error: problem };
    }
    return { value: record };
  }

  private setConstant(record: Record<string, unknown>, step: FieldStep): undefined {
    setField(record, step.path, step.constant);
    return undefined;
  }

  /** Sets a field from a text (a CSV cell, a JSON string); the problem when it cannot be read. */
  private setText(record: Record<string, unknown>, step: FieldStep, cell: string): RejectionReason | undefined {
    const text = cell.trim();
    if (text === "") return undefined;
    if (step.kind === "list" && step.map === undefined && step.read === undefined) {
      setField(record, step.path, text.split(step.separator).map((item) => item.trim()).filter((item) => item !== ""));
      return undefined;
    }
    let value: FieldValue;
    if (step.map !== undefined) {
      if (step.kind === "list") {
        const items: FieldValue[] = [];
        for (const item of text.split(step.separator)) {
          const trimmed = item.trim();
          if (trimmed === "") continue;
          const mapped = this.mapped(step, trimmed);
          if (typeof mapped === "object") return mapped.problem;
          items.push(mapped);
        }
        setField(record, step.path, items);
        return undefined;
      }
      const mapped = this.mapped(step, text);
      if (typeof mapped === "object") return mapped.problem;
      if (typeof mapped !== "string") {
        setField(record, step.path, mapped);
        return undefined;
      }
      value = mapped;
    } else {
      value = text;
    }
    if (step.read !== undefined) {
      const read = step.read(value as string);
      if (read === UNREAD) {
        return reason("unreadable_cell", { column: step.column ?? "", value: JSON.stringify(value), kind: step.kind === "time" ? "time" : "number", format: step.format ?? "", field: step.field });
      }
      setField(record, step.path, read);
      return undefined;
    }
    setField(record, step.path, convertCell(step.kind, value as string));
    return undefined;
  }

  /** Sets a field from a value that is not a text (a JSON number or boolean, a Parquet timestamp as a Date). */
  private setValue(record: Record<string, unknown>, step: FieldStep, value: unknown): RejectionReason | undefined {
    if (step.map !== undefined && (typeof value === "number" || typeof value === "boolean")) {
      const mapped = this.mapped(step, String(value));
      if (typeof mapped === "object") return mapped.problem;
      setField(record, step.path, mapped === String(value) ? value : typeof mapped === "string" ? convertCell(step.kind, mapped) : mapped);
      return undefined;
    }
    setField(record, step.path, value);
    return undefined;
  }

  private mapped(step: FieldStep, text: string): FieldValue | { problem: RejectionReason } {
    const map = step.map as ReadonlyMap<string, FieldValue>;
    const value = map.get(text);
    if (value !== undefined) return value;
    if (step.otherwise === undefined) {
      return {
        problem: reason("unmapped_cell", { column: step.column ?? "", value: JSON.stringify(text), field: step.field, known: listOf(map.keys()) }),
      };
    }
    return step.otherwise === KEEP ? text : step.otherwise;
  }
}

/** A column's value in a record: its own key, else the dotted path through nested objects. */
function columnValue(record: Record<string, unknown>, column: string): unknown {
  if (Object.hasOwn(record, column)) return record[column];
  if (!column.includes(".")) return undefined;
  let at: unknown = record;
  for (const part of column.split(".")) {
    if (typeof at !== "object" || at === null || !Object.hasOwn(at, part)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}
