import type { AllocationEvent, ChannelEvent, ListingEvent, SaleEvent } from "../schema/dataset.js";

/**
 * Validated events packed for the trip from the reader thread to the scan: numbers in a Float64Array,
 * strings as references into a table both sides grow (partners, skus, currencies and regions repeat on
 * almost every event) or into the batch's list of one-off strings (ids of events, customers and lots,
 * postal codes, urls: fields of many values, where a table would cost more than it saves). The
 * one-off strings travel as their own strings, not cut from one long text: a string cut from another
 * keeps all of it alive, and a scan keeps some ids for long (evidence, lots).
 * Packing and unpacking cost a fraction of a structured clone of the objects, and the scan then sees
 * one string object per partner or sku, whose hash the engine computes once.
 */
export interface PackedEvents {
  readonly count: number;
  /** Per event: INT_STRIDE slots, see `Slot`. */
  readonly ints: Int32Array<ArrayBuffer>;
  /** Per event: occurredAt, quantity, price (unitPrice or listing price). */
  readonly nums: Float64Array<ArrayBuffer>;
  /** Strings added to the shared table by this batch, in order. */
  readonly added: string[];
  /** The batch's one-off strings. */
  readonly oneOff: string[];
}

const enum Slot {
  Type,
  Present,
  Id,
  PartnerId,
  Sku,
  Currency,
  CustomerId,
  Region,
  Country,
  PostalCode,
  Lot,
  PromotionId,
  Url,
}
const INT_STRIDE = 13;
const NUM_STRIDE = 3;

const TYPES = ["order", "sale", "listing", "allocation"] as const;

/** Bits of `Slot.Present`: the optional fields an event has. */
const enum Has {
  CustomerId = 1,
  ShipTo = 2,
  Country = 4,
  PostalCode = 8,
  Lot = 16,
  PromotionId = 32,
  Url = 64,
}

/** Most distinct strings the shared table holds; later new strings travel as one-off strings. */
const TABLE_LIMIT = 1 << 14;

/** The fields the codec carries, by event schema (a test holds them to the schemas). */
export const PACKED_FIELDS = {
  sale: ["id", "occurredAt", "partnerId", "sku", "type", "customerId", "quantity", "unitPrice", "currency", "shipTo", "lot", "promotionId"],
  shipTo: ["region", "country", "postalCode"],
  listing: ["id", "occurredAt", "partnerId", "sku", "type", "price", "currency", "url"],
  allocation: ["id", "occurredAt", "partnerId", "sku", "type", "lot", "quantity"],
} as const;

/** Packs batches of validated events; one per reader, paired with one `EventUnpacker`. */
export class EventPacker {
  private readonly table = new Map<string, number>();
  private added: string[] = [];
  private oneOff: string[] = [];

  /** A reference: ≥ 0 into the shared table, < 0 as −(k + 1) for the batch's k-th one-off string. */
  private shared(value: string): number {
    const known = this.table.get(value);
    if (known !== undefined) return known;
    if (this.table.size < TABLE_LIMIT) {
      const index = this.table.size;
      this.table.set(value, index);
      this.added.push(value);
      return index;
    }
    return this.single(value);
  }

  private single(value: string): number {
    this.oneOff.push(value);
    return -this.oneOff.length;
  }

  pack(events: readonly ChannelEvent[]): PackedEvents {
    const ints = new Int32Array(events.length * INT_STRIDE);
    const nums = new Float64Array(events.length * NUM_STRIDE);
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as ChannelEvent;
      const o = i * INT_STRIDE;
      const n = i * NUM_STRIDE;
      let present = 0;
      ints[o + Slot.Type] = TYPES.indexOf(event.type);
      ints[o + Slot.Id] = this.single(event.id);
      ints[o + Slot.PartnerId] = this.shared(event.partnerId);
      ints[o + Slot.Sku] = this.shared(event.sku);
      nums[n] = event.occurredAt;
      if (event.type === "allocation") {
        ints[o + Slot.Lot] = this.single(event.lot);
        nums[n + 1] = event.quantity;
      } else if (event.type === "listing") {
        ints[o + Slot.Currency] = this.shared(event.currency);
        nums[n + 2] = event.price;
        if (event.url !== undefined) {
          present |= Has.Url;
          ints[o + Slot.Url] = this.single(event.url);
        }
      } else {
        ints[o + Slot.Currency] = this.shared(event.currency);
        nums[n + 1] = event.quantity;
        nums[n + 2] = event.unitPrice;
        if (event.customerId !== undefined) {
          present |= Has.CustomerId;
          ints[o + Slot.CustomerId] = this.single(event.customerId);
        }
        if (event.shipTo !== undefined) {
          present |= Has.ShipTo;
          ints[o + Slot.Region] = this.shared(event.shipTo.region);
          if (event.shipTo.country !== undefined) {
            present |= Has.Country;
            ints[o + Slot.Country] = this.shared(event.shipTo.country);
          }
          if (event.shipTo.postalCode !== undefined) {
            present |= Has.PostalCode;
            ints[o + Slot.PostalCode] = this.single(event.shipTo.postalCode);
          }
        }
        if (event.lot !== undefined) {
          present |= Has.Lot;
          ints[o + Slot.Lot] = this.single(event.lot);
        }
        if (event.promotionId !== undefined) {
          present |= Has.PromotionId;
          ints[o + Slot.PromotionId] = this.shared(event.promotionId);
        }
      }
      ints[o + Slot.Present] = present;
    }
    const packed = { count: events.length, ints, nums, added: this.added, oneOff: this.oneOff };
    this.added = [];
    this.oneOff = [];
    return packed;
  }
}

/** Unpacks what the paired `EventPacker` packed, batch after batch, into events equal to the originals. */
export class EventUnpacker {
  private readonly table: string[] = [];

  unpack(packed: PackedEvents): ChannelEvent[] {
    const table = this.table;
    for (const value of packed.added) table.push(value);
    const { oneOff } = packed;
    const string = (ref: number): string => (ref >= 0 ? table[ref] : oneOff[-ref - 1]) as string;
    const { ints, nums } = packed;
    const events: ChannelEvent[] = new Array(packed.count);
    for (let i = 0; i < packed.count; i++) {
      const o = i * INT_STRIDE;
      const n = i * NUM_STRIDE;
      const type = TYPES[ints[o + Slot.Type] as number] as ChannelEvent["type"];
      const present = ints[o + Slot.Present] as number;
      const id = string(ints[o + Slot.Id] as number);
      const occurredAt = nums[n] as number;
      const partnerId = string(ints[o + Slot.PartnerId] as number);
      const sku = string(ints[o + Slot.Sku] as number);
      // Keys in the schemas' order, as zod builds them.
      if (type === "allocation") {
        events[i] = { id, occurredAt, partnerId, sku, type, lot: string(ints[o + Slot.Lot] as number), quantity: nums[n + 1] as number } satisfies AllocationEvent;
      } else if (type === "listing") {
        const listing: ListingEvent = { id, occurredAt, partnerId, sku, type, price: nums[n + 2] as number, currency: string(ints[o + Slot.Currency] as number) };
        if (present & Has.Url) listing.url = string(ints[o + Slot.Url] as number);
        events[i] = listing;
      } else {
        const sale = { id, occurredAt, partnerId, sku, type } as SaleEvent;
        if (present & Has.CustomerId) sale.customerId = string(ints[o + Slot.CustomerId] as number);
        sale.quantity = nums[n + 1] as number;
        sale.unitPrice = nums[n + 2] as number;
        sale.currency = string(ints[o + Slot.Currency] as number);
        if (present & Has.ShipTo) {
          const shipTo: NonNullable<SaleEvent["shipTo"]> = { region: string(ints[o + Slot.Region] as number) };
          if (present & Has.Country) shipTo.country = string(ints[o + Slot.Country] as number);
          if (present & Has.PostalCode) shipTo.postalCode = string(ints[o + Slot.PostalCode] as number);
          sale.shipTo = shipTo;
        }
        if (present & Has.Lot) sale.lot = string(ints[o + Slot.Lot] as number);
        if (present & Has.PromotionId) sale.promotionId = string(ints[o + Slot.PromotionId] as number);
        events[i] = sale;
      }
    }
    return events;
  }
}
