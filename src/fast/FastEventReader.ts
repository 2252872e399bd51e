import { isExists } from "date-fns/isExists";
import type { ChannelEvent, ListingEvent, SaleEvent } from "../schema/dataset.js";
import type { EventKeyOf } from "../schema/eventFields.js";
import { parseIsoTime } from "../core/time.js";
import { isDate } from "node:util/types";
import { UTC_ZONE, type TimeZone } from "../core/zonedTime.js";

type Input = Record<string, unknown>;

/** A plain object (of any realm) as JSON.parse makes them; anything else is left to zod. */
function isPlainObject(value: unknown): value is Input {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Printable ASCII other than space: a string that starts and ends with it is unchanged by trim(). */
function solid(code: number): boolean {
  return code > 32 && code < 127;
}

/** An id as `idSchema` reads it, when trimming cannot change it; otherwise undefined. */
function idOf(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length === 0) return undefined;
  return solid(value.charCodeAt(0)) && solid(value.charCodeAt(value.length - 1)) ? value : undefined;
}

/** `moneySchema`: finite, 0 to 1e11. */
function money(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 1e11;
}

/** Finite and greater than 0. */
function positive(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

/** `currencySchema`: three capital ASCII letters. */
function currency(value: unknown): value is string {
  if (typeof value !== "string" || value.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const code = value.charCodeAt(i);
    if (code < 65 || code > 90) return false;
  }
  return true;
}

/** Most dates a reader keeps as found to exist (a dataset of ten years has 3,653). */
const KEPT_DATES = 8192;

/** The number written by the two ASCII digits at `at`. */
function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;
}

function digits(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * The shapes exports write most: `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DDTHH:MM:SS.sss`, with a `Z` or without
 * an offset (a wall time in the dataset's zone), year 0100 or later (the shape `parseIsoTime` reads with the
 * engine's ISO parser after checking the date exists). `timeShape` checks what follows the date in a text
 * of `n` characters before its `Z` or end (19 or 23), `dateShape` the date.
 */
function timeShape(text: string, n: number): boolean {
  if (
    text.charCodeAt(10) !== 84 || !digits(text, 11, 13) || text.charCodeAt(13) !== 58 || !digits(text, 14, 16) ||
    text.charCodeAt(16) !== 58 || !digits(text, 17, 19)
  ) {
    return false;
  }
  return n === 19 || (text.charCodeAt(19) === 46 && digits(text, 20, 23));
}

function dateShape(text: string): boolean {
  if (!digits(text, 0, 4) || text.charCodeAt(4) !== 45 || !digits(text, 5, 7) || text.charCodeAt(7) !== 45 || !digits(text, 8, 10)) return false;
  return text.slice(0, 4) >= "0100";
}

/** What the record does not have. */
export const ABSENT = Symbol("absent");
/** `RawEvent.shipTo` when the scanner read the object's keys into `region`, `country` and `postalCode`. */
export const SCANNED = Symbol("scanned");

/**
 * The values of a record's known keys as found, `ABSENT` for a key not found (one reused per reader).
 * It has a member for every key of the table of event fields, so a new field fails to compile here.
 */
export class RawEvent implements Record<EventKeyOf<""> | EventKeyOf<"shipTo">, unknown> {
  id: unknown = ABSENT;
  type: unknown = ABSENT;
  occurredAt: unknown = ABSENT;
  partnerId: unknown = ABSENT;
  sku: unknown = ABSENT;
  customerId: unknown = ABSENT;
  quantity: unknown = ABSENT;
  unitPrice: unknown = ABSENT;
  price: unknown = ABSENT;
  currency: unknown = ABSENT;
  shipTo: unknown = ABSENT;
  lot: unknown = ABSENT;
  promotionId: unknown = ABSENT;
  url: unknown = ABSENT;
  /** The keys of `shipTo`, once read. */
  region: unknown = ABSENT;
  country: unknown = ABSENT;
  postalCode: unknown = ABSENT;

  clear(): void {
    this.id = this.type = this.occurredAt = this.partnerId = this.sku = this.customerId = ABSENT;
    this.quantity = this.unitPrice = this.price = this.currency = this.shipTo = this.lot = ABSENT;
    this.promotionId = this.url = this.region = this.country = this.postalCode = ABSENT;
  }
}

/**
 * The fields of one event as the fast reader validated them; an optional field absent is undefined
 * (`region` undefined: no `shipTo`). `price` is a sale's `unitPrice` or a listing's `price`;
 * `quantity` is 0 and `currency` "" where the type has none.
 */
export class EventFields {
  type: ChannelEvent["type"] = "order";
  id = "";
  occurredAt = 0;
  partnerId = "";
  sku = "";
  customerId: string | undefined = undefined;
  quantity = 0;
  price = 0;
  currency = "";
  region: string | undefined = undefined;
  country: string | undefined = undefined;
  postalCode: string | undefined = undefined;
  lot: string | undefined = undefined;
  promotionId: string | undefined = undefined;
  url: string | undefined = undefined;
}

/**
 * Reads events the way `eventSchema` does, faster, for the records it is sure about: plain objects of a
 * known type whose fields all have the expected types and pass every check. It returns what zod would
 * return, or undefined for anything else — zod then decides and explains. A differential property test
 * holds it to zod (test/property/fastEvents.test.ts).
 *
 * One instance per stream of records: it remembers the calendar dates it found to exist, so a stream
 * checks each date once, in time order or not.
 */
export class FastEventReader {
  /** The last date found to exist, as `YYYY-MM-DD` (empty before the first), and its midnight UTC. */
  private checkedDate = "";
  private checkedDateMs = 0;
  /** Dates found to exist (`(year · 100 + month) · 100 + day`, month from 0), with their midnight UTC. */
  private readonly dates = new Map<number, number>();
  private readonly scratch = new EventFields();
  private readonly raw = new RawEvent();
  /** Whether times without an offset need their zone: false in UTC, where a wall time is the instant. */
  private readonly zoned: boolean;

  /** `zone`: the dataset's time zone, of times without an offset (UTC when absent). */
  constructor(private readonly zone: TimeZone = UTC_ZONE) {
    this.zoned = !zone.isUtc;
  }

  /** Epoch ms of an `isoTimeSchemaIn(zone)` string, or undefined when `parseIsoTime` rejects it. */
  time(text: string): number | undefined {
    const length = text.length;
    const utc = text.charCodeAt(length - 1) === 90;
    const n = utc ? length - 1 : length;
    if ((n === 19 || n === 23) && timeShape(text, n)) {
      // The date of a time-ordered stream rarely changes: a text that starts with the date checked last has its shape.
      if (this.checkedDate.length === 0 || !text.startsWith(this.checkedDate)) {
        if (!dateShape(text)) return parseIsoTime(text, this.zone);
        // Events out of time order change the date at almost every event: dates once found to exist are kept.
        const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
        const month = twoDigits(text, 5) - 1;
        const day = twoDigits(text, 8);
        const key = (year * 100 + month) * 100 + day;
        let midnight = this.dates.get(key);
        if (midnight === undefined) {
          if (!isExists(year, month, day)) return undefined;
          // Years from 0100 on: Date.UTC reads them as they are.
          midnight = Date.UTC(year, month, day);
          if (this.dates.size >= KEPT_DATES) this.dates.clear();
          this.dates.set(key, midnight);
        }
        this.checkedDate = text.slice(0, 10);
        this.checkedDateMs = midnight;
      }
      const hours = twoDigits(text, 11);
      const minutes = twoDigits(text, 14);
      const seconds = twoDigits(text, 17);
      // In range, the time of day is plain arithmetic (what Date.parse computes); 24:00 and the rest go to parseIsoTime.
      if (hours < 24 && minutes < 60 && seconds < 60) {
        const millis = n === 23 ? twoDigits(text, 20) * 10 + text.charCodeAt(22) - 48 : 0;
        const wall = this.checkedDateMs + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
        return utc || !this.zoned ? wall : this.zone.instantOf(wall);
      }
    }
    return parseIsoTime(text, this.zone);
  }

  /** The validated event, or undefined when zod must decide. */
  read(value: unknown): ChannelEvent | undefined {
    const fields = this.fields(value);
    return fields === undefined ? undefined : eventOf(fields);
  }

  /**
   * What `read` reads, left in one reused `EventFields` instead of an event object (the reader thread
   * packs them straight into a batch): valid until the next call. Undefined when zod must decide.
   */
  fields(value: unknown): EventFields | undefined {
    if (!isPlainObject(value)) return undefined;
    // One pass over the keys: a record's properties are read where for-in finds them, not looked up by
    // name (events come in a dozen shapes, which makes lookups by name slow).
    const raw = this.raw;
    raw.clear();
    try {
      for (const key in value) {
        const field = value[key];
        switch (key) {
          case "id": raw.id = field; break;
          case "type": raw.type = field; break;
          case "occurredAt": raw.occurredAt = field; break;
          case "partnerId": raw.partnerId = field; break;
          case "sku": raw.sku = field; break;
          case "customerId": raw.customerId = field; break;
          case "quantity": raw.quantity = field; break;
          case "unitPrice": raw.unitPrice = field; break;
          case "price": raw.price = field; break;
          case "currency": raw.currency = field; break;
          case "shipTo": raw.shipTo = field; break;
          case "lot": raw.lot = field; break;
          case "promotionId": raw.promotionId = field; break;
          case "url": raw.url = field; break;
        }
      }
    } catch {
      // A getter threw, perhaps on a key zod never reads: zod decides.
      return undefined;
    }
    return this.check(raw, value);
  }

  /**
   * `fields` of a record whose keys `EventJsonScanner` read from its JSON text into `raw`, without a
   * parsed object. Undefined when zod must decide.
   */
  fieldsOfScanned(raw: RawEvent): EventFields | undefined {
    // An absent key is looked up where JSON.parse's object would look: on a plain object's prototypes.
    return this.check(raw, NO_KEYS);
  }

  /** The checks of `fields` on the values found; `record` answers for keys not found (`in`, as zod sees them). */
  private check(raw: RawEvent, record: object): EventFields | undefined {
    const f = this.scratch;
    const eventId = idOf(raw.id);
    const partner = idOf(raw.partnerId);
    const product = idOf(raw.sku);
    const at = raw.occurredAt;
    if (eventId === undefined || partner === undefined || product === undefined) return undefined;
    // A Date (a database driver's, or a manifest's date format read) is its time; an invalid one is zod's to explain.
    const occurredAt = typeof at === "string" ? this.time(at) : isDate(at) ? Date.prototype.getTime.call(at) : undefined;
    if (occurredAt === undefined || Number.isNaN(occurredAt)) return undefined;
    f.id = eventId;
    f.occurredAt = occurredAt;
    f.partnerId = partner;
    f.sku = product;
    f.customerId = f.region = f.country = f.postalCode = f.lot = f.promotionId = f.url = undefined;
    const { type, quantity, currency: currencyCode } = raw;
    if (type === "order" || type === "sale") {
      const unitPrice = raw.unitPrice;
      if (!positive(quantity) || !money(unitPrice) || !currency(currencyCode)) return undefined;
      // An optional key for-in did not show may still be there (not enumerable, or inherited): zod decides then.
      if (raw.customerId === ABSENT ? "customerId" in record : (f.customerId = idOf(raw.customerId)) === undefined) return undefined;
      if (raw.lot === ABSENT ? "lot" in record : (f.lot = idOf(raw.lot)) === undefined) return undefined;
      if (raw.promotionId === ABSENT ? "promotionId" in record : (f.promotionId = idOf(raw.promotionId)) === undefined) return undefined;
      if (raw.shipTo === ABSENT ? "shipTo" in record : !this.shipTo(raw)) return undefined;
      f.type = type;
      f.quantity = quantity;
      f.price = unitPrice;
      f.currency = currencyCode;
      return f;
    }
    if (type === "listing") {
      const price = raw.price;
      if (!money(price) || !currency(currencyCode)) return undefined;
      if (raw.url === ABSENT ? "url" in record : (f.url = anyString(raw.url)) === undefined) return undefined;
      f.type = type;
      f.quantity = 0;
      f.price = price;
      f.currency = currencyCode;
      return f;
    }
    if (type === "allocation") {
      f.lot = idOf(raw.lot);
      if (f.lot === undefined || !positive(quantity)) return undefined;
      f.type = type;
      f.quantity = quantity;
      f.price = 0;
      f.currency = "";
      return f;
    }
    return undefined;
  }

  /** Reads `shipTo` into the scratch fields; false when zod must decide. */
  private shipTo(raw: RawEvent): boolean {
    let holder: object = NO_KEYS;
    if (raw.shipTo !== SCANNED) {
      // An object: its keys are read as `fields` reads the record's.
      const value = raw.shipTo;
      if (!isPlainObject(value)) return false;
      holder = value;
      try {
        for (const key in value) {
          const field = value[key];
          switch (key) {
            case "region": raw.region = field; break;
            case "country": raw.country = field; break;
            case "postalCode": raw.postalCode = field; break;
          }
        }
      } catch {
        return false;
      }
    }
    const f = this.scratch;
    f.region = idOf(raw.region);
    if (f.region === undefined) return false;
    if (raw.country === ABSENT ? "country" in holder : (f.country = anyString(raw.country)) === undefined) return false;
    return raw.postalCode === ABSENT ? !("postalCode" in holder) : (f.postalCode = anyString(raw.postalCode)) !== undefined;
  }
}

/** A plain object with no keys of its own: where JSON.parse's object looks up a key it does not have. */
const NO_KEYS = {};

const anyString = (v: unknown) => (typeof v === "string" ? v : undefined);

/** The event of validated fields, keys in the schema's order as zod builds its output. */
export function eventOf(f: EventFields): ChannelEvent {
  if (f.type === "allocation") {
    return { id: f.id, occurredAt: f.occurredAt, partnerId: f.partnerId, sku: f.sku, type: "allocation", lot: f.lot as string, quantity: f.quantity };
  }
  if (f.type === "listing") {
    const listing: ListingEvent = { id: f.id, occurredAt: f.occurredAt, partnerId: f.partnerId, sku: f.sku, type: "listing", price: f.price, currency: f.currency };
    if (f.url !== undefined) listing.url = f.url;
    return listing;
  }
  const sale = { id: f.id, occurredAt: f.occurredAt, partnerId: f.partnerId, sku: f.sku, type: f.type } as SaleEvent;
  if (f.customerId !== undefined) sale.customerId = f.customerId;
  sale.quantity = f.quantity;
  sale.unitPrice = f.price;
  sale.currency = f.currency;
  if (f.region !== undefined) {
    const shipTo: NonNullable<SaleEvent["shipTo"]> = { region: f.region };
    if (f.country !== undefined) shipTo.country = f.country;
    if (f.postalCode !== undefined) shipTo.postalCode = f.postalCode;
    sale.shipTo = shipTo;
  }
  if (f.lot !== undefined) sale.lot = f.lot;
  if (f.promotionId !== undefined) sale.promotionId = f.promotionId;
  return sale;
}
