import { z } from "zod";
import {
  channelSchema,
  currencySchema,
  idListSchema,
  idSchema,
  isoTimeSchema,
  moneySchema,
} from "./primitives.js";

/** A channel member, or the brand's own direct sales team. */
export const partnerSchema = z.object({
  id: idSchema,
  name: z.string().optional(),
  channel: channelSchema,
  parentId: idSchema.optional(),
  homeRegion: idSchema.optional(),
});
export type Partner = z.infer<typeof partnerSchema>;

/** A node of the region tree. */
export const regionSchema = z.object({
  code: idSchema,
  name: z.string().optional(),
  parent: idSchema.optional(),
});
export type Region = z.infer<typeof regionSchema>;

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

/** A product of the brand. */
export const productSchema = z.object({
  sku: idSchema,
  name: z.string().optional(),
  category: idSchema.optional(),
  listPrice: moneySchema.optional(),
  currency: currencySchema.optional(),
});
export type Product = z.infer<typeof productSchema>;

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

/** An end customer. */
export const customerSchema = z.object({
  id: idSchema,
  name: z.string().optional(),
  region: idSchema.optional(),
  segment: z.string().optional(),
});
export type Customer = z.infer<typeof customerSchema>;

const eventBase = {
  id: idSchema,
  occurredAt: isoTimeSchema,
  partnerId: idSchema,
  sku: idSchema,
};

const shipToSchema = z.object({
  region: idSchema,
  country: z.string().optional(),
  postalCode: z.string().optional(),
});

/** An order or a sale to a customer. */
export const saleEventSchema = z.object({
  ...eventBase,
  type: z.enum(["order", "sale"]),
  customerId: idSchema.optional(),
  quantity: z.number().finite("must be a finite number").positive("must be greater than 0"),
  unitPrice: moneySchema,
  currency: currencySchema,
  shipTo: shipToSchema.optional(),
  lot: idSchema.optional(),
  promotionId: idSchema.optional(),
});
export type SaleEvent = z.infer<typeof saleEventSchema>;

/** An advertised price someone observed. */
export const listingEventSchema = z.object({
  ...eventBase,
  type: z.literal("listing"),
  price: moneySchema,
  currency: currencySchema,
  url: z.string().optional(),
});
export type ListingEvent = z.infer<typeof listingEventSchema>;

/** Goods of a lot shipped from the brand to a partner. */
export const allocationEventSchema = z.object({
  ...eventBase,
  type: z.literal("allocation"),
  lot: idSchema,
  quantity: z.number().finite("must be a finite number").positive("must be greater than 0"),
});
export type AllocationEvent = z.infer<typeof allocationEventSchema>;

/** Any event of a dataset, told apart by `type`. */
export const eventSchema = z.discriminatedUnion("type", [
  saleEventSchema,
  listingEventSchema,
  allocationEventSchema,
]);
export type ChannelEvent = z.infer<typeof eventSchema>;
/** An event as a caller hands it in, before validation (times as ISO strings). */
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

/** Collection names in the order they are read; events come last so references are known. */
export const COLLECTION_NAMES = Object.keys(collectionSchemas) as CollectionName[];

/** Reference collections: every collection but events. */
export type ReferenceName = Exclude<CollectionName, "events">;

/** The validated records of each collection. */
export type CollectionRecords = { [K in CollectionName]: z.infer<(typeof collectionSchemas)[K]>[] };

/** The validated reference collections of a dataset (everything but events). */
export type ReferenceRecords = Pick<CollectionRecords, ReferenceName>;

/** Collections as plain objects, the way a caller hands them to `scan` (each may be absent). */
export type CollectionsInput = { [K in CollectionName]?: readonly unknown[] };
