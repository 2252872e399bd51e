import type { AllocationEvent, ChannelEvent, ListingEvent, SaleEvent } from "../schema/dataset.js";
import { EventFields } from "./FastEventReader.js";
import { StringSet } from "./StringSet.js";

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
  /** Whether the packer marked the events whose id came before (`markRepeats`, `isRepeat`). */
  readonly repeatsMarked: boolean;
}

/**
 * The int slots of an event (its numbers travel in `nums`). Together they carry every field of the table
 * of event fields (src/schema/eventFields.ts), which src/schema/eventFields.test.ts checks field by field.
 */
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
  /** Not an optional field: an earlier event of the packer's had the same id (`markRepeats`). */
  Repeat = 128,
}

/** Most distinct strings the shared table holds; later new strings travel as one-off strings. */
const TABLE_LIMIT = 1 << 14;

/** Packs batches of validated events; one per reader, paired with one `EventUnpacker`. */
export class EventPacker {
  private readonly table = new Map<string, number>();
  /** With `markRepeats`, every id packed so far. */
  private readonly ids: StringSet | undefined;

  private added: string[] = [];
  private oneOff: string[] = [];
  private ints = new Int32Array(0);
  private nums = new Float64Array(0);
  private count = 0;
  /** Where `add` puts an event's fields before packing them. */
  private readonly scratch = new EventFields();

  /**
   * `markRepeats`: mark each event whose id an earlier event packed had (`isRepeat`), so the side that
   * accepts events need not remember every id (`EventAcceptor.judge(event, repeat)`).
   */
  constructor(options: { markRepeats?: boolean } = {}) {
    this.ids = options.markRepeats ? new StringSet() : undefined;
  }

  /** A reference: ≥ 0 into the shared table, < 0 as −(k + 1) for the batch's k-th one-off string. */
  private shared(value: string): number {
    const known = this.table.get(value);
    if (known !== undefined) return known;
    if (this.table.size < TABLE_LIMIT) {
      const index = this.table.size;
      // The table keeps its strings for the whole read: a string cut from a chunk's text (the byte
      // reader's) would keep all of that chunk alive with it, so the table keeps a copy of its own.
      // (split and join make a new flat string with the same code units.)
      const own = value.split("").join("");
      this.table.set(own, index);
      this.added.push(own);
      return index;
    }
    return this.single(value);
  }

  /** The shared table's strings in index order (a sort helper's, for the packer that merges its runs: `intern`). */
  tableStrings(): string[] {
    return [...this.table.keys()];
  }

  /**
   * The shared-table index of `value`, added when new (to go to the unpacker: `takeAdded`); −1 when the
   * table is full. Between batches only (after `finish`, before `begin`).
   */
  intern(value: string): number {
    const known = this.table.get(value);
    if (known !== undefined) return known;
    if (this.table.size >= TABLE_LIMIT) return -1;
    const index = this.table.size;
    this.table.set(value, index);
    this.added.push(value);
    return index;
  }

  /** The strings `intern` added since the last batch or call, in order; the next batch carries them no more. */
  takeAdded(): string[] {
    const added = this.added;
    this.added = [];
    return added;
  }

  private single(value: string): number {
    this.oneOff.push(value);
    return -this.oneOff.length;
  }

  /** Packs `events` as one batch. */
  pack(events: readonly ChannelEvent[]): PackedEvents {
    this.begin(events.length);
    for (const event of events) this.add(event);
    return this.finish();
  }

  /** Starts a batch of about `capacity` events. */
  begin(capacity: number): void {
    this.ints = new Int32Array(Math.max(capacity, 1) * INT_STRIDE);
    this.nums = new Float64Array(Math.max(capacity, 1) * NUM_STRIDE);
    this.count = 0;
  }

  /** Adds an event to the batch. */
  add(event: ChannelEvent): void {
    const f = this.scratch;
    f.type = event.type;
    f.id = event.id;
    f.occurredAt = event.occurredAt;
    f.partnerId = event.partnerId;
    f.sku = event.sku;
    f.customerId = f.region = f.country = f.postalCode = f.lot = f.promotionId = f.url = undefined;
    f.currency = "";
    if (event.type === "allocation") {
      f.lot = event.lot;
      f.quantity = event.quantity;
      f.price = 0;
    } else if (event.type === "listing") {
      f.quantity = 0;
      f.price = event.price;
      f.currency = event.currency;
      f.url = event.url;
    } else {
      f.customerId = event.customerId;
      f.quantity = event.quantity;
      f.price = event.unitPrice;
      f.currency = event.currency;
      f.region = event.shipTo?.region;
      f.country = event.shipTo?.country;
      f.postalCode = event.shipTo?.postalCode;
      f.lot = event.lot;
      f.promotionId = event.promotionId;
    }
    this.addFields(f);
  }

  /** Adds the event of validated fields (`FastEventReader.fields`) to the batch. */
  addFields(f: EventFields): void {
    if (this.count * INT_STRIDE === this.ints.length) this.grow();
    const { ints, nums } = this;
    const o = this.count * INT_STRIDE;
    const n = this.count * NUM_STRIDE;
    this.count++;
    let present = 0;
    ints[o + Slot.Type] = TYPES.indexOf(f.type);
    ints[o + Slot.Id] = this.single(f.id);
    ints[o + Slot.PartnerId] = this.shared(f.partnerId);
    ints[o + Slot.Sku] = this.shared(f.sku);
    nums[n] = f.occurredAt;
    nums[n + 1] = f.quantity;
    nums[n + 2] = f.price;
    if (f.type !== "allocation") ints[o + Slot.Currency] = this.shared(f.currency);
    if (f.customerId !== undefined) {
      present |= Has.CustomerId;
      ints[o + Slot.CustomerId] = this.single(f.customerId);
    }
    if (f.region !== undefined) {
      present |= Has.ShipTo;
      ints[o + Slot.Region] = this.shared(f.region);
      if (f.country !== undefined) {
        present |= Has.Country;
        ints[o + Slot.Country] = this.shared(f.country);
      }
      if (f.postalCode !== undefined) {
        present |= Has.PostalCode;
        ints[o + Slot.PostalCode] = this.single(f.postalCode);
      }
    }
    if (f.lot !== undefined) {
      present |= Has.Lot;
      ints[o + Slot.Lot] = this.single(f.lot);
    }
    if (f.promotionId !== undefined) {
      present |= Has.PromotionId;
      ints[o + Slot.PromotionId] = this.shared(f.promotionId);
    }
    if (f.url !== undefined) {
      present |= Has.Url;
      ints[o + Slot.Url] = this.single(f.url);
    }
    if (this.ids !== undefined && !this.ids.add(f.id)) present |= Has.Repeat;
    ints[o + Slot.Present] = present;
  }

  private grow(): void {
    // From empty too: `add` without `begin` must not write past the end (typed arrays drop such writes).
    const ints = new Int32Array(Math.max(this.ints.length * 2, 64 * INT_STRIDE));
    ints.set(this.ints);
    const nums = new Float64Array(Math.max(this.nums.length * 2, 64 * NUM_STRIDE));
    nums.set(this.nums);
    this.ints = ints;
    this.nums = nums;
  }

  /** The batch packed since `begin`. */
  finish(): PackedEvents {
    const packed = { count: this.count, ints: this.ints, nums: this.nums, added: this.added, oneOff: this.oneOff, repeatsMarked: this.ids !== undefined };
    this.added = [];
    this.oneOff = [];
    this.ints = new Int32Array(0);
    this.nums = new Float64Array(0);
    this.count = 0;
    return packed;
  }
}

/** Whether event `i` of the batch has the id of an earlier event its packer packed (with `markRepeats`). */
export function isRepeat(packed: PackedEvents, i: number): boolean {
  return ((packed.ints[i * INT_STRIDE + Slot.Present] as number) & Has.Repeat) !== 0;
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

/** Int slots per event in `PackedEvents.ints` (for code that moves packed events whole: merge, sort, spill). */
export const PACKED_INT_STRIDE = INT_STRIDE;
/** Number slots per event in `PackedEvents.nums`; the first is `occurredAt`. */
export const PACKED_NUM_STRIDE = NUM_STRIDE;

/** `occurredAt` of event `i` of a batch. */
export function packedTimeOf(packed: Pick<PackedEvents, "nums">, i: number): number {
  return packed.nums[i * NUM_STRIDE] as number;
}

/** The id of event `i` of a batch (an id is always one of the batch's one-off strings). */
export function packedIdOf(packed: Pick<PackedEvents, "ints" | "oneOff">, i: number): string {
  return packed.oneOff[-(packed.ints[i * INT_STRIDE + Slot.Id] as number) - 1] as string;
}

/**
 * Builds a batch by copying events out of other batches of the same packer (their references into the
 * shared table stay valid; their one-off strings are taken into this batch's), optionally marking
 * repeated ids: what merging batches by time and writing sorted runs need, with no event object.
 */
export class PackedEventsBuilder {
  private ints: Int32Array<ArrayBuffer>;
  private nums: Float64Array<ArrayBuffer>;
  private oneOff: string[] = [];
  private count = 0;

  constructor(private readonly capacity: number) {
    this.ints = new Int32Array(Math.max(capacity, 1) * INT_STRIDE);
    this.nums = new Float64Array(Math.max(capacity, 1) * NUM_STRIDE);
  }

  get size(): number {
    return this.count;
  }

  /** Copies event `i` of `from`; `repeat`: mark it as having the id of an earlier event (`isRepeat`). */
  copy(from: Pick<PackedEvents, "ints" | "nums" | "oneOff">, i: number, repeat = false): void {
    if (this.count * INT_STRIDE === this.ints.length) {
      const ints = new Int32Array(this.ints.length * 2);
      ints.set(this.ints);
      const nums = new Float64Array(this.nums.length * 2);
      nums.set(this.nums);
      this.ints = ints;
      this.nums = nums;
    }
    const o = this.count * INT_STRIDE;
    const s = i * INT_STRIDE;
    const source = from.ints;
    const ints = this.ints;
    ints[o + Slot.Type] = source[s + Slot.Type] as number;
    const present = source[s + Slot.Present] as number;
    ints[o + Slot.Present] = repeat ? present | Has.Repeat : present & ~Has.Repeat;
    // Every other slot is a string reference: < 0 is a one-off string of `from`, which moves here.
    for (let k = Slot.Id; k < INT_STRIDE; k++) {
      const ref = source[s + k] as number;
      if (ref >= 0) ints[o + k] = ref;
      else {
        this.oneOff.push(from.oneOff[-ref - 1] as string);
        ints[o + k] = -this.oneOff.length;
      }
    }
    const n = this.count * NUM_STRIDE;
    const m = i * NUM_STRIDE;
    this.nums[n] = from.nums[m] as number;
    this.nums[n + 1] = from.nums[m + 1] as number;
    this.nums[n + 2] = from.nums[m + 2] as number;
    this.count++;
  }

  /** The batch built so far (its strings added to the shared table: `added`), and a fresh start. */
  finish(added: string[], repeatsMarked: boolean): PackedEvents {
    const packed: PackedEvents = { count: this.count, ints: this.ints, nums: this.nums, added, oneOff: this.oneOff, repeatsMarked };
    this.ints = new Int32Array(Math.max(this.capacity, 1) * INT_STRIDE);
    this.nums = new Float64Array(Math.max(this.capacity, 1) * NUM_STRIDE);
    this.oneOff = [];
    this.count = 0;
    return packed;
  }
}

/** Marks (or unmarks) event `i` of a batch as having the id of an earlier event, in place. */
/**
 * Rewrites the shared-table references of a block packed by another packer (a sort helper's) into this
 * side's: `remap[k]` is the index of that packer's k-th table string (`strings[k]`) here, or −1 when this
 * table is full, and the string then joins the block's one-off strings.
 */
export function remapSharedRefs(block: { readonly count: number; readonly ints: Int32Array; readonly oneOff: string[] }, remap: Int32Array, strings: readonly string[]): void {
  const { ints, oneOff } = block;
  for (let o = 0; o < block.count * INT_STRIDE; o += INT_STRIDE) {
    for (let k = Slot.Id; k < INT_STRIDE; k++) {
      const ref = ints[o + k] as number;
      // Slots of absent fields hold 0 and are never read: any reference of theirs will do.
      if (ref < 0 || ref >= remap.length) continue;
      const mapped = remap[ref] as number;
      if (mapped >= 0) ints[o + k] = mapped;
      else {
        oneOff.push(strings[ref] as string);
        ints[o + k] = -oneOff.length;
      }
    }
  }
}

export function markRepeat(packed: PackedEvents, i: number, repeat: boolean): void {
  const o = i * INT_STRIDE + Slot.Present;
  const present = packed.ints[o] as number;
  packed.ints[o] = repeat ? present | Has.Repeat : present & ~Has.Repeat;
}
