import type { z } from "zod";
import { collectionSchemas, type CollectionName } from "./dataset.js";
import { closestName } from "../core/closestName.js";

/** How a CSV cell is turned into a value before validation. */
export type CellKind = "string" | "number" | "boolean" | "list" | "time";

type AnySchema = z.core.$ZodType;

function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = current._zod.def as unknown as { type: string; innerType?: AnySchema; in?: AnySchema };
    if ((def.type === "optional" || def.type === "default" || def.type === "nullable") && def.innerType) {
      current = def.innerType;
    } else if (def.type === "pipe" && def.in) {
      current = def.in;
    } else {
      return current;
    }
  }
}

function collectShape(schema: AnySchema, prefix: string, out: Map<string, CellKind>): void {
  const inner = unwrap(schema);
  const def = inner._zod.def as unknown as { type: string; shape?: Record<string, AnySchema>; options?: AnySchema[] };
  if (def.type === "object" && def.shape) {
    for (const [key, child] of Object.entries(def.shape)) {
      const childDef = unwrap(child)._zod.def as unknown as { type: string };
      const path = prefix === "" ? key : `${prefix}.${key}`;
      if (childDef.type === "object") collectShape(child, path, out);
      else out.set(path, kindOf(childDef.type));
    }
  } else if (def.type === "union" && def.options) {
    for (const option of def.options) collectShape(option, prefix, out);
  }
}

function kindOf(type: string): CellKind {
  if (type === "number") return "number";
  // Only times are custom schemas (isoTimeSchema: an ISO 8601 string or a Date); a cell holds their text.
  if (type === "custom") return "time";
  if (type === "boolean") return "boolean";
  if (type === "array") return "list";
  return "string";
}

const shapes = new Map<CollectionName, ReadonlyMap<string, CellKind>>();

/** The kind of every (dotted) field of a collection, read off its zod schema. */
export function csvShapeOf(collection: CollectionName): ReadonlyMap<string, CellKind> {
  let shape = shapes.get(collection);
  if (!shape) {
    const map = new Map<string, CellKind>();
    collectShape(collectionSchemas[collection], "", map);
    shape = map;
    shapes.set(collection, shape);
  }
  return shape;
}

/**
 * The columns of a CSV header that no field of the collection reads but whose name is close to a
 * field's (`ship_to_region` → `shipTo.region`, `partnerID` → `partnerId`), each with that field:
 * a column no field reads is ignored, which is right for extra columns and silent for misspelt ones.
 * Columns far from every field (`note`, `importedBy`) are extra columns and not listed.
 */
export function unreadColumns(collection: CollectionName, header: readonly string[]): Array<{ readonly column: string; readonly field: string }> {
  const shape = csvShapeOf(collection);
  const out: Array<{ column: string; field: string }> = [];
  for (const column of header) {
    if (column === "" || shape.has(column)) continue;
    // Stricter than for file names: a dataset may carry extra columns on purpose, and short field names are many.
    const field = closestName(column, shape.keys(), { tolerance: 1 / 4 });
    if (field !== undefined) out.push({ column, field });
  }
  return out;
}

const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function convertCell(kind: CellKind, cell: string): unknown {
  switch (kind) {
    case "number":
      // A cell that is not a plain number stays a string, so validation names it.
      return NUMBER_PATTERN.test(cell.trim()) ? Number(cell.trim()) : cell;
    case "boolean": {
      // Excel writes TRUE and FALSE; any case is the same boolean. Anything else stays a string, so validation names it.
      const word = cell.trim().toLowerCase();
      if (word === "true") return true;
      if (word === "false") return false;
      return cell;
    }
    case "list":
      return cell.split("|").map((item) => item.trim());
    case "string":
    case "time":
      return cell;
  }
}

/**
 * Turns the rows of a CSV file with `header` into records, the work for each column done once: dotted
 * headers nest, empty cells are absent, a nested object whose cells are all empty is absent, and cells
 * are converted by the field's kind. Unknown columns are kept as strings (validation strips them).
 * Columns are set in the order `Object.keys` gives of an object keyed by the header (integer-like names
 * first), as rows were when they were objects.
 */
export function csvRowReader(collection: CollectionName, header: readonly string[]): (cells: readonly string[]) => Record<string, unknown> {
  const shape = csvShapeOf(collection);
  const positions: Record<string, number> = Object.create(null);
  header.forEach((name, i) => (positions[name] = i));
  const columns = Object.keys(positions).map((name) => ({
    at: positions[name] as number,
    kind: shape.get(name) ?? "string",
    path: name.split("."),
    key: name.includes(".") ? undefined : name,
  }));
  return (cells) => {
    const record: Record<string, unknown> = Object.create(null);
    for (const { at, kind, path, key } of columns) {
      const cell = cells[at];
      if (cell === undefined || cell === "") continue;
      const value = kind === "string" || kind === "time" ? cell : convertCell(kind, cell);
      if (key !== undefined) record[key] = value;
      else setPath(record, path, value);
    }
    return record;
  };
}

/**
 * Sets `value` at the dotted `path` of `record`, making the objects on the way (without prototypes, so a
 * key such as `__proto__` is a plain key).
 */
export function setPath(record: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let target = record;
  for (let i = 0; i < path.length - 1; i++) {
    const part = path[i] as string;
    const next = target[part];
    if (typeof next === "object" && next !== null && !Array.isArray(next)) {
      target = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = Object.create(null);
      target[part] = created;
      target = created;
    }
  }
  target[path[path.length - 1] as string] = value;
}
