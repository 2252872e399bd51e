/**
 * Reads the keys of one event record straight from its NDJSON bytes, for the records that come in the
 * plain shape exports write: one object of known keys, each once, with strings of printable ASCII and no
 * escapes, JSON numbers, and a `shipTo` object of the same kind. The values found are exactly those
 * JSON.parse would give; anything else — another key, an escape, a byte past ASCII, `null`, `true`, an
 * array, a key twice, broken JSON — is left to JSON.parse (the scanner says false and has not decided
 * anything). A property test holds it to JSON.parse (test/property/EventJsonScanner.test.ts).
 *
 * It exists for speed: reading an event this way costs about half of JSON.parse, which builds an object
 * and a string for every key and value that the reader then reads once and drops.
 */

import { eventKeysOf, type EventKeyOf } from "../schema/eventFields.js";
import { RawEvent, SCANNED } from "./FastEventReader.js";

const enum Key {
  None,
  Id,
  Type,
  OccurredAt,
  PartnerId,
  Sku,
  CustomerId,
  Quantity,
  UnitPrice,
  Price,
  Currency,
  ShipTo,
  Lot,
  PromotionId,
  Url,
  Region,
  Country,
  PostalCode,
}

const enum Byte {
  Tab = 9,
  LineFeed = 10,
  Return = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Zero = 48,
  One = 49,
  Nine = 57,
  Colon = 58,
  UpperE = 69,
  Backslash = 92,
  LowerE = 101,
  OpenBrace = 123,
  CloseBrace = 125,
  Delete = 127,
}

/** Key names as bytes, by length, with their keys in the same order. */
interface KeyTable {
  readonly names: (readonly Uint8Array[] | undefined)[];
  readonly keys: (readonly Key[] | undefined)[];
}

/**
 * The `Key` of every key of the table of event fields (a new field fails to compile here until the
 * scanner has a `Key` for it, and `set` a case).
 */
const KEY_OF_NAME: { readonly [Name in EventKeyOf<""> | EventKeyOf<"shipTo">]: Key } = {
  id: Key.Id,
  type: Key.Type,
  occurredAt: Key.OccurredAt,
  partnerId: Key.PartnerId,
  sku: Key.Sku,
  customerId: Key.CustomerId,
  quantity: Key.Quantity,
  unitPrice: Key.UnitPrice,
  price: Key.Price,
  currency: Key.Currency,
  shipTo: Key.ShipTo,
  lot: Key.Lot,
  promotionId: Key.PromotionId,
  url: Key.Url,
  region: Key.Region,
  country: Key.Country,
  postalCode: Key.PostalCode,
};

function keyTable(names: readonly (keyof typeof KEY_OF_NAME)[]): KeyTable {
  const bytes: Uint8Array[][] = [];
  const byLength: Key[][] = [];
  for (const name of names) {
    const key: Key | undefined = KEY_OF_NAME[name];
    // A field of the table without a Key (which does not compile) is left out: the scanner then leaves
    // the lines holding it to JSON.parse, and src/schema/eventFields.test.ts names it.
    if (key === undefined) continue;
    (bytes[name.length] ??= []).push(new TextEncoder().encode(name));
    (byLength[name.length] ??= []).push(key);
  }
  return { names: bytes, keys: byLength };
}

const EVENT_KEYS = keyTable(eventKeysOf(""));
const SHIP_TO_KEYS = keyTable(eventKeysOf("shipTo"));

/** The key whose name is `bytes[start, end)`, or `Key.None` (plain indexed loops: this runs for every key read). */
function keyOf(bytes: Uint8Array, start: number, end: number, table: KeyTable): Key {
  const length = end - start;
  const names = table.names[length];
  if (names === undefined) return Key.None;
  for (let k = 0; k < names.length; k++) {
    const name = names[k] as Uint8Array;
    let i = 0;
    while (i < length && bytes[start + i] === name[i]) i++;
    if (i === length) return (table.keys[length] as readonly Key[])[k] as Key;
  }
  return Key.None;
}

/** Where whitespace from `at` ends (at most `end`). */
function skipSpace(bytes: Uint8Array, at: number, end: number): number {
  while (at < end) {
    const c = bytes[at];
    if (c !== Byte.Space && c !== Byte.Tab && c !== Byte.Return && c !== Byte.LineFeed) break;
    at++;
  }
  return at;
}

/**
 * The closing quote of the string opening at `at`, or −1 when it does not close before `end` or holds a
 * byte the scanner leaves to JSON.parse: an escape, a control character, DEL or a byte past ASCII.
 */
function stringEnd(bytes: Uint8Array, at: number, end: number): number {
  for (let i = at + 1; i < end; i++) {
    const c = bytes[i] as number;
    if (c === Byte.Quote) return i;
    if (c === Byte.Backslash || c < Byte.Space || c >= Byte.Delete) return -1;
  }
  return -1;
}

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= Byte.Zero && c <= Byte.Nine;

/** 10^k, exact as doubles for every k here. */
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Scans records; one per reader (it keeps the number it read last). */
export class EventJsonScanner {
  /** The value of the number `numberEnd` read last. */
  private number = 0;
  /** The string or number `scalar` read last. */
  private value: unknown = undefined;

  /**
   * Reads the record whose JSON text is `bytes[start, end)` into `raw` (cleared first); `text` holds the
   * same bytes as latin1, one char per byte, for the strings. False when JSON.parse must read it.
   */
  scan(bytes: Uint8Array, text: string, start: number, end: number, raw: RawEvent): boolean {
    raw.clear();
    const at = skipSpace(bytes, start, end);
    if (at >= end || bytes[at] !== Byte.OpenBrace) return false;
    const after = this.object(bytes, text, at, end, raw, EVENT_KEYS);
    return after >= 0 && skipSpace(bytes, after, end) === end;
  }

  /**
   * Reads the members of the object opening at `at`, keys from `table`, into `raw`; where the object
   * ends, or −1. Only `shipTo` may hold an object, of its own keys (which hold none).
   */
  private object(bytes: Uint8Array, text: string, at: number, end: number, raw: RawEvent, table: KeyTable): number {
    let seen = 0;
    at = skipSpace(bytes, at + 1, end);
    for (;;) {
      if (at >= end || bytes[at] !== Byte.Quote) return -1;
      const nameEnd = stringEnd(bytes, at, end);
      if (nameEnd < 0) return -1;
      const key = keyOf(bytes, at + 1, nameEnd, table);
      if (key === Key.None || seen & (1 << key)) return -1;
      seen |= 1 << key;
      at = skipSpace(bytes, nameEnd + 1, end);
      if (at >= end || bytes[at] !== Byte.Colon) return -1;
      at = skipSpace(bytes, at + 1, end);
      if (at >= end) return -1;
      if (bytes[at] === Byte.OpenBrace) {
        if (key !== Key.ShipTo) return -1;
        at = this.object(bytes, text, at, end, raw, SHIP_TO_KEYS);
        if (at < 0) return -1;
        set(raw, key, SCANNED);
      } else {
        at = this.scalar(bytes, text, at, end);
        if (at < 0) return -1;
        set(raw, key, this.value);
      }
      at = skipSpace(bytes, at, end);
      if (at >= end) return -1;
      if (bytes[at] === Byte.Comma) {
        at = skipSpace(bytes, at + 1, end);
        continue;
      }
      return bytes[at] === Byte.CloseBrace ? at + 1 : -1;
    }
  }

  /** Reads a string or a number at `at` into `value`; where it ends, or −1. */
  private scalar(bytes: Uint8Array, text: string, at: number, end: number): number {
    if (bytes[at] === Byte.Quote) {
      const close = stringEnd(bytes, at, end);
      if (close < 0) return -1;
      this.value = text.slice(at + 1, close);
      return close + 1;
    }
    const after = this.numberEnd(bytes, text, at, end);
    if (after < 0) return -1;
    this.value = this.number;
    return after;
  }

  /**
   * Reads the JSON number at `at` (grammar `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`) into `number`;
   * where it ends, or −1. Up to 15 digits without exponent, the value is m / 10^k, one correctly rounded
   * division of two exact doubles — the double nearest the decimal, which is what JSON.parse gives;
   * otherwise `Number` of the text, which reads the same grammar to the same nearest double.
   */
  private numberEnd(bytes: Uint8Array, text: string, at: number, end: number): number {
    const start = at;
    const negative = bytes[at] === Byte.Minus;
    if (negative) at++;
    if (at >= end) return -1;
    let mantissa = 0;
    let digits = 0;
    let fraction = 0;
    const first = bytes[at] as number;
    if (first === Byte.Zero) {
      at++;
    } else if (first >= Byte.One && first <= Byte.Nine) {
      while (at < end && isDigit(bytes[at])) {
        mantissa = mantissa * 10 + ((bytes[at] as number) - Byte.Zero);
        digits++;
        at++;
      }
    } else {
      return -1;
    }
    if (at < end && bytes[at] === Byte.Dot) {
      at++;
      const from = at;
      while (at < end && isDigit(bytes[at])) {
        mantissa = mantissa * 10 + ((bytes[at] as number) - Byte.Zero);
        digits++;
        at++;
      }
      fraction = at - from;
      if (fraction === 0) return -1;
    }
    let exponent = false;
    if (at < end && (bytes[at] === Byte.LowerE || bytes[at] === Byte.UpperE)) {
      exponent = true;
      at++;
      if (at < end && (bytes[at] === Byte.Plus || bytes[at] === Byte.Minus)) at++;
      const from = at;
      while (at < end && isDigit(bytes[at])) at++;
      if (at === from) return -1;
    }
    if (exponent || digits > 15) {
      this.number = Number(text.slice(start, at));
    } else {
      const magnitude = mantissa / (POWERS_OF_TEN[fraction] as number);
      this.number = negative ? -magnitude : magnitude;
    }
    return at;
  }
}

function set(raw: RawEvent, key: Key, value: unknown): void {
  switch (key) {
    case Key.Id: raw.id = value; break;
    case Key.Type: raw.type = value; break;
    case Key.OccurredAt: raw.occurredAt = value; break;
    case Key.PartnerId: raw.partnerId = value; break;
    case Key.Sku: raw.sku = value; break;
    case Key.CustomerId: raw.customerId = value; break;
    case Key.Quantity: raw.quantity = value; break;
    case Key.UnitPrice: raw.unitPrice = value; break;
    case Key.Price: raw.price = value; break;
    case Key.Currency: raw.currency = value; break;
    case Key.ShipTo: raw.shipTo = value; break;
    case Key.Lot: raw.lot = value; break;
    case Key.PromotionId: raw.promotionId = value; break;
    case Key.Url: raw.url = value; break;
    case Key.Region: raw.region = value; break;
    case Key.Country: raw.country = value; break;
    case Key.PostalCode: raw.postalCode = value; break;
  }
}
