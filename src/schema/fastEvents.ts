import { isExists } from "date-fns/isExists";
import type { ChannelEvent } from "./dataset.js";
import { parseIsoTime } from "../time.js";

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
function id(value: unknown): string | undefined {
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
 * The shape exports write most: `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ`, year 0100 or
 * later (the shape `parseIsoTime` reads with the engine's ISO parser after checking the date exists).
 * `timeShape` checks what follows the date (a text of length 20 or 24), `dateShape` the date.
 */
function timeShape(text: string, n: number): boolean {
  if (
    text.charCodeAt(10) !== 84 || !digits(text, 11, 13) || text.charCodeAt(13) !== 58 || !digits(text, 14, 16) ||
    text.charCodeAt(16) !== 58 || !digits(text, 17, 19) || text.charCodeAt(n - 1) !== 90
  ) {
    return false;
  }
  return n === 20 || (text.charCodeAt(19) === 46 && digits(text, 20, 23));
}

function dateShape(text: string): boolean {
  if (!digits(text, 0, 4) || text.charCodeAt(4) !== 45 || !digits(text, 5, 7) || text.charCodeAt(7) !== 45 || !digits(text, 8, 10)) return false;
  return text.slice(0, 4) >= "0100";
}

/**
 * Reads events the way `eventSchema` does, faster, for the records it is sure about: plain objects of a
 * known type whose fields all have the expected types and pass every check. It returns what zod would
 * return, or undefined for anything else — zod then decides and explains. A differential property test
 * holds it to zod (test/property/fastEvents.test.ts).
 *
 * One instance per stream of records: it remembers the last calendar date it checked, so a time-ordered
 * stream checks each date once.
 */
export class FastEventReader {
  /** The last date found to exist, as `YYYY-MM-DD` (empty before the first), and its midnight UTC. */
  private checkedDate = "";
  private checkedDateMs = 0;

  /** Epoch ms of an `isoTimeSchema` string, or undefined when `parseIsoTime` rejects it. */
  time(text: string): number | undefined {
    const n = text.length;
    if ((n === 20 || n === 24) && timeShape(text, n)) {
      // The date of a time-ordered stream rarely changes: a text that starts with the date checked last has its shape.
      if (this.checkedDate.length === 0 || !text.startsWith(this.checkedDate)) {
        if (!dateShape(text)) return parseIsoTime(text);
        const year = Number(text.slice(0, 4));
        const month = Number(text.slice(5, 7)) - 1;
        const day = Number(text.slice(8, 10));
        if (!isExists(year, month, day)) return undefined;
        this.checkedDate = text.slice(0, 10);
        // Years from 0100 on: Date.UTC reads them as they are.
        this.checkedDateMs = Date.UTC(year, month, day);
      }
      const hours = twoDigits(text, 11);
      const minutes = twoDigits(text, 14);
      const seconds = twoDigits(text, 17);
      // In range, the time of day is plain arithmetic (what Date.parse computes); 24:00 and the rest go to Date.parse.
      if (hours < 24 && minutes < 60 && seconds < 60) {
        const millis = n === 24 ? twoDigits(text, 20) * 10 + text.charCodeAt(22) - 48 : 0;
        return this.checkedDateMs + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
      }
      const ms = Date.parse(text);
      return Number.isNaN(ms) ? undefined : ms;
    }
    return parseIsoTime(text);
  }

  /** The validated event, or undefined when zod must decide. */
  read(value: unknown): ChannelEvent | undefined {
    if (!isPlainObject(value)) return undefined;
    const eventId = id(value.id);
    const partnerId = id(value.partnerId);
    const sku = id(value.sku);
    const at = value.occurredAt;
    if (eventId === undefined || partnerId === undefined || sku === undefined || typeof at !== "string") return undefined;
    const occurredAt = this.time(at);
    if (occurredAt === undefined) return undefined;
    switch (value.type) {
      case "order":
      case "sale":
        return readSale(value, eventId, occurredAt, partnerId, sku, value.type);
      case "listing":
        return readListing(value, eventId, occurredAt, partnerId, sku);
      case "allocation":
        return readAllocation(value, eventId, occurredAt, partnerId, sku);
      default:
        return undefined;
    }
  }
}

/** Optional keys: absent is fine, present must pass `check` (undefined values are left to zod). */
const ABSENT = Symbol("absent");
function optional<T>(value: Input, key: string, check: (v: unknown) => T | undefined): T | typeof ABSENT | undefined {
  if (!(key in value)) return ABSENT;
  return check(value[key]);
}

const anyString = (v: unknown) => (typeof v === "string" ? v : undefined);

function readSale(value: Input, eventId: string, occurredAt: number, partnerId: string, sku: string, type: "order" | "sale"): ChannelEvent | undefined {
  const { quantity, unitPrice } = value;
  if (!positive(quantity) || !money(unitPrice) || !currency(value.currency)) return undefined;
  const customerId = optional(value, "customerId", id);
  const lot = optional(value, "lot", id);
  const promotionId = optional(value, "promotionId", id);
  if (customerId === undefined || lot === undefined || promotionId === undefined) return undefined;
  let shipTo: { region: string; country?: string; postalCode?: string } | typeof ABSENT = ABSENT;
  if ("shipTo" in value) {
    const raw = value.shipTo;
    if (!isPlainObject(raw)) return undefined;
    const region = id(raw.region);
    const country = optional(raw, "country", anyString);
    const postalCode = optional(raw, "postalCode", anyString);
    if (region === undefined || country === undefined || postalCode === undefined) return undefined;
    shipTo = { region };
    if (country !== ABSENT) shipTo.country = country;
    if (postalCode !== ABSENT) shipTo.postalCode = postalCode;
  }
  // Keys in the schema's order, as zod builds its output.
  const event: Record<string, unknown> = { id: eventId, occurredAt, partnerId, sku, type };
  if (customerId !== ABSENT) event.customerId = customerId;
  event.quantity = quantity;
  event.unitPrice = unitPrice;
  event.currency = value.currency;
  if (shipTo !== ABSENT) event.shipTo = shipTo;
  if (lot !== ABSENT) event.lot = lot;
  if (promotionId !== ABSENT) event.promotionId = promotionId;
  return event as ChannelEvent;
}

function readListing(value: Input, eventId: string, occurredAt: number, partnerId: string, sku: string): ChannelEvent | undefined {
  const { price } = value;
  if (!money(price) || !currency(value.currency)) return undefined;
  const url = optional(value, "url", anyString);
  if (url === undefined) return undefined;
  const event: Record<string, unknown> = { id: eventId, occurredAt, partnerId, sku, type: "listing", price, currency: value.currency };
  if (url !== ABSENT) event.url = url;
  return event as ChannelEvent;
}

function readAllocation(value: Input, eventId: string, occurredAt: number, partnerId: string, sku: string): ChannelEvent | undefined {
  const lot = id(value.lot);
  const { quantity } = value;
  if (lot === undefined || !positive(quantity)) return undefined;
  return { id: eventId, occurredAt, partnerId, sku, type: "allocation", lot, quantity } as ChannelEvent;
}
