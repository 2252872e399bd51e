import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventJsonScanner } from "./EventJsonScanner.js";
import { ABSENT, FastEventReader, RawEvent, SCANNED } from "./FastEventReader.js";
import { EVENT_FIELDS, EVENT_SCHEMA_NAMES, anyEventFields, eventKeysOf, type EventField, type EventFieldKind } from "../schema/eventFields.js";
import { isoLike } from "../../test/property/isoLike.js";

/** What the reader thread makes of one line: the scanner reads it, the fast reader checks what it read. */
function fieldsOfJson(reader: FastEventReader, bytes: Uint8Array, text: string, start: number, end: number) {
  const raw = new RawEvent();
  return new EventJsonScanner().scan(bytes, text, start, end, raw) ? reader.fieldsOfScanned(raw) : undefined;
}

/**
 * EventJsonScanner and FastEventReader.fieldsOfScanned (what the reader thread does with a line: scan
 * it, then check it: `fieldsOfJson` below), held to JSON.parse and FastEventReader.fields.
 * The scanner may always say false (JSON.parse then decides); when it says true, every value it found
 * must be exactly what JSON.parse gives, and every key it did not find must be absent from JSON.parse's
 * object. It reads `bytes[start, end)` only: the lines are embedded in buffers with tempting bytes around.
 */

/** The keys of a record and of its shipTo: the table's. */
const TOP_KEYS = eventKeysOf("");
const SHIP_KEYS = eventKeysOf("shipTo");

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Object.is, with a message worth reading when it fails (cheaper than expect in the inner loop). */
function same(actual: unknown, expected: unknown, what: string): void {
  if (!Object.is(actual, expected)) throw new Error(`${what}: scanner ${String(actual)}, JSON.parse ${String(expected)}`);
}

/** Claim (a): a line the scanner accepted parses, and every key it reports is JSON.parse's, exactly. */
function checkAgainstParse(raw: RawEvent, json: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`scanner accepted a line JSON.parse rejects: ${JSON.stringify(json)} (${String(error)})`);
  }
  if (!isPlainObject(parsed)) throw new Error(`scanner accepted a non-object: ${JSON.stringify(json)}`);
  for (const key of Object.keys(parsed)) {
    if (!(TOP_KEYS as readonly string[]).includes(key)) throw new Error(`scanner accepted unknown key ${key}`);
  }
  for (const key of TOP_KEYS) {
    const value = raw[key];
    same(value !== ABSENT, Object.hasOwn(parsed, key), `${key} present`);
    if (value === ABSENT || value === SCANNED) continue;
    same(value, parsed[key], key);
  }
  if (raw.shipTo === SCANNED) {
    const shipTo = parsed.shipTo;
    if (!isPlainObject(shipTo)) throw new Error("shipTo SCANNED but JSON.parse's shipTo is not an object");
    for (const key of Object.keys(shipTo)) {
      if (!(SHIP_KEYS as readonly string[]).includes(key)) throw new Error(`scanner accepted unknown shipTo key ${key}`);
    }
    for (const key of SHIP_KEYS) {
      same(raw[key] !== ABSENT, Object.hasOwn(shipTo, key), `shipTo.${key} present`);
      if (raw[key] !== ABSENT) same(raw[key], shipTo[key], `shipTo.${key}`);
    }
  } else {
    for (const key of SHIP_KEYS) same(raw[key], ABSENT, `${key} without a scanned shipTo`);
  }
}

/** `line` as UTF-8 with `before` and `after` around it: the buffer, its latin1 text, and where the line is. */
function embed(line: string, before = "", after = "") {
  const head = Buffer.from(before, "utf8");
  const body = Buffer.from(line, "utf8");
  const bytes = Buffer.concat([head, body, Buffer.from(after, "utf8")]);
  return { bytes, text: bytes.toString("latin1"), start: head.length, end: head.length + body.length, json: body.toString("utf8") };
}

// ---------------------------------------------------------------------------------------------------
// Generators.

/** Printable ASCII other than space, `"` and `\`: what JSON.stringify writes as itself and idOf keeps. */
const SOLID = [...Array(95).keys()].map((i) => String.fromCharCode(33 + i)).filter((c) => c !== '"' && c !== "\\" && c !== "\x7f");
const solidChar = fc.constantFrom(...SOLID);
const asciiText = fc.string({ unit: fc.constantFrom(...SOLID, " "), maxLength: 12 });
const asciiId = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Z][A-Z0-9-]{0,8}$/), weight: 3 },
  {
    arbitrary: fc.tuple(solidChar, fc.string({ unit: fc.constantFrom(...SOLID, " "), maxLength: 8 }), fc.option(solidChar)).map(([a, b, c]) => (c === null ? a : a + b + c)),
    weight: 1,
  },
);
const time = fc
  .tuple(fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }), fc.boolean())
  .map(([d, millis]) => (millis ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, "Z")));
const currencyCode = fc.stringMatching(/^[A-Z]{3}$/);
const quantity = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.double({ min: Number.MIN_VALUE, max: 1e6, noNaN: true }));
const money = fc.oneof(fc.integer({ min: 0, max: 10_000_000 }).map((cents) => cents / 100), fc.double({ min: 0, max: 1e11, noNaN: true }));
const url = fc.oneof(fc.webUrl().filter((u) => /^[\x20-\x7e]*$/.test(u) && !/["\\]/.test(u)), asciiText);

/** Puts a record's keys in a random order (JSON.stringify writes them in insertion order). */
function shuffled<T extends object>(record: fc.Arbitrary<T>): fc.Arbitrary<Record<string, unknown>> {
  return record.chain((r) => {
    const keys = Object.keys(r);
    return fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }).map((order) => Object.fromEntries(order.map((k) => [k, (r as Record<string, unknown>)[k]])));
  });
}

/** Valid values of each kind of field in the plain shape exports write. */
const VALID: Record<Exclude<EventFieldKind, "type" | "object">, fc.Arbitrary<unknown>> = {
  id: asciiId,
  time,
  money,
  positive: quantity,
  currency: currencyCode,
  string: url, // urls and plain ASCII text
};

/** The fields of `fields` right below `prefix`: an arbitrary of each, and the keys that are required. */
function modelOf(fields: readonly EventField[], prefix: string, valueOf: (field: EventField) => fc.Arbitrary<unknown>) {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const field of fields) {
    const key = field.name.slice(prefix.length);
    if (!field.name.startsWith(prefix) || key.includes(".")) continue;
    model[key] = valueOf(field);
    if (field.required) required.push(key);
  }
  return { model, required };
}

/** A valid value of `field` of the schema of `fields`; an object's keys in the table's order. */
function validValue(fields: readonly EventField[], field: EventField): fc.Arbitrary<unknown> {
  if (field.kind === "type") return fc.constantFrom(...(field.values ?? []));
  if (field.kind === "object") {
    const { model, required } = modelOf(fields, `${field.name}.`, (f) => validValue(fields, f));
    return fc.record(model, { requiredKeys: required });
  }
  return VALID[field.kind];
}

/** Valid events in the plain shape exports write: ASCII ids, no escapes. The scanner must take all of them. */
const validEvent = fc.oneof(
  ...EVENT_SCHEMA_NAMES.map((schema) => {
    const { model, required } = modelOf(EVENT_FIELDS[schema], "", (field) => validValue(EVENT_FIELDS[schema], field));
    return shuffled(fc.record(model, { requiredKeys: required }));
  }),
);

// Values of every kind for records that are only event-like (as in fastEvents.test.ts).
const oddValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -0, -0, -1, 1e11, 1e11 + 1, 1e21, 5e-324, Number.NaN, Infinity, "", " ", "x", " A-1", "A-1 ", "A\"B", "A\\B", "A\tB", "\u00a0A", "é", "A\u2028", "😀", "\x7f", "usd", "USD", "US", [], [1, "a"], {}, { region: "R" }),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.double(),
  isoLike,
);
const maybeOdd = <T>(good: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: oddValue, weight: 1 });

/** A value of `field` of a record of any type, often valid, sometimes odd; an object's keys each sometimes missing, with an extra key. */
function noisyValue(field: EventField): fc.Arbitrary<unknown> {
  if (field.kind === "time") return fc.oneof(time, isoLike, oddValue);
  if (field.kind === "object") {
    const { model } = modelOf(ANY_FIELDS, `${field.name}.`, noisyValue);
    return maybeOdd(fc.record({ ...model, extra: oddValue }, { requiredKeys: [] }));
  }
  return maybeOdd(field.kind === "type" ? fc.constantFrom(...(field.values ?? [])) : VALID[field.kind]);
}
const ANY_FIELDS = anyEventFields();
const noisyRecord = (() => {
  // Only the keys every type requires are always there.
  const { model, required } = modelOf(ANY_FIELDS, "", noisyValue);
  model.note = oddValue;
  return fc.record(model, { requiredKeys: required });
})();

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });
/** Numbers in every form the JSON grammar allows: sign, 0 or 1-9 first, fraction, e/E with +/-, up to 22 digits. */
const composedNumber = fc
  .record({
    minus: fc.boolean(),
    int: fc.oneof(fc.constant("0"), fc.tuple(fc.constantFrom(..."123456789"), digits(0, 21)).map(([a, b]) => a + b)),
    fraction: fc.option(digits(1, 21), { nil: undefined }),
    exponent: fc.option(fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), digits(1, 3)).map((parts) => parts.join("")), { nil: undefined }),
  })
  .map(({ minus, int, fraction, exponent }) => `${minus ? "-" : ""}${int}${fraction === undefined ? "" : `.${fraction}`}${exponent ?? ""}`);
const specialNumbers = fc.constantFrom(
  "0", "-0", "-0", "-0.0", "0.0", "-0e5", "0e-5", "1e400", "-1e400", "1E+400", "1e-400", "-1e-400", "5e-324", "2e-324", "3e-324", "4.9406564584124654e-324",
  "1.7976931348623157e308", "1.7976931348623158e308", "0.1", "0.2", "0.30000000000000004", "0.000000000000001", "0.0000000000000001", "100000000000000.5",
  "999999999999999", "999999999999999.9", "9999999999999999", "9007199254740993", "123456789012345", "1234567890123456", "12345678901234567890",
  "1.5", "-1.5", "1e21", "1e-7", "1E2", "1e+2", "1e-2", "0.5e1", "123.456e-2",
);
/** Texts that are not JSON numbers. */
const invalidNumbers = fc.constantFrom("01", "00", "-01", "1.", ".5", "-.5", "+1", "1e", "1e+", "1E-", "-", "--1", "1.e5", "0x1F", "1ee5", "1e5.5", "0.5.5", "1..2", "Infinity", "-Infinity", "NaN", "1_000", "- 1", "1 2", "１");
const numberText = fc.oneof(
  { arbitrary: composedNumber, weight: 4 },
  { arbitrary: specialNumbers, weight: 2 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)), weight: 1 },
  { arbitrary: fc.integer().map(String), weight: 1 },
  { arbitrary: invalidNumbers, weight: 1 },
);

/** String texts: plain, JSON.stringify of anything (escapes, non-ASCII), and raw (control chars, DEL, lone backslash). */
const stringText = fc.oneof(
  { arbitrary: asciiText.map((s) => JSON.stringify(s)), weight: 3 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 8 }).map((s) => JSON.stringify(s)), weight: 2 },
  {
    arbitrary: fc.string({ unit: fc.constantFrom("a", "Z", " ", "-", "\t", "\x01", "\x1f", "\x7f", "é", "中", "😀", "\\n", "\\u0041", "\\/", "\\", '\\"', "\u2028"), maxLength: 6 }).map((s) => `"${s}"`),
    weight: 2,
  },
  { arbitrary: fc.constantFrom('"order"', '"sale"', '"listing"', '"allocation"', '"USD"', '"2025-01-01T00:00:00Z"', '"ord\\u0065r"', '"US\\u0044"'), weight: 1 },
);
const literalText = fc.constantFrom("null", "true", "false", "[]", "[1]", '["a",{}]', "{}", '{"a":1}', "nul", "tru", "undefined", "'a'");

const space = fc.constantFrom("", "", "", "", " ", "\t", "\r", "  ", " \t\r ", "\n");

/** `{ k: v, ... }` with whitespace between the tokens, or none. */
function objectText(entries: readonly (readonly [string, string])[]): fc.Arbitrary<string> {
  const compact = `{${entries.map(([k, v]) => `${k}:${v}`).join(",")}}`;
  const spaced = fc.array(space, { minLength: 4 * entries.length + 1, maxLength: 4 * entries.length + 1 }).map((s) => {
    const at = (i: number) => s[i] as string;
    const body = entries.map(([k, v], i) => `${at(4 * i)}${k}${at(4 * i + 1)}:${at(4 * i + 2)}${v}${at(4 * i + 3)}`).join(",");
    return `{${body}${at(4 * entries.length)}}`;
  });
  return fc.oneof(fc.constant(compact), spaced);
}

const shipKeyText = fc.oneof(
  { arbitrary: fc.constantFrom(...SHIP_KEYS).map((k) => JSON.stringify(k)), weight: 6 },
  { arbitrary: fc.constantFrom('"extra"', '"Region"', '"region "', '"regi\\u006fn"', '""', '"id"'), weight: 1 },
);
const shipValueText = fc.oneof(
  { arbitrary: asciiId.map((s) => JSON.stringify(s)), weight: 4 },
  { arbitrary: stringText, weight: 2 },
  { arbitrary: numberText, weight: 2 },
  { arbitrary: literalText, weight: 1 },
  { arbitrary: fc.constantFrom('{"region":"R"}', '{"a":{"b":1}}', '{ }'), weight: 1 },
);
const shipToText = fc.oneof(
  fc.constantFrom("{}", "{ }", '{"region":"R",}', '{"region":"R"]', '{"region":"R"}}', '{"region" "R"}', '{"region":"R"', '{"region":"R",,"country":"C"}'),
  fc.array(fc.tuple(shipKeyText, shipValueText), { maxLength: 4 }).chain(objectText),
);

const knownKeyText = fc.constantFrom(...TOP_KEYS).map((k) => JSON.stringify(k));
const oddKeyText = fc.constantFrom('"note"', '"Id"', '"id "', '" id"', '"i\\u0064"', '"ıd"', '""', '"__proto__"', '"constructor"', '"region"', '"shipto"', '"idd"', '"i"', "id", "'id'");
const anyValueText = fc.oneof(
  { arbitrary: numberText, weight: 3 },
  { arbitrary: stringText, weight: 3 },
  { arbitrary: literalText, weight: 1 },
  { arbitrary: shipToText, weight: 2 },
);

/** A JSON value as text, numbers sometimes spelled another way (any spelling: the reference is JSON.parse). */
function valueText(value: unknown): fc.Arbitrary<string> {
  if (typeof value === "number" && Number.isFinite(value)) {
    return fc.oneof(
      { arbitrary: fc.constant(JSON.stringify(value)), weight: 6 },
      { arbitrary: fc.constantFrom(value.toExponential(), value.toExponential().toUpperCase(), value.toPrecision(17), value.toPrecision(16)), weight: 2 },
      { arbitrary: numberText, weight: 1 },
    );
  }
  if (isPlainObject(value)) return entriesText(value).chain(objectText);
  return fc.constant(JSON.stringify(value) ?? "null");
}
function entriesText(record: Record<string, unknown>): fc.Arbitrary<(readonly [string, string])[]> {
  const present = Object.entries(record).filter(([, v]) => v !== undefined);
  return fc.tuple(...present.map(([k, v]) => valueText(v).map((text) => [JSON.stringify(k), text] as const)));
}

/** Keys that are unknown, repeated, or known with any value: spliced into a record's entries. */
const extraEntry = fc.tuple(fc.oneof(knownKeyText, oddKeyText), anyValueText);
const recordLine = fc
  .tuple(
    fc.oneof({ arbitrary: validEvent, weight: 3 }, { arbitrary: noisyRecord, weight: 2 }).chain(entriesText),
    fc.oneof({ arbitrary: fc.constant([]), weight: 4 }, { arbitrary: fc.array(fc.tuple(fc.nat(), extraEntry), { minLength: 1, maxLength: 2 }), weight: 1 }),
  )
  .chain(([entries, extras]) => {
    const all = [...entries];
    for (const [at, entry] of extras) all.splice(at % (all.length + 1), 0, entry);
    return objectText(all);
  });
/** Objects of random entries: known keys twice, unknown keys, values of any kind. */
const randomLine = fc.array(fc.tuple(fc.oneof({ arbitrary: knownKeyText, weight: 5 }, { arbitrary: oddKeyText, weight: 1 }), anyValueText), { maxLength: 8 }).chain(objectText);
const garbageUnit = fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "0", "1", "9", ".", "e", "E", "+", "-", " ", "\t", "\r", "\n", "x", "null", "\\", "é", "\x00", "\x7f", "\f", "\v", "\u00a0", '"id"');
const garbage = fc.string({ unit: garbageUnit, minLength: 1, maxLength: 6 });
const anyLine = fc
  .tuple(
    fc.oneof({ arbitrary: recordLine, weight: 6 }, { arbitrary: randomLine, weight: 3 }, { arbitrary: garbage, weight: 1 }, { arbitrary: anyValueText, weight: 1 }),
    space,
    space,
  )
  .map(([line, before, after]) => before + line + after)
  .chain((line) =>
    fc.oneof(
      { arbitrary: fc.constant(line), weight: 12 },
      { arbitrary: fc.nat(line.length).map((i) => line.slice(0, i)), weight: 2 }, // truncated
      { arbitrary: garbage.map((g) => line + g), weight: 1 }, // trailing garbage
      { arbitrary: garbage.map((g) => g + line), weight: 1 },
      { arbitrary: fc.nat(Math.max(line.length - 1, 0)).map((i) => line.slice(0, i) + line.slice(i + 1)), weight: 1 }, // a character lost
      { arbitrary: fc.tuple(fc.nat(line.length), garbageUnit).map(([i, g]) => line.slice(0, i) + g + line.slice(i)), weight: 1 }, // one inserted
      { arbitrary: fc.tuple(fc.nat(Math.max(line.length - 1, 0)), garbageUnit).map(([i, g]) => line.slice(0, i) + g + line.slice(i + 1)), weight: 1 }, // one replaced
      { arbitrary: fc.tuple(fc.nat(), fc.constantFrom(..."{}[],:\"")).map(([i, c]) => swapStructural(line, i, c)), weight: 2 }, // one of {}[],:" changed
    ),
  );
/** `line` with its `n`th (modulo their count) character of `{}[],:"` replaced by `c`. */
function swapStructural(line: string, n: number, c: string): string {
  const places = [...line.matchAll(/[{}[\],:"]/g)].map((m) => m.index);
  if (places.length === 0) return line;
  const at = places[n % places.length] as number;
  return line.slice(0, at) + c + line.slice(at + 1);
}
/** Bytes around the line that would change the result if the scanner read them. */
const around = fc.string({ unit: fc.constantFrom("{", "}", '"', "0", "1", "9", ".", "e", "E", "-", "+", ",", ":", " ", "\r", "\n", "x", "é", "\\", "]"), maxLength: 4 });
const embeddedLine = fc.record({ line: anyLine, before: around, after: around });

// ---------------------------------------------------------------------------------------------------

/** Number tokens (in a line the scanner accepted, with its strings emptied: they hold no quote or backslash). */
const NUMBER_TOKEN = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

describe("EventJsonScanner", () => {
  it("accepts only lines JSON.parse reads, each value exactly JSON.parse's, reading nothing outside [start, end)", () => {
    const seen = { lines: 0, accepted: 0, spaced: 0, exponent: 0, longNumber: 0, negativeZero: 0, fraction: 0, shipTo: 0, decided: 0, parsedFields: 0 };
    fc.assert(
      fc.property(fc.array(embeddedLine, { minLength: 1, maxLength: 8 }), (lines) => {
        const scanner = new EventJsonScanner();
        const alone = new EventJsonScanner();
        const raw = new RawEvent();
        const rawAlone = new RawEvent();
        // One reader per path for the whole array: a reader's remembered date must not change a result.
        const jsonReader = new FastEventReader();
        const parseReader = new FastEventReader();
        for (const { line, before, after } of lines) {
          seen.lines++;
          const { bytes, text, start, end, json } = embed(line, before, after);
          const accepted = scanner.scan(bytes, text, start, end, raw);
          // The same line in a buffer of its own: the bytes around it must change nothing.
          const own = Buffer.from(bytes.subarray(start, end));
          same(alone.scan(own, own.toString("latin1"), 0, own.length, rawAlone), accepted, "accepted alone");
          if (accepted) {
            for (const key of [...TOP_KEYS, ...SHIP_KEYS]) same(raw[key], rawAlone[key], `${key} alone`);
            checkAgainstParse(raw, json);
            seen.accepted++;
            const tokens = json.replace(/"[^"]*"/g, '""');
            if (/[ \t\r\n]/.test(tokens)) seen.spaced++;
            if (raw.shipTo === SCANNED) seen.shipTo++;
            for (const token of tokens.match(NUMBER_TOKEN) ?? []) {
              if (/[eE]/.test(token)) seen.exponent++;
              if (token.replace(/[^0-9]/g, "").length > 15 && !/[eE]/.test(token)) seen.longNumber++;
              if (token.includes(".")) seen.fraction++;
              if (Object.is(JSON.parse(token), -0)) seen.negativeZero++;
            }
          }
          // (b) fieldsOfJson: what fields makes of JSON.parse's object, or undefined.
          let parsed: unknown;
          let parses = true;
          try {
            parsed = JSON.parse(json);
          } catch {
            parses = false;
          }
          const fromParse = parses ? parseReader.fields(parsed) : undefined;
          const reference = fromParse === undefined ? undefined : { ...fromParse };
          if (reference !== undefined) seen.parsedFields++;
          const fast = fieldsOfJson(jsonReader, bytes, text, start, end);
          if (fast !== undefined) {
            if (!accepted) throw new Error("fieldsOfJson decided a line the scanner rejects");
            expect(reference).toBeDefined();
            expect({ ...fast }).toStrictEqual(reference);
            seen.decided++;
          } else if (accepted) {
            // The scanner took it but the checks did not: fields must not take it either.
            expect(reference).toBeUndefined();
          }
        }
      }),
      { numRuns: 4_000 },
    );
    // The generators must reach every path, or this test proves little (about 17,000 lines, 3,500 accepted).
    expect(seen.lines).toBeGreaterThan(15_000);
    expect(seen.accepted).toBeGreaterThan(seen.lines * 0.12);
    expect(seen.accepted).toBeLessThan(seen.lines * 0.9);
    expect(seen.decided).toBeGreaterThan(seen.parsedFields * 0.5);
    expect(seen.spaced).toBeGreaterThan(1_000);
    expect(seen.shipTo).toBeGreaterThan(300);
    expect(seen.exponent).toBeGreaterThan(500);
    expect(seen.longNumber).toBeGreaterThan(150);
    expect(seen.fraction).toBeGreaterThan(1_000);
    expect(seen.negativeZero).toBeGreaterThan(15);
  });

  it("accepts every plain valid event as JSON.stringify writes it, and fieldsOfJson gives what fields gives", () => {
    fc.assert(
      fc.property(fc.array(validEvent, { minLength: 1, maxLength: 5 }), (events) => {
        const scanner = new EventJsonScanner();
        const raw = new RawEvent();
        const jsonReader = new FastEventReader();
        const parseReader = new FastEventReader();
        for (const event of events) {
          const { bytes, text, start, end, json } = embed(JSON.stringify(event), "", "\n");
          if (!scanner.scan(bytes, text, start, end, raw)) throw new Error(`scanner fell back on a plain export: ${json}`);
          checkAgainstParse(raw, json);
          const reference = parseReader.fields(JSON.parse(json));
          // The generator makes valid events only: fields must take them (else this test is wrong).
          expect(reference).toBeDefined();
          const expected = { ...reference };
          const fast = fieldsOfJson(jsonReader, bytes, text, start, end);
          expect(fast).toBeDefined();
          expect({ ...fast }).toStrictEqual(expected);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  const sale = (price: string) => `{"id":"E-1","type":"sale","occurredAt":"2025-01-01T00:00:00Z","partnerId":"P","sku":"S","quantity":2,"unitPrice":${price},"currency":"USD"}`;
  const scan = (line: string, after = "") => {
    const { bytes, text, start, end } = embed(line, "", after);
    const raw = new RawEvent();
    return { accepted: new EventJsonScanner().scan(bytes, text, start, end, raw), raw, fields: fieldsOfJson(new FastEventReader(), bytes, text, start, end) };
  };

  it("reads -0 as -0", () => {
    for (const zero of ["-0", "-0.0", "-0e0", "-0.000"]) {
      const { accepted, raw, fields } = scan(sale(zero));
      expect(accepted).toBe(true);
      expect(Object.is(raw.unitPrice, -0)).toBe(true);
      // money(-0) holds: the price stays -0, as it does through JSON.parse.
      expect(Object.is(fields?.price, -0)).toBe(true);
      expect({ ...fields }).toStrictEqual({ ...new FastEventReader().fields(JSON.parse(sale(zero))) });
    }
    expect(Object.is(scan(sale("0")).raw.unitPrice, 0)).toBe(true);
  });

  it("reads 1e400 as Infinity, which no check then takes", () => {
    const { accepted, raw, fields } = scan(sale("1e400"));
    expect(accepted).toBe(true);
    expect(raw.unitPrice).toBe(Infinity);
    expect(fields).toBeUndefined();
    expect(new FastEventReader().fields(JSON.parse(sale("1e400")))).toBeUndefined();
    expect(scan(sale("5e-324")).raw.unitPrice).toBe(5e-324);
    expect(scan(sale("1e-400")).raw.unitPrice).toBe(0);
  });

  it("reads numbers of 16 digits and more as JSON.parse does", () => {
    for (const number of ["9007199254740993", "1234567890123456.7", "0.30000000000000004", "99999999999999999999", "0.1000000000000000055511151231257827"]) {
      const { accepted, raw } = scan(sale(number));
      expect(accepted).toBe(true);
      expect(raw.unitPrice).toBe(JSON.parse(number));
    }
    expect(scan(sale("9007199254740993")).raw.unitPrice).toBe(9007199254740992);
  });

  it("leaves a key given twice to JSON.parse", () => {
    const line = sale("1").replace('"id":"E-1"', '"id":"E-1","id":"E-2"');
    expect(JSON.parse(line).id).toBe("E-2");
    const { accepted, fields } = scan(line);
    expect(accepted).toBe(false);
    expect(fields).toBeUndefined();
    expect(scan('{"id":"A","shipTo":{"region":"R","region":"Q"}}').accepted).toBe(false);
  });

  it("leaves a string with an escape to JSON.parse", () => {
    const line = sale("1").replace('"P"', '"P\\u0041"');
    expect(JSON.parse(line).partnerId).toBe("PA");
    expect(scan(line).accepted).toBe(false);
    expect(scan(line).fields).toBeUndefined();
    expect(scan(sale("1").replace('"sku"', '"sk\\u0075"')).accepted).toBe(false);
  });

  it("reads nothing after end", () => {
    const line = sale("12");
    // Digits right after the number, a brace right after the object, a quote right after a string.
    const cut = line.indexOf(',"currency"');
    expect(scan(line.slice(0, line.indexOf(":12") + 2), "2,\"currency\":\"USD\"}").accepted).toBe(false);
    expect(scan(line, "{").raw.unitPrice).toBe(12);
    expect(scan(line, "3").accepted).toBe(true);
    expect(scan('{"id":"E-1","quantity":1', "2}").accepted).toBe(false);
    expect(scan('{"id":"E-1","quantity":1}', "2}").raw.quantity).toBe(1);
    expect(scan('{"id":"E-1","quantity":1.', "5}").accepted).toBe(false);
    expect(scan('{"id":"E-1","quantity":1e', "5}").accepted).toBe(false);
    expect(scan('{"id":"E-1","quantity":-', "1}").accepted).toBe(false);
    expect(scan('{"id":"E-', '1"}').accepted).toBe(false);
    expect(scan(line.slice(0, cut), line.slice(cut)).accepted).toBe(false);
    expect(scan('{"id":"E-1"', "}").accepted).toBe(false);
    expect(scan('{"id":"E-1","shipTo":{"region":"R"', "}}").accepted).toBe(false);
    expect(scan("{", '"id":"E-1"}').accepted).toBe(false);
  });
});
