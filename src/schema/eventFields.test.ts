import { isDeepStrictEqual } from "node:util";
import { describe, expect, expectTypeOf, it } from "vitest";
import { EventJsonScanner } from "../fast/EventJsonScanner.js";
import { EventPacker, EventUnpacker } from "../fast/eventCodec.js";
import { ABSENT, FastEventReader, RawEvent, SCANNED, eventOf } from "../fast/FastEventReader.js";
import {
  allocationEventSchema,
  eventSchema,
  listingEventSchema,
  saleEventSchema,
  type AllocationEvent,
  type ChannelEvent,
  type ChannelEventInput,
  type ListingEvent,
  type SaleEvent,
} from "./dataset.js";
import { EVENT_FIELDS, EVENT_SCHEMA_NAMES, anyEventFields, eventKeysOf, type EventField, type EventSchemaName } from "./eventFields.js";

/**
 * Every place that reads or carries events is held to the table of event fields, field by field: the
 * zod schemas, FastEventReader (records), EventJsonScanner with FastEventReader.fieldsOfScanned (NDJSON
 * lines) and the codec (EventPacker, EventUnpacker). Each failure names the place and the field, as in
 * `FastEventReader drops field "shipTo.country" of type sale`.
 */

const SCHEMAS = { sale: saleEventSchema, listing: listingEventSchema, allocation: allocationEventSchema } as const;
const SCHEMA_NAMES = { sale: "saleEventSchema", listing: "listingEventSchema", allocation: "allocationEventSchema" } as const;

const fieldsOf = (schema: EventSchemaName): readonly EventField[] => EVENT_FIELDS[schema];
const parentOf = (field: EventField): string | undefined => (field.name.includes(".") ? field.name.slice(0, field.name.lastIndexOf(".")) : undefined);
/** The field's key in its object, and in RawEvent (which holds shipTo's keys beside the record's). */
const lastKey = (field: EventField): string => field.name.slice(field.name.lastIndexOf(".") + 1);

type Json = Record<string, unknown>;

/** One valid event, in the plain shape exports write (ASCII, no escapes), which every fast path must take. */
interface Sample {
  readonly schema: EventSchemaName;
  readonly variant: number;
  /** The optional fields asked for. */
  readonly chosen: ReadonlySet<string>;
  /** The fields it holds, in the table's order. */
  readonly held: readonly EventField[];
  /** The record, as JSON.parse makes it. */
  readonly record: Json;
  /** What zod must return, worked out from the table alone. */
  readonly expected: Json;
}

const VARIANTS = [0, 1] as const;

/**
 * A valid value of the field (the `index`th of its schema), in two variants: the first differs from
 * field to field (a value carried in another field's place shows), the second is an edge of the kind.
 */
function valueOf(field: EventField, index: number, variant: number): { input: unknown; output: unknown } {
  const same = (value: unknown) => ({ input: value, output: value });
  switch (field.kind) {
    case "id":
      return same(variant === 0 ? `${field.name}-${index}` : `Z${index}`);
    case "time": {
      const text = variant === 0 ? "2025-03-01T09:30:00Z" : "2024-02-29T23:59:59.125Z";
      return { input: text, output: Date.parse(text) };
    }
    case "money":
      return same(variant === 0 ? 10 + index + 0.25 : 0);
    case "positive":
      return same(variant === 0 ? 2 + index : 0.125);
    case "currency":
      return same(variant === 0 ? "USD" : "CNY");
    case "string":
      return same(variant === 0 ? `${field.name} ${index}` : "");
    case "type": {
      const values = field.values as readonly string[];
      return same(values[variant % values.length]);
    }
    case "object":
      throw new Error(`${field.name} is an object: its value is made of its fields`);
  }
}

/** Each key of `value`, at every depth, in reverse order: the fast paths must not depend on the order keys come in. */
function reversed(value: Json): Json {
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, v]) => [key, v !== null && typeof v === "object" ? reversed(v as Json) : v]),
  );
}

/** The event of `schema` holding its required fields and the optional ones `chosen` (and their objects). */
function sample(schema: EventSchemaName, chosen: ReadonlySet<string>, variant: number): Sample {
  const record: Json = {};
  const expected: Json = {};
  const held: EventField[] = [];
  const objects = new Map<string | undefined, { record: Json; expected: Json }>([[undefined, { record, expected }]]);
  fieldsOf(schema).forEach((field, index) => {
    const parent = objects.get(parentOf(field));
    if (parent === undefined || (!field.required && !chosen.has(field.name))) return;
    held.push(field);
    const key = lastKey(field);
    if (field.kind === "object") {
      const inner = { record: {}, expected: {} };
      objects.set(field.name, inner);
      parent.record[key] = inner.record;
      parent.expected[key] = inner.expected;
    } else {
      const { input, output } = valueOf(field, index, variant);
      parent.record[key] = input;
      parent.expected[key] = output;
    }
  });
  return { schema, variant, chosen, held, record: variant === 0 ? record : reversed(record), expected };
}

const optionalFields = (schema: EventSchemaName) => fieldsOf(schema).filter((field) => !field.required);
const ancestorsOf = (name: string): string[] => name.split(".").slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join("."));

/** The event holding `field`: the required fields, and `field` with the objects it is in. */
function holding(schema: EventSchemaName, field: EventField, variant: number): Sample {
  return sample(schema, new Set([...ancestorsOf(field.name), field.name]), variant);
}
const full = (schema: EventSchemaName, variant: number) => sample(schema, new Set(optionalFields(schema).map((f) => f.name)), variant);
const minimal = (schema: EventSchemaName, variant: number) => sample(schema, new Set(), variant);
const without = (s: Sample, name: string) => sample(s.schema, new Set([...s.chosen].filter((n) => n !== name)), s.variant);

/** Whether `value` has each key of `path`, and what it holds there. */
function at(value: unknown, path: readonly string[]): { present: boolean; value: unknown } {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return { present: false, value: undefined };
    current = (current as Json)[key];
  }
  return { present: true, value: current };
}

const show = (value: unknown) => (typeof value === "number" && Object.is(value, -0) ? "-0" : JSON.stringify(value) ?? String(value));

/** The first key (dotted) where the keys of `actual` come in another order than those of `reference`, and the key there. */
function firstMisplaced(actual: unknown, reference: unknown, prefix = ""): { got: string; want: string } | undefined {
  if (actual === null || typeof actual !== "object" || reference === null || typeof reference !== "object") return undefined;
  const got = Object.keys(actual);
  const want = Object.keys(reference);
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (got[i] !== want[i]) return { got: `${prefix}${got[i] ?? "(nothing)"}`, want: `${prefix}${want[i] ?? "(nothing)"}` };
  }
  for (const key of got) {
    const inner = firstMisplaced((actual as Json)[key], (reference as Json)[key], `${prefix}${key}.`);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/**
 * What `actual` gets wrong against `reference`, naming the first field of the table where they differ, or
 * undefined when they are the same, key order included.
 */
function difference(s: Sample, actual: unknown, reference: unknown, referenceName = "zod"): string | undefined {
  for (const field of fieldsOf(s.schema)) {
    const path = field.name.split(".");
    const got = at(actual, path);
    const want = at(reference, path);
    if (want.present && !got.present) return `drops field "${field.name}" of type ${s.schema}`;
    if (got.present && !want.present) return `adds field "${field.name}" of type ${s.schema} (${show(got.value)}), which the event does not hold`;
    if (got.present && field.kind !== "object" && !Object.is(got.value, want.value)) {
      return `reads field "${field.name}" of type ${s.schema} as ${show(got.value)} (${referenceName}: ${show(want.value)})`;
    }
  }
  const misplaced = firstMisplaced(actual, reference);
  if (misplaced !== undefined) return `puts field "${misplaced.got}" of type ${s.schema} where ${referenceName} puts "${misplaced.want}" (keys out of ${referenceName}'s order)`;
  if (!isDeepStrictEqual(actual, reference)) return `gives an event of type ${s.schema} unlike ${referenceName}'s: ${show(actual)}`;
  return undefined;
}

/** The places a run found lacking, each message once. */
class Failures {
  readonly messages = new Set<string>();
  add(place: string, problem: string | undefined): void {
    if (problem !== undefined) this.messages.add(`${place} ${problem}`);
  }
  check(): void {
    if (this.messages.size > 0) throw new Error([...this.messages].join("\n"));
  }
}

/** The optional field whose removal makes a fast path take the valid event `s` it left to zod, if one does. */
function culprit(s: Sample, takes: (s: Sample) => boolean): EventField | undefined {
  // Nested fields first: they come after their object in the table.
  const optional = s.held.filter((field) => s.chosen.has(field.name)).reverse();
  return optional.find((field) => takes(without(s, field.name)));
}

/** Why a fast path left the valid event `s` to zod. */
function whyLeft(s: Sample, takes: (s: Sample) => boolean): string {
  const field = culprit(s, takes);
  return field === undefined
    ? `leaves to zod a valid event of type ${s.schema}: ${JSON.stringify(s.record)}`
    : `does not take field "${field.name}" of type ${s.schema}: it leaves valid events holding it to zod`;
}

/** The fields RawEvent holds, of every type (shipTo's keys beside the record's). */
const RAW_FIELDS = anyEventFields();

/** What RawEvent holds for a field it has no member for. */
const NO_MEMBER = Symbol("no member");
const rawValue = (raw: RawEvent, field: EventField): unknown => (lastKey(field) in raw ? (raw as unknown as Json)[lastKey(field)] : NO_MEMBER);

/** What a FastEventReader's for-in loops found in the record it read last (its RawEvent is private). */
const foundBy = (reader: FastEventReader): RawEvent | undefined => {
  const raw = (reader as unknown as { raw?: unknown }).raw;
  return raw instanceof RawEvent ? raw : undefined;
};

/** The places every event of a run goes through, with the state they keep from event to event. */
class Places {
  private readonly reader = new FastEventReader();
  private readonly scanReader = new FastEventReader();
  private readonly scanner = new EventJsonScanner();
  private readonly raw = new RawEvent();
  private readonly packer = new EventPacker({ markRepeats: true });
  private readonly unpacker = new EventUnpacker();

  constructor(private readonly failures: Failures) {}

  run(s: Sample): void {
    const reference = this.zod(s);
    if (reference === undefined) return;
    this.read(s, reference);
    this.scan(s, reference);
    this.pack(s, reference);
  }

  /** (a) The schemas take the event and return the fields it holds, as the table says. */
  private zod(s: Sample): Json | undefined {
    const place = SCHEMA_NAMES[s.schema];
    const own = SCHEMAS[s.schema].safeParse(s.record);
    const union = eventSchema.safeParse(s.record);
    for (const [name, result] of [[place, own], ["eventSchema", union]] as const) {
      if (!result.success) {
        for (const issue of result.error.issues) this.failures.add(name, `rejects field "${issue.path.join(".")}" of type ${s.schema}: ${issue.message}`);
      } else {
        this.failures.add(name, difference(s, result.data, s.expected, "the table"));
      }
    }
    return union.success ? (union.data as Json) : undefined;
  }

  /** (b) FastEventReader.read returns what zod returns. */
  private read(s: Sample, reference: Json): void {
    const event = this.reader.read(s.record);
    if (event !== undefined) {
      this.failures.add("FastEventReader", difference(s, event, reference));
      return;
    }
    // A key the for-in loop of `fields` does not read stays ABSENT in the reader's RawEvent.
    const missed = (fields: readonly EventField[]) => {
      const found = foundBy(this.reader);
      return found === undefined ? undefined : fields.find((field) => rawValue(found, field) === ABSENT || rawValue(found, field) === NO_MEMBER);
    };
    const notRead = (field: EventField) =>
      `drops field "${field.name}" of type ${s.schema}: ${rawValue(foundBy(this.reader) as RawEvent, field) === NO_MEMBER ? "RawEvent has no member for it" : "the for-in loop that reads its object's keys does not read it"}`;
    let unread = missed(s.held.filter((field) => parentOf(field) === undefined));
    const takes = (other: Sample) => new FastEventReader().read(other.record) !== undefined;
    const field = unread === undefined ? culprit(s, takes) : undefined;
    if (field !== undefined) {
      // The loop over an object's keys runs once the record's other fields passed: read again, then look.
      this.reader.read(s.record);
      unread = missed(s.held.filter((f) => f === field || f.name.startsWith(`${field.name}.`)));
    }
    this.failures.add("FastEventReader", unread === undefined ? whyLeft(s, takes) : notRead(unread));
  }

  /** (c) EventJsonScanner reads the line as JSON.parse does, and fieldsOfScanned checks what it read as zod does. */
  private scan(s: Sample, reference: Json): void {
    const line = JSON.stringify(s.record);
    if (!scanLine(this.scanner, line, this.raw)) {
      // The scanner takes any object of keys it knows: a line of one key tells which it does not.
      const unknown = s.held.find((field) => !scanLine(new EventJsonScanner(), JSON.stringify(onlyKey(field)), new RawEvent()));
      this.failures.add(
        "EventJsonScanner",
        unknown === undefined
          ? `leaves a plain line of type ${s.schema} to JSON.parse: ${line}`
          : `does not know field "${unknown.name}" of type ${s.schema}: it leaves every line holding it to JSON.parse`,
      );
      return;
    }
    let scanned = true;
    for (const field of RAW_FIELDS) {
      const value = rawValue(this.raw, field);
      const held = s.held.some((f) => f.name === field.name);
      if (value === NO_MEMBER) {
        if (held) this.failures.add("EventJsonScanner", `drops field "${field.name}" of type ${s.schema}: RawEvent has no member for it`);
        scanned &&= !held;
        continue;
      }
      if (!held) {
        if (value !== ABSENT) {
          const source = s.held.find((f) => f.kind !== "object" && Object.is(at(s.record, f.name.split(".")).value, value));
          this.failures.add(
            "EventJsonScanner",
            source === undefined
              ? `keeps field "${field.name}" of an earlier line in a line of type ${s.schema} without it (RawEvent.clear() does not clear it)`
              : `stores field "${source.name}" of type ${s.schema} as field "${field.name}"`,
          );
          scanned = false;
        }
        continue;
      }
      const want = field.kind === "object" ? SCANNED : at(s.record, field.name.split(".")).value;
      if (value === ABSENT) {
        this.failures.add("EventJsonScanner", `drops field "${field.name}" of type ${s.schema}`);
        scanned = false;
      } else if (!Object.is(value, want)) {
        this.failures.add("EventJsonScanner", `reads field "${field.name}" of type ${s.schema} as ${show(value)} (JSON.parse: ${show(want)})`);
        scanned = false;
      }
    }
    if (!scanned) return;
    const fields = this.scanReader.fieldsOfScanned(this.raw);
    if (fields === undefined) {
      const takes = (other: Sample) => {
        const raw = new RawEvent();
        return scanLine(new EventJsonScanner(), JSON.stringify(other.record), raw) && new FastEventReader().fieldsOfScanned(raw) !== undefined;
      };
      this.failures.add("FastEventReader.fieldsOfScanned", whyLeft(s, takes));
      return;
    }
    this.failures.add("FastEventReader.fieldsOfScanned", difference(s, eventOf(fields), reference));
  }

  /** (d) The codec carries the event exactly, from the event (`add`) and from the reader's fields (`addFields`). */
  private pack(s: Sample, reference: Json): void {
    const packed = this.unpacker.unpack(this.packer.pack([reference as unknown as ChannelEvent]));
    this.failures.add("EventPacker.add → EventUnpacker.unpack", difference(s, packed[0], reference));
    const fields = this.reader.fields(s.record);
    if (fields === undefined) return;
    this.packer.begin(1);
    this.packer.addFields(fields);
    const fromFields = this.unpacker.unpack(this.packer.finish());
    this.failures.add("EventPacker.addFields → EventUnpacker.unpack", difference(s, fromFields[0], reference));
  }
}

function scanLine(scanner: EventJsonScanner, line: string, raw: RawEvent): boolean {
  const bytes = Buffer.from(line, "latin1");
  return scanner.scan(bytes, line, 0, bytes.length, raw);
}

/** A line of the one key `field` (inside its objects): the scanner takes it if it knows the key. */
function onlyKey(field: EventField): Json {
  let value: unknown = "x";
  for (const key of field.name.split(".").reverse()) value = { [key]: value };
  return value as Json;
}

/** Runs `samples` through every place, in order (one state for all: a field kept from an event before shows). */
function check(samples: readonly Sample[]): void {
  const failures = new Failures();
  const places = new Places(failures);
  for (const s of samples) places.run(s);
  failures.check();
}

describe("the table of event fields", () => {
  it("declares each schema's keys, in the order zod returns them", () => {
    for (const schema of EVENT_SCHEMA_NAMES) {
      expect(Object.keys(SCHEMAS[schema].shape)).toEqual(eventKeysOf("", schema));
    }
    expect(Object.keys(saleEventSchema.shape.shipTo.unwrap().shape)).toEqual(eventKeysOf("shipTo", "sale"));
    expect(eventKeysOf("shipTo")).toEqual(["region", "country", "postalCode"]);
    // RawEvent has one member per key, read the same way whatever the type.
    for (const field of EVENT_SCHEMA_NAMES.flatMap(fieldsOf)) {
      expect(anyEventFields().find((any) => any.name === field.name)?.kind, field.name).toBe(field.kind);
    }
    expect(new Set(anyEventFields().map(lastKey)).size).toBe(anyEventFields().length);
    // Each schema tells its events apart by its own values of `type`.
    const types = EVENT_SCHEMA_NAMES.flatMap((schema) => fieldsOf(schema).find((field) => field.name === "type")?.values ?? []);
    expect(types).toEqual(["order", "sale", "listing", "allocation"]);
  });

  it("gives the schemas the types of hand-written events", () => {
    type ShipTo = { region: string; country?: string | undefined; postalCode?: string | undefined };
    type Sale = {
      id: string;
      occurredAt: number;
      partnerId: string;
      sku: string;
      type: "order" | "sale";
      customerId?: string | undefined;
      quantity: number;
      unitPrice: number;
      currency: string;
      shipTo?: ShipTo | undefined;
      lot?: string | undefined;
      promotionId?: string | undefined;
    };
    type Listing = { id: string; occurredAt: number; partnerId: string; sku: string; type: "listing"; price: number; currency: string; url?: string | undefined };
    type Allocation = { id: string; occurredAt: number; partnerId: string; sku: string; type: "allocation"; lot: string; quantity: number };
    type Input<T> = { [K in keyof T]: K extends "occurredAt" ? string | Date : T[K] };
    expectTypeOf<SaleEvent>().toEqualTypeOf<Sale>();
    expectTypeOf<ListingEvent>().toEqualTypeOf<Listing>();
    expectTypeOf<AllocationEvent>().toEqualTypeOf<Allocation>();
    expectTypeOf<ChannelEvent>().toEqualTypeOf<Sale | Listing | Allocation>();
    expectTypeOf<ChannelEventInput>().toEqualTypeOf<Input<Sale> | Input<Listing> | Input<Allocation>>();
  });
});

describe("every place that reads or carries events holds every field of the table", () => {
  it("reads events of every type one after another, all fields or the required ones", () => {
    check(VARIANTS.flatMap((variant) => EVENT_SCHEMA_NAMES.flatMap((schema) => [full(schema, variant), minimal(schema, variant)])));
  });

  for (const schema of EVENT_SCHEMA_NAMES) {
    describe(schema, () => {
      for (const field of fieldsOf(schema)) {
        it(`${field.name} (${field.required ? "required" : "optional"} ${field.kind})`, () => {
          // An event holding it, then (optional) one without it: a place that kept it from the event before shows.
          const samples = VARIANTS.flatMap((variant) => {
            const withIt = [holding(schema, field, variant), full(schema, variant)];
            return field.required ? withIt : [...withIt, without(full(schema, variant), field.name), minimal(schema, variant)];
          });
          check(samples);
        });
      }
    });
  }
});
