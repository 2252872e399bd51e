import { z } from "zod";
import {
  channelSchema,
  currencySchema,
  idListSchema,
  idSchema,
  isoTimeSchema,
  isoTimeSchemaIn,
  moneySchema,
} from "./primitives.js";
import type { TimeZone } from "../core/zonedTime.js";
import { EVENT_FIELDS, type EventField, type EventSchemaName } from "./eventFields.js";

/** A channel member, or the brand's own direct sales team. */
export const partnerSchema = z.object({
  id: idSchema,
  name: z.string().optional(),
  channel: channelSchema,
  parentId: idSchema.optional(),
  homeRegion: idSchema.optional(),
});
export type Partner = z.infer<typeof partnerSchema>;
/** A partner as a caller writes it, before validation. */
export type PartnerInput = z.input<typeof partnerSchema>;

/** A node of the region tree. */
export const regionSchema = z.object({
  code: idSchema,
  name: z.string().optional(),
  parent: idSchema.optional(),
});
export type Region = z.infer<typeof regionSchema>;
/** A region as a caller writes it, before validation. */
export type RegionInput = z.input<typeof regionSchema>;

/** A region granted to a partner, exclusive or not, for a span and optionally some products. */
export const territorySchema = z.object({
  id: idSchema,
  partnerId: idSchema,
  region: idSchema,
  exclusive: z.boolean().default(false),
  skus: idListSchema.optional(),
  categories: idListSchema.optional(),
  validFrom: isoTimeSchema.optional(),
  validTo: isoTimeSchema.optional(),
});
export type Territory = z.infer<typeof territorySchema>;
/** A territory as a caller writes it, before validation (times as ISO 8601 strings or `Date`s). */
export type TerritoryInput = z.input<typeof territorySchema>;

/** A product of the brand. */
export const productSchema = z.object({
  sku: idSchema,
  name: z.string().optional(),
  category: idSchema.optional(),
  listPrice: moneySchema.optional(),
  currency: currencySchema.optional(),
});
export type Product = z.infer<typeof productSchema>;
/** A product as a caller writes it, before validation. */
export type ProductInput = z.input<typeof productSchema>;

/** Price rules for a sku, for every channel or one. */
export const pricePolicySchema = z.object({
  id: idSchema,
  sku: idSchema,
  channel: channelSchema.optional(),
  listPrice: moneySchema.optional(),
  floorPrice: moneySchema.optional(),
  map: moneySchema.optional(),
  currency: currencySchema,
  validFrom: isoTimeSchema.optional(),
  validTo: isoTimeSchema.optional(),
});
export type PricePolicy = z.infer<typeof pricePolicySchema>;
/** A price policy as a caller writes it, before validation (times as ISO 8601 strings or `Date`s). */
export type PricePolicyInput = z.input<typeof pricePolicySchema>;

/** An authorised promotion: prices down to list × (1 − maxDiscount) are allowed while it runs. */
export const promotionSchema = z.object({
  id: idSchema,
  skus: idListSchema.optional(),
  channels: z.array(channelSchema).optional(),
  partnerIds: idListSchema.optional(),
  maxDiscount: z.number().min(0, "must be at least 0").max(1, "must be at most 1"),
  validFrom: isoTimeSchema,
  validTo: isoTimeSchema,
});
export type Promotion = z.infer<typeof promotionSchema>;
/** A promotion as a caller writes it, before validation (times as ISO 8601 strings or `Date`s). */
export type PromotionInput = z.input<typeof promotionSchema>;

/** A deal registration or account assignment protecting a customer for a partner. */
export const registrationSchema = z.object({
  id: idSchema,
  customerId: idSchema,
  partnerId: idSchema,
  status: z.enum(["approved", "pending", "rejected", "expired"]),
  registeredAt: isoTimeSchema,
  expiresAt: isoTimeSchema.optional(),
});
export type Registration = z.infer<typeof registrationSchema>;
/** A registration as a caller writes it, before validation (times as ISO 8601 strings or `Date`s). */
export type RegistrationInput = z.input<typeof registrationSchema>;

/** An end customer. */
export const customerSchema = z.object({
  id: idSchema,
  name: z.string().optional(),
  region: idSchema.optional(),
  segment: z.string().optional(),
});
export type Customer = z.infer<typeof customerSchema>;
/** A customer as a caller writes it, before validation. */
export type CustomerInput = z.input<typeof customerSchema>;

/** Finite and greater than 0. */
const positiveSchema = z.number().finite("must be a finite number").positive("must be greater than 0");

/**
 * The schema of each kind of field but `type` and `object`, which the fields make themselves (the fast
 * reader checks each kind the same way: src/fast/FastEventReader.ts).
 */
const KIND_SCHEMAS = {
  id: idSchema,
  time: isoTimeSchema,
  money: moneySchema,
  positive: positiveSchema,
  currency: currencySchema,
  string: z.string(),
};
type KindSchemas = typeof KIND_SCHEMAS;

/** `T` worked out into a plain object type, which declarations then spell out (as they did the hand-written shapes). */
type Resolved<T> = T extends infer U ? { [K in keyof U]: U[K] } : never;

/** The zod shape of the fields `Fields` declares right below `Prefix` ("" for the record, "shipTo." for its shipTo). */
type ShapeOf<Fields extends readonly EventField[], Prefix extends string> = {
  [Field in Fields[number] as Field["name"] extends `${Prefix}${infer Key}` ? (Key extends `${string}.${string}` ? never : Key) : never]: Field["required"] extends true
    ? SchemaOf<Field, Fields>
    : z.ZodOptional<SchemaOf<Field, Fields>>;
};

type SchemaOf<Field extends EventField, Fields extends readonly EventField[]> = Field extends { kind: "type"; values: readonly [infer Only extends string] }
  ? z.ZodLiteral<Only>
  : Field extends { kind: "type"; values: readonly (infer Value extends string)[] }
    ? z.ZodEnum<{ [V in Value]: V }>
    : Field extends { kind: "object" }
      ? z.ZodObject<Resolved<ShapeOf<Fields, `${Field["name"]}.`>>, z.core.$strip>
      : Field["kind"] extends keyof KindSchemas
        ? KindSchemas[Field["kind"]]
        : never;

/** The zod shape of `fields` right below `prefix`, keys in the table's order (the order zod gives them back in). */
function shapeOf(fields: readonly EventField[], prefix: string): z.core.$ZodLooseShape {
  const shape: z.core.$ZodLooseShape = {};
  for (const field of fields) {
    const key = field.name.slice(prefix.length);
    if (!field.name.startsWith(prefix) || key.includes(".")) continue;
    const schema = schemaOf(field, fields);
    shape[key] = field.required ? schema : schema.optional();
  }
  return shape;
}

function schemaOf(field: EventField, fields: readonly EventField[]): z.ZodType {
  switch (field.kind) {
    case "type": {
      const values = field.values as readonly [string, ...string[]];
      return values.length === 1 ? z.literal(values[0]) : z.enum(values);
    }
    case "object":
      return z.object(shapeOf(fields, `${field.name}.`));
    default:
      return KIND_SCHEMAS[field.kind];
  }
}

/** The zod schema of the event schema `name` of the table. */
function eventObjectSchema<Name extends EventSchemaName>(name: Name): z.ZodObject<Resolved<ShapeOf<(typeof EVENT_FIELDS)[Name], "">>, z.core.$strip> {
  return z.object(shapeOf(EVENT_FIELDS[name], "")) as z.ZodObject<Resolved<ShapeOf<(typeof EVENT_FIELDS)[Name], "">>, z.core.$strip>;
}

/** An order or a sale to a customer. */
export const saleEventSchema = eventObjectSchema("sale");
export type SaleEvent = z.infer<typeof saleEventSchema>;
/** An order or sale as a caller writes it, before validation (`occurredAt` an ISO 8601 string or a `Date`). */
export type SaleEventInput = z.input<typeof saleEventSchema>;

/** An advertised price someone observed. */
export const listingEventSchema = eventObjectSchema("listing");
export type ListingEvent = z.infer<typeof listingEventSchema>;
/** A listing as a caller writes it, before validation (`occurredAt` an ISO 8601 string or a `Date`). */
export type ListingEventInput = z.input<typeof listingEventSchema>;

/** Goods of a lot shipped from the brand to a partner. */
export const allocationEventSchema = eventObjectSchema("allocation");
export type AllocationEvent = z.infer<typeof allocationEventSchema>;
/** An allocation as a caller writes it, before validation (`occurredAt` an ISO 8601 string or a `Date`). */
export type AllocationEventInput = z.input<typeof allocationEventSchema>;

/** Any event of a dataset, told apart by `type`. */
export const eventSchema = z.discriminatedUnion("type", [
  saleEventSchema,
  listingEventSchema,
  allocationEventSchema,
]);
export type ChannelEvent = z.infer<typeof eventSchema>;
/** An event as a caller hands it in, before validation (`occurredAt` an ISO 8601 string or a `Date`). */
export type ChannelEventInput = z.input<typeof eventSchema>;

/** The schema of every collection of a dataset, by collection name. */
export const collectionSchemas = {
  partners: partnerSchema,
  regions: regionSchema,
  territories: territorySchema,
  products: productSchema,
  pricePolicies: pricePolicySchema,
  promotions: promotionSchema,
  registrations: registrationSchema,
  customers: customerSchema,
  events: eventSchema,
} as const;

export type CollectionName = keyof typeof collectionSchemas;

/** `schema` with every time field (`isoTimeSchema`, optional or not, nested or not) read by `time` instead. */
function withTime(schema: z.ZodType, time: z.ZodType): z.ZodType {
  if (schema === isoTimeSchema) return time;
  if (schema instanceof z.ZodOptional) {
    const inner = schema.unwrap() as z.ZodType;
    const replaced = withTime(inner, time);
    return replaced === inner ? schema : replaced.optional();
  }
  if (schema instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {};
    let changed = false;
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      shape[key] = withTime(field, time);
      changed ||= shape[key] !== field;
    }
    return changed ? schema.extend(shape) : schema;
  }
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const options = (schema.options as z.ZodType[]).map((option) => withTime(option, time));
    return z.discriminatedUnion(schema.def.discriminator, options as [z.ZodObject, ...z.ZodObject[]]);
  }
  return schema;
}

/**
 * The schemas of `collectionSchemas` with bare dates and times without offset read as wall times in `zone`
 * (the same schemas for UTC). Built afresh per call: a dataset opened in a zone builds them once.
 */
export function collectionSchemasIn(zone: TimeZone): typeof collectionSchemas {
  if (zone.isUtc) return collectionSchemas;
  const time = isoTimeSchemaIn(zone);
  const out: Record<string, z.ZodType> = {};
  for (const [name, schema] of Object.entries(collectionSchemas)) out[name] = withTime(schema, time);
  return out as unknown as typeof collectionSchemas;
}

/** Collection names in the order they are read; events come last so references are known. */
export const COLLECTION_NAMES = Object.keys(collectionSchemas) as CollectionName[];

/** Reference collections: every collection but events. */
export type ReferenceName = Exclude<CollectionName, "events">;

/** The validated records of each collection. */
export type CollectionRecords = { [K in CollectionName]: z.infer<(typeof collectionSchemas)[K]>[] };

/** The validated reference collections of a dataset (everything but events). */
export type ReferenceRecords = Pick<CollectionRecords, ReferenceName>;

/** Collections as plain objects, the way a caller hands them to `scan` (each may be absent). */
// Spelled out rather than mapped over `collectionSchemas`, so a caller's editor and the published .d.ts
// show each collection's record type by name (test/types/inputs.test.ts holds its keys to CollectionName).
export interface CollectionsInput {
  readonly partners?: readonly PartnerInput[] | undefined;
  readonly regions?: readonly RegionInput[] | undefined;
  readonly territories?: readonly TerritoryInput[] | undefined;
  readonly products?: readonly ProductInput[] | undefined;
  readonly pricePolicies?: readonly PricePolicyInput[] | undefined;
  readonly promotions?: readonly PromotionInput[] | undefined;
  readonly registrations?: readonly RegistrationInput[] | undefined;
  readonly customers?: readonly CustomerInput[] | undefined;
  readonly events?: readonly ChannelEventInput[] | undefined;
}
