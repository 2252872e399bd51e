/**
 * The fields of an event, declared once. The zod schemas of `dataset.ts` are built from this table, and
 * the fast paths that read events without zod (src/fast/) are held to it by src/schema/eventFields.test.ts,
 * which names the place that lacks a field: a field added here and forgotten there fails that test.
 */

/**
 * What a field's value must be, checked alike by the schema and the fast paths: `id` a non-empty string
 * (trimmed), `time` an ISO 8601 text or a `Date` read as epoch ms (the fast paths read texts only and
 * leave a Date to zod), `money` 0 to 1e11, `positive` a finite number above 0, `currency` an ISO 4217
 * code, `string` any string, `type` one of `values`, `object` an object whose fields follow it in the
 * table, named below it (`shipTo.region`).
 */
export type EventFieldKind = "id" | "time" | "money" | "positive" | "currency" | "string" | "type" | "object";

/** One field of an event type. */
export interface EventField {
  /** The key, after its object field's name and a dot for a field of a nested object. */
  readonly name: string;
  readonly required: boolean;
  readonly kind: EventFieldKind;
  /** The values of a `type` field (one: a literal). */
  readonly values?: readonly [string, ...string[]];
}

const COMMON_FIELDS = [
  { name: "id", required: true, kind: "id" },
  { name: "occurredAt", required: true, kind: "time" },
  { name: "partnerId", required: true, kind: "id" },
  { name: "sku", required: true, kind: "id" },
] as const;

/**
 * The fields of each event schema, in the order of the keys of the events zod returns (callers rely on
 * that order), nested fields right after their object field.
 */
export const EVENT_FIELDS = {
  sale: [
    ...COMMON_FIELDS,
    { name: "type", required: true, kind: "type", values: ["order", "sale"] },
    { name: "customerId", required: false, kind: "id" },
    { name: "quantity", required: true, kind: "positive" },
    { name: "unitPrice", required: true, kind: "money" },
    { name: "currency", required: true, kind: "currency" },
    { name: "shipTo", required: false, kind: "object" },
    { name: "shipTo.region", required: true, kind: "id" },
    { name: "shipTo.country", required: false, kind: "string" },
    { name: "shipTo.postalCode", required: false, kind: "string" },
    { name: "lot", required: false, kind: "id" },
    { name: "promotionId", required: false, kind: "id" },
  ],
  listing: [
    ...COMMON_FIELDS,
    { name: "type", required: true, kind: "type", values: ["listing"] },
    { name: "price", required: true, kind: "money" },
    { name: "currency", required: true, kind: "currency" },
    { name: "url", required: false, kind: "string" },
  ],
  allocation: [
    ...COMMON_FIELDS,
    { name: "type", required: true, kind: "type", values: ["allocation"] },
    { name: "lot", required: true, kind: "id" },
    { name: "quantity", required: true, kind: "positive" },
  ],
} as const satisfies Record<string, readonly EventField[]>;

/** An event schema of the table: `sale` (types order and sale), `listing`, `allocation`. */
export type EventSchemaName = keyof typeof EVENT_FIELDS;

/** The event schemas in the table's order. */
export const EVENT_SCHEMA_NAMES = Object.keys(EVENT_FIELDS) as EventSchemaName[];

/** A field of any event schema, as the table declares it. */
export type DeclaredEventField = (typeof EVENT_FIELDS)[EventSchemaName][number];

/** The name of a field of any event schema, dotted for a nested one. */
export type EventFieldName = DeclaredEventField["name"];

/** The name of an object field (whose own fields are named below it). */
export type EventObjectFieldName = Extract<DeclaredEventField, { kind: "object" }>["name"];

/** The keys of the record (`Parent` "") or of its object field `Parent`: the names below it, undotted. */
export type EventKeyOf<Parent extends "" | EventObjectFieldName> = KeysBelow<EventFieldName, Parent extends "" ? "" : `${Parent}.`>;

/** Each `Name` that is `Prefix` and one key more, without the prefix. */
type KeysBelow<Name extends string, Prefix extends string> = Name extends `${Prefix}${infer Key}` ? (Key extends `${string}.${string}` ? never : Key) : never;

/**
 * The keys of the record (`parent` "") or of its object field `parent`, of the event schema `schema` or of
 * every one, each once and in the table's order.
 */
export function eventKeysOf<Parent extends "" | EventObjectFieldName>(parent: Parent, schema?: EventSchemaName): EventKeyOf<Parent>[] {
  const prefix = parent === "" ? "" : `${parent}.`;
  const keys = new Set<string>();
  for (const name of schema === undefined ? EVENT_SCHEMA_NAMES : [schema]) {
    for (const field of EVENT_FIELDS[name] as readonly EventField[]) {
      const key = field.name.slice(prefix.length);
      if (field.name.startsWith(prefix) && !key.includes(".")) keys.add(key);
    }
  }
  return [...keys] as EventKeyOf<Parent>[];
}

/**
 * The fields of a record of any event type (what the fast readers look for before they know the type):
 * each name once, in the table's order, `type` with every value, required where every schema that has
 * the field's object (the record, for a field of the record) requires it.
 */
export function anyEventFields(): EventField[] {
  const schemas = EVENT_SCHEMA_NAMES.map((schema) => EVENT_FIELDS[schema] as readonly EventField[]);
  const fields = new Map<string, EventField>();
  for (const field of schemas.flat()) {
    const known = fields.get(field.name);
    const values = known?.values && field.values ? ([...known.values, ...field.values] as const) : field.values;
    fields.set(field.name, { ...field, ...(values && { values }) });
  }
  return [...fields.values()].map((field) => {
    const parent = field.name.includes(".") ? field.name.slice(0, field.name.lastIndexOf(".")) : undefined;
    const withParent = schemas.filter((own) => parent === undefined || own.some((f) => f.name === parent));
    return { ...field, required: withParent.every((own) => own.some((f) => f.name === field.name && f.required)) };
  });
}
