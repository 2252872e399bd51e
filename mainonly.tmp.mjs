// src/io/sources.ts
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

// src/errors.ts
var ChannelConflictError = class extends Error {
  code;
  constructor(code, message, options) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
};
var DatasetError = class extends ChannelConflictError {
  file;
  constructor(file, message, options) {
    super("DATASET_UNREADABLE", `${file}: ${message}`, options);
    this.file = file;
  }
};
var RuleSetError = class extends ChannelConflictError {
  problems;
  constructor(problems) {
    super(
      "RULES_INVALID",
      `the rule set has ${problems.length} problem${problems.length === 1 ? "" : "s"}:
` + problems.map((p) => `${p.file}:${p.path}: ${p.message}`).join("\n")
    );
    this.problems = problems;
  }
};
var OptionsError = class extends ChannelConflictError {
  constructor(message, options) {
    super("OPTIONS_INVALID", message, options);
  }
};
var LimitError = class extends ChannelConflictError {
  limit;
  constructor(limit, message) {
    super("LIMIT_EXCEEDED", message);
    this.limit = limit;
  }
};

// src/schema/dataset.ts
import { z as z2 } from "zod";

// src/schema/primitives.ts
import { z } from "zod";

// src/time.ts
import { addDays } from "date-fns/addDays";
import { isExists } from "date-fns/isExists";
import { isValid } from "date-fns/isValid";
import { parseISO } from "date-fns/parseISO";
import { utc, UTCDate } from "@date-fns/utc";
var ISO_PATTERN = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?)?$/;
var COMMON_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:\d{2})?)?$/;
function parseIsoTimeWithDateFns(text) {
  if (!ISO_PATTERN.test(text)) return void 0;
  const date = parseISO(text, { in: utc });
  if (!isValid(date)) return void 0;
  return date.getTime();
}
function parseIsoTime(text) {
  const match = COMMON_PATTERN.exec(text);
  const offset = match?.[5];
  if (match === null || match[1] < "0100" || // date-fns accepts offset hours past 23, the engine's parser does not: leave those to date-fns.
  offset !== void 0 && offset !== "Z" && (offset.slice(1, 3) > "23" || offset.slice(4, 6) > "59")) {
    return parseIsoTimeWithDateFns(text);
  }
  if (!isExists(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) return void 0;
  const ms = Date.parse(match[4] !== void 0 && match[5] === void 0 ? `${text}Z` : text);
  return Number.isNaN(ms) ? void 0 : ms;
}
function formatIsoTime(ms) {
  return new Date(ms).toISOString();
}
function spanContains(span, t) {
  return (span.from === void 0 || span.from <= t) && (span.to === void 0 || t < span.to);
}
function spansIntersect(a, b) {
  const startA = a.from ?? -Infinity;
  const startB = b.from ?? -Infinity;
  const endA = a.to ?? Infinity;
  const endB = b.to ?? Infinity;
  return Math.max(startA, startB) < Math.min(endA, endB);
}
function utcDaysInMs(days) {
  const origin = new UTCDate(0);
  return addDays(origin, days).getTime() - origin.getTime();
}
var DAY_MS = utcDaysInMs(1);
function utcDayIndex(ms) {
  return Math.floor(ms / DAY_MS);
}

// src/schema/primitives.ts
var idSchema = z.string().trim().min(1, "must be a non-empty string");
var isoTimeSchema = z.string().transform((text, ctx) => {
  const ms = parseIsoTime(text);
  if (ms === void 0) {
    ctx.issues.push({
      code: "custom",
      input: text,
      message: `must be an ISO 8601 date or date-time such as 2025-03-01 or 2025-03-01T09:30:00Z, got "${text}"`
    });
    return z.NEVER;
  }
  return ms;
});
var moneySchema = z.number().finite("must be a finite number").nonnegative("must be at least 0").max(1e11, "must be at most 100000000000 (1e11)");
var currencySchema = z.string().regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 code such as CNY or USD");
var channelSchema = z.enum(["direct", "distributor", "reseller", "retail", "ecommerce", "marketplace"]);
var ONLINE_CHANNELS = /* @__PURE__ */ new Set(["ecommerce", "marketplace"]);
var idListSchema = z.array(idSchema);

// src/schema/dataset.ts
var partnerSchema = z2.object({
  id: idSchema,
  name: z2.string().optional(),
  channel: channelSchema,
  parentId: idSchema.optional(),
  homeRegion: idSchema.optional()
});
var regionSchema = z2.object({
  code: idSchema,
  name: z2.string().optional(),
  parent: idSchema.optional()
});
var territorySchema = z2.object({
  id: idSchema,
  partnerId: idSchema,
  region: idSchema,
  exclusive: z2.boolean().default(false),
  skus: idListSchema.optional(),
  categories: idListSchema.optional(),
  validFrom: isoTimeSchema.optional(),
  validTo: isoTimeSchema.optional()
});
var productSchema = z2.object({
  sku: idSchema,
  name: z2.string().optional(),
  category: idSchema.optional(),
  listPrice: moneySchema.optional(),
  currency: currencySchema.optional()
});
var pricePolicySchema = z2.object({
  id: idSchema,
  sku: idSchema,
  channel: channelSchema.optional(),
  listPrice: moneySchema.optional(),
  floorPrice: moneySchema.optional(),
  map: moneySchema.optional(),
  currency: currencySchema,
  validFrom: isoTimeSchema.optional(),
  validTo: isoTimeSchema.optional()
});
var promotionSchema = z2.object({
  id: idSchema,
  skus: idListSchema.optional(),
  channels: z2.array(channelSchema).optional(),
  partnerIds: idListSchema.optional(),
  maxDiscount: z2.number().min(0, "must be at least 0").max(1, "must be at most 1"),
  validFrom: isoTimeSchema,
  validTo: isoTimeSchema
});
var registrationSchema = z2.object({
  id: idSchema,
  customerId: idSchema,
  partnerId: idSchema,
  status: z2.enum(["approved", "pending", "rejected", "expired"]),
  registeredAt: isoTimeSchema,
  expiresAt: isoTimeSchema.optional()
});
var customerSchema = z2.object({
  id: idSchema,
  name: z2.string().optional(),
  region: idSchema.optional(),
  segment: z2.string().optional()
});
var eventBase = {
  id: idSchema,
  occurredAt: isoTimeSchema,
  partnerId: idSchema,
  sku: idSchema
};
var shipToSchema = z2.object({
  region: idSchema,
  country: z2.string().optional(),
  postalCode: z2.string().optional()
});
var saleEventSchema = z2.object({
  ...eventBase,
  type: z2.enum(["order", "sale"]),
  customerId: idSchema.optional(),
  quantity: z2.number().finite("must be a finite number").positive("must be greater than 0"),
  unitPrice: moneySchema,
  currency: currencySchema,
  shipTo: shipToSchema.optional(),
  lot: idSchema.optional(),
  promotionId: idSchema.optional()
});
var listingEventSchema = z2.object({
  ...eventBase,
  type: z2.literal("listing"),
  price: moneySchema,
  currency: currencySchema,
  url: z2.string().optional()
});
var allocationEventSchema = z2.object({
  ...eventBase,
  type: z2.literal("allocation"),
  lot: idSchema,
  quantity: z2.number().finite("must be a finite number").positive("must be greater than 0")
});
var eventSchema = z2.discriminatedUnion("type", [
  saleEventSchema,
  listingEventSchema,
  allocationEventSchema
]);
var collectionSchemas = {
  partners: partnerSchema,
  regions: regionSchema,
  territories: territorySchema,
  products: productSchema,
  pricePolicies: pricePolicySchema,
  promotions: promotionSchema,
  registrations: registrationSchema,
  customers: customerSchema,
  events: eventSchema
};
var COLLECTION_NAMES = Object.keys(collectionSchemas);

// src/io/sources.ts
var EXTENSIONS = [
  [".json", "json"],
  [".ndjson", "ndjson"],
  [".jsonl", "ndjson"],
  [".csv", "csv"]
];
function formatOf(fileName) {
  const lower = fileName.toLowerCase();
  return EXTENSIONS.find(([ext]) => lower.endsWith(ext))?.[1];
}
function byCodePoint(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
async function listCollectionFiles(datasetPath) {
  let entries;
  try {
    const info = await stat(datasetPath);
    if (!info.isDirectory()) throw new DatasetError(datasetPath, "is not a folder; expected a dataset folder");
    entries = await readdir(datasetPath);
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(datasetPath, `cannot read the dataset folder (${error.message})`, { cause: error });
  }
  entries.sort(byCodePoint);
  const result = /* @__PURE__ */ new Map();
  for (const collection of COLLECTION_NAMES) {
    const sources = [];
    const sourceNames = [];
    for (const entry of entries) {
      const format = formatOf(entry);
      if (format && entry.slice(0, entry.lastIndexOf(".")) === collection) {
        sources.push([{ collection, name: entry, path: join(datasetPath, entry), format }]);
        sourceNames.push(entry);
      } else if (entry === collection) {
        const folder = join(datasetPath, entry);
        if (!(await stat(folder)).isDirectory()) continue;
        const files = (await readdir(folder)).sort(byCodePoint);
        const inFolder = [];
        for (const file of files) {
          const fileFormat = formatOf(file);
          if (fileFormat) inFolder.push({ collection, name: `${entry}/${file}`, path: join(folder, file), format: fileFormat });
        }
        sources.push(inFolder);
        sourceNames.push(`${entry}/`);
      }
    }
    if (sources.length > 1) {
      throw new DatasetError(
        datasetPath,
        `collection "${collection}" has ${sources.length} sources (${sourceNames.join(", ")}); expected exactly one file or folder`
      );
    }
    if (sources[0]) result.set(collection, sources[0]);
  }
  return result;
}

// src/io/readRecords.ts
import { readFile, stat as stat2 } from "node:fs/promises";
import { createReadStream as createReadStream2 } from "node:fs";

// src/schema/csvShape.ts
function unwrap(schema) {
  let current = schema;
  for (; ; ) {
    const def = current._zod.def;
    if ((def.type === "optional" || def.type === "default" || def.type === "nullable") && def.innerType) {
      current = def.innerType;
    } else if (def.type === "pipe" && def.in) {
      current = def.in;
    } else {
      return current;
    }
  }
}
function collectShape(schema, prefix, out) {
  const inner = unwrap(schema);
  const def = inner._zod.def;
  if (def.type === "object" && def.shape) {
    for (const [key, child] of Object.entries(def.shape)) {
      const childDef = unwrap(child)._zod.def;
      const path = prefix === "" ? key : `${prefix}.${key}`;
      if (childDef.type === "object") collectShape(child, path, out);
      else out.set(path, kindOf(childDef.type));
    }
  } else if (def.type === "union" && def.options) {
    for (const option of def.options) collectShape(option, prefix, out);
  }
}
function kindOf(type) {
  if (type === "number") return "number";
  if (type === "boolean") return "boolean";
  if (type === "array") return "list";
  return "string";
}
var shapes = /* @__PURE__ */ new Map();
function csvShapeOf(collection) {
  let shape = shapes.get(collection);
  if (!shape) {
    const map = /* @__PURE__ */ new Map();
    collectShape(collectionSchemas[collection], "", map);
    shape = map;
    shapes.set(collection, shape);
  }
  return shape;
}
var NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
function convertCell(kind, cell) {
  switch (kind) {
    case "number":
      return NUMBER_PATTERN.test(cell.trim()) ? Number(cell.trim()) : cell;
    case "boolean":
      if (cell.trim() === "true") return true;
      if (cell.trim() === "false") return false;
      return cell;
    case "list":
      return cell.split("|").map((item) => item.trim());
    case "string":
      return cell;
  }
}
function csvRowToRecord(collection, row) {
  const shape = csvShapeOf(collection);
  const record = /* @__PURE__ */ Object.create(null);
  for (const header of Object.keys(row)) {
    const cell = row[header];
    if (cell === void 0 || cell === "") continue;
    const value = convertCell(shape.get(header) ?? "string", cell);
    const parts = header.split(".");
    let target = record;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i];
      const next = target[part];
      if (typeof next === "object" && next !== null && !Array.isArray(next)) {
        target = next;
      } else {
        const created = /* @__PURE__ */ Object.create(null);
        target[part] = created;
        target = created;
      }
    }
    target[parts[parts.length - 1]] = value;
  }
  return record;
}

// src/io/lines.ts
import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
async function* splitLines(chunks, maxLineBytes) {
  for await (const batch of splitLineBatches(chunks, maxLineBytes)) yield* batch;
}
async function* splitLineBatches(chunks, maxLineBytes) {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  let skipping = false;
  let lineNumber = 1;
  let bomChecked = false;
  const emit = (text) => {
    const clean = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (clean.length * 4 > maxLineBytes && Buffer.byteLength(clean) > maxLineBytes) {
      return { line: lineNumber, tooLong: true };
    }
    return { line: lineNumber, text: clean };
  };
  for await (const chunk of chunks) {
    const batch = [];
    let text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    if (!bomChecked && text !== "") {
      bomChecked = true;
      if (text.charCodeAt(0) === 65279) text = text.slice(1);
    }
    let start = 0;
    for (; ; ) {
      const newline = text.indexOf("\n", start);
      if (newline === -1) break;
      if (skipping) {
        skipping = false;
      } else {
        batch.push(emit(pending + text.slice(start, newline)));
      }
      pending = "";
      lineNumber++;
      start = newline + 1;
    }
    if (!skipping) {
      pending += text.slice(start);
      const crlfHalf = pending.endsWith("\r") ? 1 : 0;
      if (pending.length * 4 > maxLineBytes && Buffer.byteLength(pending) - crlfHalf > maxLineBytes) {
        batch.push({ line: lineNumber, tooLong: true });
        pending = "";
        skipping = true;
      }
    }
    if (batch.length > 0) yield batch;
  }
  const rest = pending + decoder.end();
  if (!skipping && rest !== "") yield [emit(rest)];
}
function readFileLines(path, maxLineBytes) {
  return splitLines(createReadStream(path, { highWaterMark: 1 << 16 }), maxLineBytes);
}
function readFileLineBatches(path, maxLineBytes) {
  return splitLineBatches(createReadStream(path, { highWaterMark: 1 << 16 }), maxLineBytes);
}

// src/io/readCsvRecords.ts
var QUOTE = 34;
var COMMA = 44;
var LF = 10;
var CR = 13;
var BOM = Buffer.from([239, 187, 191]);
async function* withoutBom(chunks) {
  let head = Buffer.alloc(0);
  for await (const chunk of chunks) {
    let buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    if (head) {
      buf = head.length === 0 ? buf : Buffer.concat([head, buf]);
      if (buf.length < BOM.length && BOM.subarray(0, buf.length).equals(buf)) {
        head = buf;
        continue;
      }
      head = void 0;
      if (buf.subarray(0, BOM.length).equals(BOM)) buf = buf.subarray(BOM.length);
    }
    yield buf;
  }
  if (head && head.length > 0) yield head;
}
async function* readCsvRecords(chunks, maxRecordBytes) {
  let line = 1;
  let recordLine = 1;
  let recordBytes = 0;
  let mode = 0 /* Start */;
  let cells = [];
  let parts = [];
  let error;
  let tooLong = false;
  let quoteLine = 1;
  const endCell = (buf, from, to, stripCr) => {
    if (tooLong) return;
    const end = stripCr && to > from && buf[to - 1] === CR ? to - 1 : to;
    if (parts.length === 0) {
      cells.push(buf.toString("utf8", from, end));
    } else {
      parts.push(buf.subarray(from, end));
      let text = Buffer.concat(parts).toString("utf8");
      if (stripCr && to === from && text.endsWith("\r")) text = text.slice(0, -1);
      cells.push(text);
      parts = [];
    }
  };
  const fail = (message) => {
    error ??= message;
  };
  const finishRecord = () => {
    let out;
    if (tooLong) out = { line: recordLine, error: `record is longer than maxRecordBytes (${maxRecordBytes} bytes)` };
    else if (error !== void 0) out = { line: recordLine, error: `CSV: ${error}` };
    else if (!(cells.length === 1 && cells[0] === "")) out = { line: recordLine, cells };
    cells = [];
    parts = [];
    error = void 0;
    tooLong = false;
    recordBytes = 0;
    mode = 0 /* Start */;
    return out;
  };
  for await (const buf of withoutBom(chunks)) {
    let from = 0;
    for (let i = 0; i < buf.length; i++) {
      const byte = buf[i];
      if (byte === LF && mode !== 2 /* Quoted */) {
        if (mode === 1 /* Unquoted */ || mode === 0 /* Start */) endCell(buf, from, i, true);
        else endCell(buf, i, i, false);
        line++;
        const record2 = finishRecord();
        recordLine = line;
        from = i + 1;
        if (record2) yield record2;
        continue;
      }
      if (++recordBytes > maxRecordBytes && !tooLong && !(byte === CR && recordBytes === maxRecordBytes + 1)) {
        tooLong = true;
        cells = [];
        parts = [];
      }
      switch (mode) {
        case 0 /* Start */:
          if (byte === QUOTE) {
            mode = 2 /* Quoted */;
            quoteLine = line;
            from = i + 1;
          } else if (byte === COMMA) {
            endCell(buf, i, i, false);
            from = i + 1;
          } else {
            mode = 1 /* Unquoted */;
            from = i;
          }
          break;
        case 1 /* Unquoted */:
          if (byte === COMMA) {
            endCell(buf, from, i, false);
            mode = 0 /* Start */;
            from = i + 1;
          } else if (byte === QUOTE) {
            fail(`cell ${cells.length + 1} has a quote inside an unquoted value; expected the whole cell in quotes, with inner quotes doubled ("")`);
          }
          break;
        case 2 /* Quoted */:
          if (byte === QUOTE) {
            if (!tooLong) parts.push(buf.subarray(from, i));
            mode = 3 /* QuoteInQuoted */;
          } else if (byte === LF) {
            line++;
          }
          break;
        case 3 /* QuoteInQuoted */:
          if (byte === QUOTE) {
            mode = 2 /* Quoted */;
            from = i;
            break;
          }
          mode = 4 /* Closed */;
        // falls through: the previous quote closed the cell
        case 4 /* Closed */:
          if (byte === COMMA) {
            endCell(buf, i, i, false);
            mode = 0 /* Start */;
            from = i + 1;
          } else if (byte !== CR) {
            const what = byte < 128 ? JSON.stringify(String.fromCharCode(byte)) : "a non-ASCII character";
            fail(`cell ${cells.length + 1} has ${what} after its closing quote; expected "," or the end of the line`);
          }
          break;
      }
    }
    if (!tooLong && (mode === 1 /* Unquoted */ || mode === 2 /* Quoted */) && from < buf.length) {
      parts.push(buf.subarray(from));
    }
  }
  if (mode === 2 /* Quoted */) {
    fail(`the quoted cell ${cells.length + 1} opened on line ${quoteLine} is never closed; expected a closing quote`);
    endCell(Buffer.alloc(0), 0, 0, false);
  } else if (recordBytes > 0) {
    const empty = Buffer.alloc(0);
    endCell(empty, 0, 0, mode === 1 /* Unquoted */ || mode === 0 /* Start */);
  } else {
    return;
  }
  const record = finishRecord();
  if (record) yield record;
}

// src/io/readRecords.ts
var DEFAULT_READ_LIMITS = {
  maxRecordBytes: 1 << 20,
  maxJsonFileBytes: 256 << 20
};
function parseNdjsonLine(item, file, limits) {
  const origin = { file, line: item.line };
  if ("tooLong" in item) return { origin, error: `line is longer than maxRecordBytes (${limits.maxRecordBytes} bytes)` };
  if (item.text.trim() === "") return void 0;
  try {
    return { origin, value: JSON.parse(item.text) };
  } catch (error) {
    return { origin, error: `not valid JSON (${error.message})` };
  }
}
async function* parseNdjsonLines(lines, file, limits) {
  for await (const item of lines) {
    const record = parseNdjsonLine(item, file, limits);
    if (record) yield record;
  }
}
async function* parseNdjsonBatches(batches, file, limits) {
  for await (const lines of batches) {
    const records = [];
    for (const item of lines) {
      const record = parseNdjsonLine(item, file, limits);
      if (record) records.push(record);
    }
    if (records.length > 0) yield records;
  }
}
async function* readJsonArray(source, limits) {
  const size = (await stat2(source.path)).size;
  if (size > limits.maxJsonFileBytes) {
    throw new LimitError(
      "maxJsonFileBytes",
      `${source.name}: the JSON file is ${size} bytes, over maxJsonFileBytes (${limits.maxJsonFileBytes}); split it or write it as NDJSON, which is read line by line`
    );
  }
  let text = await readFile(source.path, "utf8");
  if (text.charCodeAt(0) === 65279) text = text.slice(1);
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(source.name, `not valid JSON (${error.message}); expected an array of records`, {
      cause: error
    });
  }
  if (!Array.isArray(parsed)) {
    throw new DatasetError(source.name, `expected a JSON array of records, got ${parsed === null ? "null" : typeof parsed}`);
  }
  for (let index = 0; index < parsed.length; index++) {
    yield { origin: { file: source.name, index }, value: parsed[index] };
  }
}
async function* readCsv(source, collection, limits) {
  let header;
  try {
    const chunks = createReadStream2(source.path, { highWaterMark: 1 << 16 });
    for await (const record of readCsvRecords(chunks, limits.maxRecordBytes)) {
      const origin = { file: source.name, line: record.line };
      if (!header) {
        if ("error" in record) throw new DatasetError(`${source.name}:${record.line}`, `the header row cannot be read: ${record.error}`);
        header = record.cells.map((cell) => cell.trim());
        const twice = header.find((name, i) => name !== "" && header?.indexOf(name) !== i);
        if (twice !== void 0) {
          throw new DatasetError(`${source.name}:${record.line}`, `the header names column "${twice}" twice; expected each column once`);
        }
        continue;
      }
      if ("error" in record) {
        yield { origin, error: record.error };
        continue;
      }
      const { cells } = record;
      if (cells.length !== header.length) {
        yield { origin, error: `CSV row has ${cells.length} cells; expected ${header.length}, one per header column` };
        continue;
      }
      const row = /* @__PURE__ */ Object.create(null);
      header.forEach((name, i) => {
        row[name] = cells[i];
      });
      yield { origin, value: csvRowToRecord(collection, row) };
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(source.name, `cannot read CSV (${error.message})`, { cause: error });
  }
}
var BATCH_SIZE = 512;
function* batchesOf(items) {
  let batch = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length >= BATCH_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
async function* batched(records) {
  let batch = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length >= BATCH_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
function readCollectionBatches(source, limits = DEFAULT_READ_LIMITS) {
  if (source.format === "ndjson") return parseNdjsonBatches(readFileLineBatches(source.path, limits.maxRecordBytes), source.name, limits);
  return batched(readCollectionFile(source, limits));
}
function readCollectionFile(source, limits = DEFAULT_READ_LIMITS) {
  switch (source.format) {
    case "ndjson":
      return parseNdjsonLines(readFileLines(source.path, limits.maxRecordBytes), source.name, limits);
    case "csv":
      return readCsv(source, source.collection, limits);
    case "json":
      return readJsonArray(source, limits);
  }
}

// src/schema/formatIssues.ts
function formatPath(path) {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(record)" : out;
}
function describeIssue(issue) {
  if (issue.code === "invalid_union") {
    const { discriminator, options } = issue;
    if (typeof discriminator === "string" && Array.isArray(options)) {
      const given = isRecord(issue.input) ? issue.input[discriminator] : void 0;
      const got = given === void 0 ? "nothing (the field is missing)" : describeInput(given);
      return `must be one of ${options.map((v) => JSON.stringify(v)).join(", ")}, got ${got}`;
    }
  }
  if (issue.code === "invalid_value" && "values" in issue) {
    const got = issue.input === void 0 ? "nothing (the field is missing)" : describeInput(issue.input);
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${got}`;
  }
  if (issue.code === "invalid_type" && typeof issue.input === "number" && !Number.isFinite(issue.input)) {
    return `must be a finite number, got ${String(issue.input)}`;
  }
  if (issue.code === "invalid_type") {
    const got = issue.input === void 0 ? "nothing (the field is missing)" : describeInput(issue.input);
    return `expected ${issue.expected}, got ${got}`;
  }
  return issue.message;
}
function isRecord(input) {
  return typeof input === "object" && input !== null && !Array.isArray(input);
}
function describeInput(input) {
  if (input === null) return "null";
  if (Array.isArray(input)) return "an array";
  if (typeof input === "object") return "an object";
  if (typeof input === "string") return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}\u2026` : input);
  return `${typeof input} ${String(input)}`;
}
function formatIssues(issues) {
  return issues.map((issue) => `${formatPath(issue.path)}: ${describeIssue(issue)}`).join("; ");
}

// src/schema/fastEvents.ts
import { isExists as isExists2 } from "date-fns/isExists";
function isPlainObject(value) {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}
function solid(code) {
  return code > 32 && code < 127;
}
function id(value) {
  if (typeof value !== "string" || value.length === 0) return void 0;
  return solid(value.charCodeAt(0)) && solid(value.charCodeAt(value.length - 1)) ? value : void 0;
}
function money(value) {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 1e11;
}
function positive(value) {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}
function currency(value) {
  if (typeof value !== "string" || value.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const code = value.charCodeAt(i);
    if (code < 65 || code > 90) return false;
  }
  return true;
}
function twoDigits(text, at) {
  return (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;
}
function digits(text, from, to) {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}
function utcSecondsShape(text) {
  const n = text.length;
  if (n !== 20 && n !== 24) return false;
  if (!digits(text, 0, 4) || text.charCodeAt(4) !== 45 || !digits(text, 5, 7) || text.charCodeAt(7) !== 45 || !digits(text, 8, 10) || text.charCodeAt(10) !== 84 || !digits(text, 11, 13) || text.charCodeAt(13) !== 58 || !digits(text, 14, 16) || text.charCodeAt(16) !== 58 || !digits(text, 17, 19) || text.charCodeAt(n - 1) !== 90) {
    return false;
  }
  if (n === 24 && (text.charCodeAt(19) !== 46 || !digits(text, 20, 23))) return false;
  return text.slice(0, 4) >= "0100";
}
var FastEventReader = class {
  /** The last date found to exist, as `YYYY-MM-DD` (the initial value prefixes no time), and its midnight UTC. */
  checkedDate = "-";
  checkedDateMs = 0;
  /** Epoch ms of an `isoTimeSchema` string, or undefined when `parseIsoTime` rejects it. */
  time(text) {
    if (utcSecondsShape(text)) {
      if (!text.startsWith(this.checkedDate)) {
        const year = Number(text.slice(0, 4));
        const month = Number(text.slice(5, 7)) - 1;
        const day2 = Number(text.slice(8, 10));
        if (!isExists2(year, month, day2)) return void 0;
        this.checkedDate = text.slice(0, 10);
        this.checkedDateMs = Date.UTC(year, month, day2);
      }
      const hours = twoDigits(text, 11);
      const minutes = twoDigits(text, 14);
      const seconds = twoDigits(text, 17);
      if (hours < 24 && minutes < 60 && seconds < 60) {
        const millis = text.length === 24 ? twoDigits(text, 20) * 10 + text.charCodeAt(22) - 48 : 0;
        return this.checkedDateMs + ((hours * 60 + minutes) * 60 + seconds) * 1e3 + millis;
      }
      const ms = Date.parse(text);
      return Number.isNaN(ms) ? void 0 : ms;
    }
    return parseIsoTime(text);
  }
  /** The validated event, or undefined when zod must decide. */
  read(value) {
    if (!isPlainObject(value)) return void 0;
    const eventId = id(value.id);
    const partnerId = id(value.partnerId);
    const sku = id(value.sku);
    const at = value.occurredAt;
    if (eventId === void 0 || partnerId === void 0 || sku === void 0 || typeof at !== "string") return void 0;
    const occurredAt = this.time(at);
    if (occurredAt === void 0) return void 0;
    switch (value.type) {
      case "order":
      case "sale":
        return readSale(value, eventId, occurredAt, partnerId, sku, value.type);
      case "listing":
        return readListing(value, eventId, occurredAt, partnerId, sku);
      case "allocation":
        return readAllocation(value, eventId, occurredAt, partnerId, sku);
      default:
        return void 0;
    }
  }
};
var ABSENT = /* @__PURE__ */ Symbol("absent");
function optional(value, key, check) {
  if (!(key in value)) return ABSENT;
  return check(value[key]);
}
var anyString = (v) => typeof v === "string" ? v : void 0;
function readSale(value, eventId, occurredAt, partnerId, sku, type) {
  const { quantity, unitPrice } = value;
  if (!positive(quantity) || !money(unitPrice) || !currency(value.currency)) return void 0;
  const customerId = optional(value, "customerId", id);
  const lot = optional(value, "lot", id);
  const promotionId = optional(value, "promotionId", id);
  if (customerId === void 0 || lot === void 0 || promotionId === void 0) return void 0;
  let shipTo = ABSENT;
  if ("shipTo" in value) {
    const raw = value.shipTo;
    if (!isPlainObject(raw)) return void 0;
    const region = id(raw.region);
    const country = optional(raw, "country", anyString);
    const postalCode = optional(raw, "postalCode", anyString);
    if (region === void 0 || country === void 0 || postalCode === void 0) return void 0;
    shipTo = { region };
    if (country !== ABSENT) shipTo.country = country;
    if (postalCode !== ABSENT) shipTo.postalCode = postalCode;
  }
  const event = { id: eventId, occurredAt, partnerId, sku, type };
  if (customerId !== ABSENT) event.customerId = customerId;
  event.quantity = quantity;
  event.unitPrice = unitPrice;
  event.currency = value.currency;
  if (shipTo !== ABSENT) event.shipTo = shipTo;
  if (lot !== ABSENT) event.lot = lot;
  if (promotionId !== ABSENT) event.promotionId = promotionId;
  return event;
}
function readListing(value, eventId, occurredAt, partnerId, sku) {
  const { price } = value;
  if (!money(price) || !currency(value.currency)) return void 0;
  const url = optional(value, "url", anyString);
  if (url === void 0) return void 0;
  const event = { id: eventId, occurredAt, partnerId, sku, type: "listing", price, currency: value.currency };
  if (url !== ABSENT) event.url = url;
  return event;
}
function readAllocation(value, eventId, occurredAt, partnerId, sku) {
  const lot = id(value.lot);
  const { quantity } = value;
  if (lot === void 0 || !positive(quantity)) return void 0;
  return { id: eventId, occurredAt, partnerId, sku, type: "allocation", lot, quantity };
}

// src/dataset/DuplicateIds.ts
var DuplicateIds = class {
  constructor(windowMs = Infinity) {
    this.windowMs = windowMs;
  }
  windowMs;
  seen = /* @__PURE__ */ new Map();
  all = new StringSet();
  // Ids and times in arrival order, as two arrays: a window can hold hundreds of thousands.
  ids = [];
  times = [];
  head = 0;
  /** Records the id; returns false when it was already seen (within the window). */
  add(id2, at) {
    if (this.windowMs === Infinity) {
      return this.all.add(id2);
    }
    this.expire(at - this.windowMs);
    if (this.seen.has(id2)) return false;
    this.seen.set(id2, at);
    this.ids.push(id2);
    this.times.push(at);
    return true;
  }
  expire(before) {
    while (this.head < this.ids.length && this.times[this.head] < before) {
      const id2 = this.ids[this.head];
      if (this.seen.get(id2) === this.times[this.head]) this.seen.delete(id2);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.ids.length) {
      this.ids.splice(0, this.head);
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }
};
var StringSet = class {
  slots = new Int32Array(1 << 11);
  mask = (1 << 10) - 1;
  /** Each key as its length (two code units: low, high) followed by its code units. */
  chars = new Uint16Array(1 << 12);
  used = 0;
  count = 0;
  get size() {
    return this.count;
  }
  /** Adds `key`; returns false when it was already in the set. */
  add(key) {
    const length = key.length;
    let hash = 2166136261 | 0;
    for (let i = 0; i < length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
    const slots = this.slots;
    let at = hash & this.mask;
    for (; ; ) {
      const stored = slots[2 * at + 1];
      if (stored === 0) break;
      if (slots[2 * at] === hash && this.equals(stored - 1, key)) return false;
      at = at + 1 & this.mask;
    }
    const offset = this.store(key);
    slots[2 * at] = hash;
    slots[2 * at + 1] = offset + 1;
    if (++this.count * 2 > this.mask) this.grow();
    return true;
  }
  /** Whether the key stored at `offset` is `key`. */
  equals(offset, key) {
    const chars = this.chars;
    const length = key.length;
    if (chars[offset] + chars[offset + 1] * 65536 !== length) return false;
    for (let i = 0; i < length; i++) if (chars[offset + 2 + i] !== key.charCodeAt(i)) return false;
    return true;
  }
  /** Copies `key` to the end of the code units; returns where it starts. */
  store(key) {
    const length = key.length;
    const offset = this.used;
    if (offset + 2 + length > this.chars.length) {
      const grown = new Uint16Array(Math.max(this.chars.length * 2, offset + 2 + length));
      grown.set(this.chars.subarray(0, offset));
      this.chars = grown;
    }
    const chars = this.chars;
    chars[offset] = length & 65535;
    chars[offset + 1] = length >>> 16;
    for (let i = 0; i < length; i++) chars[offset + 2 + i] = key.charCodeAt(i);
    this.used = offset + 2 + length;
    return offset;
  }
  /** Doubles the table (kept at most half full), placing each stored hash again. */
  grow() {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    const slots = new Int32Array(capacity * 2);
    const mask = capacity - 1;
    for (let s = 0; s < old.length; s += 2) {
      const stored = old[s + 1];
      if (stored === 0) continue;
      const hash = old[s];
      let at = hash & mask;
      while (slots[2 * at + 1] !== 0) at = at + 1 & mask;
      slots[2 * at] = hash;
      slots[2 * at + 1] = stored;
    }
    this.slots = slots;
    this.mask = mask;
  }
};

// src/dataset/types.ts
function rejectionOf(origin, reason) {
  return {
    file: origin.file,
    ...origin.line !== void 0 ? { line: origin.line } : {},
    ...origin.index !== void 0 ? { index: origin.index } : {},
    reason
  };
}
function emptyCounts() {
  const counts = {};
  for (const name of COLLECTION_NAMES) counts[name] = { read: 0, accepted: 0, rejected: 0 };
  return counts;
}

// src/dataset/validateRecords.ts
var ID_FIELD = {
  partners: "id",
  regions: "code",
  territories: "id",
  products: "sku",
  pricePolicies: "id",
  promotions: "id",
  registrations: "id",
  customers: "id",
  events: "id"
};
function where(origin) {
  if (origin.line !== void 0) return `${origin.file}:${origin.line}`;
  if (origin.index !== void 0) return `${origin.file}[${origin.index}]`;
  return origin.file;
}
function parseRecord(collection, raw) {
  if ("error" in raw) return { ok: false, reason: raw.error };
  return parseValue(collection, raw.value);
}
function parseValue(collection, value) {
  const schema = collectionSchemas[collection];
  const result = schema.safeParse(value);
  if (!result.success) {
    const detailed = schema.safeParse(value, { reportInput: true });
    return { ok: false, reason: formatIssues((detailed.error ?? result.error).issues) };
  }
  return { ok: true, record: result.data };
}
var ReferenceCollector = class {
  rejected = [];
  counts = emptyCounts();
  present = /* @__PURE__ */ new Set();
  accepted = /* @__PURE__ */ new Map();
  firstSeen = /* @__PURE__ */ new Map();
  markPresent(collection) {
    this.present.add(collection);
  }
  add(collection, raw) {
    this.present.add(collection);
    const counts = this.counts[collection];
    counts.read++;
    const parsed = parseRecord(collection, raw);
    if (!parsed.ok) {
      this.reject(collection, raw.origin, parsed.reason);
      return;
    }
    const id2 = parsed.record[ID_FIELD[collection]];
    let seen = this.firstSeen.get(collection);
    if (!seen) this.firstSeen.set(collection, seen = /* @__PURE__ */ new Map());
    const first = seen.get(id2);
    if (first) {
      this.reject(collection, raw.origin, `${ID_FIELD[collection]}: duplicate "${id2}", first defined at ${where(first)}`);
      return;
    }
    seen.set(id2, raw.origin);
    let list = this.accepted.get(collection);
    if (!list) this.accepted.set(collection, list = []);
    list.push({ record: parsed.record, origin: raw.origin });
  }
  reject(collection, origin, reason) {
    this.counts[collection].rejected++;
    this.rejected.push(rejectionOf(origin, reason));
  }
  /**
   * Resolves references between collections and returns the reference records. A record whose
   * reference cannot be resolved in a way that would change results is rejected, naming the reference.
   */
  finish() {
    const get = (name) => this.accepted.get(name) ?? [];
    const keep = (name, check) => {
      const kept = [];
      for (const item of get(name)) {
        const problem = check(item.record);
        if (problem) this.reject(name, item.origin, problem);
        else kept.push(item.record);
      }
      return kept;
    };
    const regionsPresent = this.present.has("regions");
    const regionParents = new Map(get("regions").map((r) => [r.record.code, r.record.parent]));
    const regions = keep("regions", (region) => {
      const visited = /* @__PURE__ */ new Set([region.code]);
      let child = region.code;
      let current = region.parent;
      while (current !== void 0) {
        if (!regionParents.has(current)) {
          return child === region.code ? `parent: unknown region "${current}"; expected a code listed in regions` : `parent: ancestor "${child}" has an unknown parent "${current}"; expected every ancestor listed in regions`;
        }
        if (visited.has(current)) {
          return current === region.code ? `parent: region "${region.code}" is its own ancestor (cycle through "${child}")` : `parent: ancestors form a cycle through "${current}"; expected a chain that ends at a root region`;
        }
        visited.add(current);
        child = current;
        current = regionParents.get(current);
      }
      return void 0;
    });
    const knownRegions = new Set(regions.map((r) => r.code));
    const partnerParents = new Map(get("partners").map((p) => [p.record.id, p.record.parentId]));
    const partners = keep("partners", (partner) => {
      const visited = /* @__PURE__ */ new Set([partner.id]);
      let child = partner.id;
      let current = partner.parentId;
      while (current !== void 0) {
        if (!partnerParents.has(current)) {
          return child === partner.id ? `parentId: unknown partner "${current}"; expected an id listed in partners` : `parentId: ancestor "${child}" has an unknown parent "${current}"; expected every parent listed in partners`;
        }
        if (visited.has(current)) return `parentId: parents form a cycle through "${current}"; expected a chain that ends at a partner without parentId`;
        visited.add(current);
        child = current;
        current = partnerParents.get(current);
      }
      return void 0;
    });
    const knownPartners = new Set(partners.map((p) => p.id));
    const unknownPartner = (id2) => knownPartners.has(id2) ? void 0 : `partnerId: unknown partner "${id2}"; expected an id listed in partners`;
    const territories = keep("territories", (territory) => {
      if (regionsPresent && !knownRegions.has(territory.region)) {
        return `region: unknown region "${territory.region}"; expected a code listed in regions`;
      }
      if (territory.validFrom !== void 0 && territory.validTo !== void 0 && territory.validTo < territory.validFrom) {
        return "validTo: is before validFrom; expected an end at or after the start";
      }
      return unknownPartner(territory.partnerId);
    });
    const registrations = keep("registrations", (registration) => {
      if (registration.expiresAt !== void 0 && registration.expiresAt < registration.registeredAt) {
        return "expiresAt: is before registeredAt; expected an end at or after the start";
      }
      return unknownPartner(registration.partnerId);
    });
    const spanCheck = (span) => span.validFrom !== void 0 && span.validTo !== void 0 && span.validTo < span.validFrom ? "validTo: is before validFrom; expected an end at or after the start" : void 0;
    const pricePolicies = keep("pricePolicies", spanCheck);
    const promotions = keep("promotions", spanCheck);
    const products = keep("products", () => void 0);
    const customers = keep("customers", () => void 0);
    for (const name of Object.keys(this.counts)) {
      if (name !== "events") this.counts[name].accepted = this.counts[name].read - this.counts[name].rejected;
    }
    return { partners, regions, territories, products, pricePolicies, promotions, registrations, customers };
  }
};
var EventSchemaReader = class {
  fast = new FastEventReader();
  /** The event, or the reason the value is rejected. */
  check(value) {
    const event = this.fast.read(value);
    if (event !== void 0) return event;
    const parsed = parseValue("events", value);
    return parsed.ok ? parsed.record : parsed.reason;
  }
};
var EventAcceptor = class {
  partners;
  skus;
  seen;
  /** `duplicateWindowMs`: how far back (in event time) duplicates are caught; every id when absent. */
  constructor(reference, productsPresent, duplicateWindowMs) {
    this.seen = new DuplicateIds(duplicateWindowMs);
    this.partners = new Set(reference.partners.map((p) => p.id));
    this.skus = productsPresent ? new Set(reference.products.map((p) => p.sku)) : void 0;
  }
  /** Why the event is rejected, or undefined when it is accepted (its id then counts as seen). */
  reject(event) {
    if (!this.partners.has(event.partnerId)) return `partnerId: unknown partner "${event.partnerId}"; expected an id listed in partners`;
    if (this.skus && !this.skus.has(event.sku)) return `sku: unknown product "${event.sku}"; expected a sku listed in products`;
    if (!this.seen.add(event.id, event.occurredAt)) return `id: duplicate event id "${event.id}"`;
    return void 0;
  }
};
var EventValidator = class {
  schema = new EventSchemaReader();
  acceptor;
  /** `duplicateWindowMs`: how far back (in event time) duplicates are caught; every id when absent. */
  constructor(reference, productsPresent, duplicateWindowMs) {
    this.acceptor = new EventAcceptor(reference, productsPresent, duplicateWindowMs);
  }
  /** The event, or the reason the value is rejected. */
  check(value) {
    const event = this.schema.check(value);
    if (typeof event === "string") return event;
    return this.acceptor.reject(event) ?? event;
  }
};

// src/dataset/eventBatches.ts
async function* validateBatches(batches, checker) {
  for await (const raws of batches) yield validateBatch(raws, checker, true);
}
function validateBatch(raws, checker, keepOrigins) {
  const events = [];
  const origins = [];
  const rejected = [];
  for (const raw of raws) {
    const result = "error" in raw ? raw.error : checker.check(raw.value);
    if (typeof result === "string") {
      rejected.push(rejectionOf(raw.origin, result));
    } else {
      events.push(result);
      if (keepOrigins) origins.push(raw.origin);
    }
  }
  return keepOrigins ? { events, origins, rejected, read: raws.length } : { events, rejected, read: raws.length };
}

// src/dataset/readEventsInWorker.ts
import { existsSync } from "node:fs";
import { dirname, join as join2 } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

// src/dataset/eventCodec.ts
var INT_STRIDE = 13;
var NUM_STRIDE = 3;
var TYPES = ["order", "sale", "listing", "allocation"];
var TABLE_LIMIT = 1 << 14;
var EventUnpacker = class {
  table = [];
  unpack(packed) {
    const table = this.table;
    for (const value of packed.added) table.push(value);
    const { oneOff } = packed;
    const string = (ref) => ref >= 0 ? table[ref] : oneOff[-ref - 1];
    const { ints, nums } = packed;
    const events = new Array(packed.count);
    for (let i = 0; i < packed.count; i++) {
      const o = i * INT_STRIDE;
      const n = i * NUM_STRIDE;
      const type = TYPES[ints[o + 0 /* Type */]];
      const present = ints[o + 1 /* Present */];
      const id2 = string(ints[o + 2 /* Id */]);
      const occurredAt = nums[n];
      const partnerId = string(ints[o + 3 /* PartnerId */]);
      const sku = string(ints[o + 4 /* Sku */]);
      if (type === "allocation") {
        events[i] = { id: id2, occurredAt, partnerId, sku, type, lot: string(ints[o + 10 /* Lot */]), quantity: nums[n + 1] };
      } else if (type === "listing") {
        const listing = { id: id2, occurredAt, partnerId, sku, type, price: nums[n + 2], currency: string(ints[o + 5 /* Currency */]) };
        if (present & 64 /* Url */) listing.url = string(ints[o + 12 /* Url */]);
        events[i] = listing;
      } else {
        const sale = { id: id2, occurredAt, partnerId, sku, type };
        if (present & 1 /* CustomerId */) sale.customerId = string(ints[o + 6 /* CustomerId */]);
        sale.quantity = nums[n + 1];
        sale.unitPrice = nums[n + 2];
        sale.currency = string(ints[o + 5 /* Currency */]);
        if (present & 2 /* ShipTo */) {
          const shipTo = { region: string(ints[o + 7 /* Region */]) };
          if (present & 4 /* Country */) shipTo.country = string(ints[o + 8 /* Country */]);
          if (present & 8 /* PostalCode */) shipTo.postalCode = string(ints[o + 9 /* PostalCode */]);
          sale.shipTo = shipTo;
        }
        if (present & 16 /* Lot */) sale.lot = string(ints[o + 10 /* Lot */]);
        if (present & 32 /* PromotionId */) sale.promotionId = string(ints[o + 11 /* PromotionId */]);
        events[i] = sale;
      }
    }
    return events;
  }
};

// src/dataset/readEventsInWorker.ts
function eventWorkerPath() {
  const path = join2(dirname(fileURLToPath(import.meta.url)), "eventWorker.js");
  return existsSync(path) ? path : void 0;
}
function rebuildError(error) {
  if (error.name === "LimitError" && error.limit) return new LimitError(error.limit, error.message ?? "");
  if (error.name === "DatasetError" && error.file !== void 0) {
    const message = error.message ?? "";
    const prefix = `${error.file}: `;
    return new DatasetError(error.file, message.startsWith(prefix) ? message.slice(prefix.length) : message);
  }
  return new ChannelConflictError(error.code ?? "READ_FAILED", error.message ?? "reading events failed");
}
var EventReaderThread = class {
  worker;
  queue = [];
  wake;
  failure;
  taken = false;
  constructor(path, files, limits) {
    const workerData = {
      files,
      limits: { maxRecordBytes: limits.maxRecordBytes, maxJsonFileBytes: limits.maxJsonFileBytes },
      window: 256
    };
    this.worker = new Worker(path, { workerData, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    this.worker.on("message", (message) => {
      this.queue.push(message);
      this.wake?.();
    });
    this.worker.on("error", (error) => {
      this.failure = error;
      this.wake?.();
    });
    this.worker.on("exit", (code) => {
      if (code !== 0 && !this.failure) this.failure = new ChannelConflictError("READ_FAILED", `the event reader stopped with exit code ${code}`);
      this.wake?.();
    });
  }
  /** The validated event batches; once per thread. Leaving the loop early (an out-of-order dataset) stops the worker. */
  async *batches(acceptor) {
    if (this.taken) throw new Error("EventReaderThread.batches: the batches were already taken");
    this.taken = true;
    const unpacker = new EventUnpacker();
    try {
      for (; ; ) {
        while (this.queue.length === 0 && !this.failure) await new Promise((resolve) => this.wake = resolve);
        const message = this.queue.shift();
        if (!message) throw this.failure;
        if (message.type === "done") return;
        if (message.type === "error") throw rebuildError(message.error ?? {});
        this.worker.postMessage({ type: "ack" });
        yield accept(unpacker.unpack(message.packed), message, acceptor);
      }
    } finally {
      await this.close();
    }
  }
  /** Stops the worker (again, harmlessly, after the batches ran out). */
  async close() {
    await this.worker.terminate();
  }
};
function accept(events, message, acceptor) {
  let kept = events;
  let refused;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    const reason = acceptor.reject(event);
    if (reason === void 0) {
      if (kept !== events) kept.push(event);
      continue;
    }
    if (kept === events) kept = events.slice(0, i);
    (refused ??= []).push({ file: message.file, [message.at]: message.positions[i], reason });
  }
  if (!refused) return { events, rejected: message.rejected, read: message.read };
  const position = (r) => r.line ?? r.index ?? 0;
  return { events: kept, rejected: [...message.rejected, ...refused].sort((a, b) => position(a) - position(b)), read: message.read };
}

// src/dataset/loadDataset.ts
function* arrayRecords(name, items) {
  for (let index = 0; index < items.length; index++) yield { origin: { file: name, index }, value: items[index] };
}
async function* flatten(batches) {
  for await (const batch of batches) yield* batch;
}
async function* fileRecordBatches(files, limits) {
  for (const file of files) yield* readCollectionBatches(file, limits);
}
async function openDatasetReading(source, limits = DEFAULT_READ_LIMITS) {
  return open(source, limits, true);
}
async function open(source, limits, readAhead) {
  const collector = new ReferenceCollector();
  let rawEventBatches;
  let eventFiles;
  let ahead;
  if (typeof source === "string") {
    const files = await listCollectionFiles(source);
    const eventFileList = files.get("events") ?? [];
    const workerPath = eventWorkerPath();
    if (readAhead && workerPath && eventFileList.length > 0) ahead = new EventReaderThread(workerPath, eventFileList, limits);
    try {
      for (const name of COLLECTION_NAMES) {
        if (name === "events" || !files.has(name)) continue;
        collector.markPresent(name);
        for (const file of files.get(name) ?? []) for await (const raw of readCollectionFile(file, limits)) collector.add(name, raw);
      }
    } catch (error) {
      await ahead?.close();
      throw error;
    }
    eventFiles = eventFileList;
    rawEventBatches = () => fileRecordBatches(eventFileList, limits);
  } else {
    if (typeof source !== "object" || source === null || Array.isArray(source)) {
      throw new OptionsError("dataset: expected a folder path or an object of collections such as { partners, events }");
    }
    for (const name of COLLECTION_NAMES) {
      const items = Object.hasOwn(source, name) ? source[name] : void 0;
      if (items === void 0) continue;
      if (!Array.isArray(items)) throw new OptionsError(`dataset.${name}: expected an array of records, got ${typeof items}`);
      if (name === "events") continue;
      collector.markPresent(name);
      for (const raw of arrayRecords(name, items)) collector.add(name, raw);
    }
    const events = Object.hasOwn(source, "events") ? source.events ?? [] : [];
    rawEventBatches = async function* () {
      yield* batchesOf(arrayRecords("events", events));
    };
  }
  const reference = collector.finish();
  const productsPresent = collector.present.has("products");
  const eventBatches = (options) => {
    const workerPath = options?.worker === false ? void 0 : eventWorkerPath();
    if (eventFiles && eventFiles.length > 0 && workerPath) {
      const thread = ahead ?? new EventReaderThread(workerPath, eventFiles, limits);
      ahead = void 0;
      return thread.batches(new EventAcceptor(reference, productsPresent));
    }
    return validateBatches(rawEventBatches(), new EventValidator(reference, productsPresent));
  };
  return {
    reference,
    rejected: collector.rejected,
    counts: collector.counts,
    present: collector.present,
    rawEvents: () => flatten(rawEventBatches()),
    rawEventBatches,
    eventBatches,
    close: async () => {
      await ahead?.close();
      ahead = void 0;
    }
  };
}
async function loadDataset(source, limits = DEFAULT_READ_LIMITS) {
  const opened = await openDatasetReading(source, limits);
  let events;
  try {
    events = await collectEvents(opened);
  } finally {
    await opened.close();
  }
  return {
    reference: opened.reference,
    events,
    rejected: opened.rejected,
    counts: opened.counts,
    present: opened.present
  };
}
async function collectEvents(opened, onBatch) {
  const events = [];
  const counts = opened.counts.events;
  for await (const batch of opened.eventBatches()) {
    const previous = counts.read;
    counts.read += batch.read;
    counts.accepted += batch.events.length;
    counts.rejected += batch.rejected.length;
    for (const event of batch.events) events.push(event);
    for (const rejection of batch.rejected) opened.rejected.push(rejection);
    onBatch?.(counts.read, previous);
  }
  return events;
}

// src/rules/loadRules.ts
import { join as join5 } from "node:path";

// src/packageRoot.ts
import { existsSync as existsSync2, readFileSync } from "node:fs";
import { dirname as dirname2, join as join3 } from "node:path";
import { fileURLToPath as fileURLToPath2 } from "node:url";
var root;
function packageRoot() {
  if (root) return root;
  let dir = dirname2(fileURLToPath2(import.meta.url));
  for (; ; ) {
    const manifest = join3(dir, "package.json");
    if (existsSync2(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "channel-conflict") {
      root = dir;
      return dir;
    }
    const parent = dirname2(dir);
    if (parent === dir) throw new Error("channel-conflict: cannot find the package's own package.json");
    dir = parent;
  }
}

// src/io/readRuleFiles.ts
import { readdir as readdir2, readFile as readFile2, stat as stat3 } from "node:fs/promises";
import { join as join4, relative } from "node:path";
import { isNode, parseDocument, visit } from "yaml";
var RULE_FILE = /\.(json|ya?ml)$/i;
async function listRuleFiles(path) {
  let info;
  try {
    info = await stat3(path);
  } catch (error) {
    throw new DatasetError(path, `cannot read rules (${error.message})`, { cause: error });
  }
  if (!info.isDirectory()) return [path];
  const out = [];
  const entries = (await readdir2(path, { withFileTypes: true })).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const entry of entries) {
    const full = join4(path, entry.name);
    if (entry.isDirectory()) out.push(...await listRuleFiles(full));
    else if (RULE_FILE.test(entry.name)) out.push(full);
  }
  return out;
}
async function readRuleFiles(paths, maxBytes = 16 << 20) {
  const out = [];
  for (const path of paths) {
    for (const file of await listRuleFiles(path)) {
      const name = relative(process.cwd(), file) || file;
      const size = (await stat3(file)).size;
      if (size > maxBytes) {
        out.push({ file: name, error: `the file is ${size} bytes, over the rule-file limit of ${maxBytes}` });
        continue;
      }
      const text = await readFile2(file, "utf8");
      try {
        const document = /\.json$/i.test(file) ? JSON.parse(text) : parseYamlData(text);
        out.push({ file: name, document });
      } catch (error) {
        out.push({ file: name, error: `not valid ${/\.json$/i.test(file) ? "JSON" : "YAML"}: ${error.message.split("\n")[0]}` });
      }
    }
  }
  return out;
}
function parseYamlData(text) {
  const doc = parseDocument(text, {
    schema: "core",
    resolveKnownTags: false,
    uniqueKeys: true,
    prettyErrors: false,
    logLevel: "silent"
  });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw new Error(problem.message);
  let tag;
  visit(doc, (_key, node) => {
    if (isNode(node) && node.tag !== void 0) {
      tag = node.tag;
      return visit.BREAK;
    }
    return void 0;
  });
  if (tag !== void 0) throw new Error(`the tag ${tag} is not allowed; rules are plain data (strings, numbers, booleans, lists, maps)`);
  return doc.toJS({ maxAliasCount: 100 });
}

// src/reference/spanEpochs.ts
var SpanEpochs = class {
  /** Distinct span ends, ascending. */
  cuts;
  constructor(spans) {
    const cuts = /* @__PURE__ */ new Set();
    for (const span of spans) {
      if (span.from !== void 0) cuts.add(span.from);
      if (span.to !== void 0) cuts.add(span.to);
    }
    this.cuts = [...cuts].sort((a, b) => a - b);
  }
  /** The first instant of `epoch` (−Infinity for the first). */
  start(epoch) {
    return epoch === 0 ? -Infinity : this.cuts[epoch - 1];
  }
  /** The first instant after `epoch` (Infinity for the last). */
  end(epoch) {
    return epoch < this.cuts.length ? this.cuts[epoch] : Infinity;
  }
  /** The epoch of `t`: how many cuts are at or before it. */
  of(t) {
    const { cuts } = this;
    let low = 0;
    let high = cuts.length;
    while (low < high) {
      const mid = low + high >>> 1;
      if (cuts[mid] <= t) low = mid + 1;
      else high = mid;
    }
    return low;
  }
};
var EpochCache = class {
  /** `limit`: most values held; past it the cache starts over (memory stays bounded on any data). */
  /** `compute(a, b, c, t)` makes a value for a key; `limit`: most values held, past it the cache starts over. */
  constructor(epochs, compute, limit = 1e5) {
    this.epochs = epochs;
    this.compute = compute;
    this.limit = limit;
  }
  epochs;
  compute;
  limit;
  epoch = -1;
  /** The current epoch's instants: [from, to). */
  from = Infinity;
  to = -Infinity;
  size = 0;
  entries = /* @__PURE__ */ new Map();
  get(t, a, b, c) {
    if (!(t >= this.from && t < this.to)) {
      const epoch = this.epochs.of(t);
      this.from = this.epochs.start(epoch);
      this.to = this.epochs.end(epoch);
      if (epoch !== this.epoch) this.clear(epoch);
    }
    if (this.size >= this.limit) this.clear(this.epoch);
    let level1 = this.entries.get(a);
    if (!level1) this.entries.set(a, level1 = /* @__PURE__ */ new Map());
    let level2 = level1.get(b);
    if (!level2) level1.set(b, level2 = /* @__PURE__ */ new Map());
    let value = level2.get(c);
    if (value === void 0) {
      level2.set(c, value = this.compute(a, b, c, t));
      this.size++;
    }
    return value;
  }
  clear(epoch) {
    this.entries.clear();
    this.size = 0;
    this.epoch = epoch;
  }
};

// src/reference/productScope.ts
function isAll(scope) {
  return (scope.skus === void 0 || scope.skus.length === 0) && (scope.categories === void 0 || scope.categories.length === 0);
}
function scopeIncludes(scope, product) {
  if (isAll(scope)) return true;
  if (scope.skus?.includes(product.sku)) return true;
  return product.category !== void 0 && scope.categories?.includes(product.category) === true;
}
function scopesIntersect(a, b, categoryOf) {
  if (isAll(a) || isAll(b)) return true;
  const sharesSku = (x, y) => (x.skus ?? []).some((sku) => {
    const category = categoryOf(sku);
    return y.skus?.includes(sku) === true || category !== void 0 && y.categories?.includes(category) === true;
  });
  if (sharesSku(a, b) || sharesSku(b, a)) return true;
  return (a.categories ?? []).some((category) => b.categories?.includes(category) === true);
}

// src/reference/money.ts
var SCALE = 1e4;
function toMinor(amount) {
  return Math.round(amount * SCALE);
}
function fromMinor(minor) {
  return minor / SCALE;
}
var DISCOUNT_SCALE = 1000000n;
function allowedByDiscount(priceMinor, listMinor, maxDiscount) {
  const keep = DISCOUNT_SCALE - BigInt(Math.round(maxDiscount * 1e6));
  return BigInt(priceMinor) * DISCOUNT_SCALE >= BigInt(listMinor) * keep;
}
function percentBelow(valueMinor, referenceMinor) {
  if (referenceMinor === 0) return 0;
  return (referenceMinor - valueMinor) * 100 / referenceMinor;
}
function round(value, digits2 = 2) {
  const factor = FACTORS[digits2] ?? 10 ** digits2;
  return Math.round(value * factor) / factor;
}
var FACTORS = [1, 10, 100, 1e3, 1e4];
function formatMoney(amount, currency2) {
  return `${amount.toFixed(2)} ${currency2}`;
}

// src/detectors/shared.ts
function isSale(event) {
  return event.type === "order" || event.type === "sale";
}
function destinationOf(event, context) {
  if (event.shipTo) return event.shipTo.region;
  if (event.customerId === void 0) return void 0;
  return context.index.customers.get(event.customerId)?.region;
}
function day(ms) {
  return formatIsoTime(ms).slice(0, 10);
}
function describeOccurrences(count, firstAt, lastAt) {
  if (count === 1) return `on ${day(firstAt)}`;
  const span = day(firstAt) === day(lastAt) ? `on ${day(firstAt)}` : `between ${day(firstAt)} and ${day(lastAt)}`;
  return `${count} times ${span}`;
}
function listLabels(labels) {
  if (labels.length <= 1) return labels[0] ?? "";
  return `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
}
function groupKey(...parts) {
  for (const part of parts) if (part.includes("\0")) return JSON.stringify(parts);
  return parts.join("\0");
}
function pairEvidence(type, key, later, earlier) {
  return {
    groupKey: key,
    partners: [later.partnerId, earlier.partnerId],
    eventIds: [],
    refs: [
      { type, id: later.id },
      { type, id: earlier.id }
    ]
  };
}

// src/detectors/cross-region-shipping/crossRegionShipping.ts
var LotBook = class {
  slots = /* @__PURE__ */ new Map();
  partnerIds = [];
  eventIds = [];
  allocate(lot, partnerId, eventId) {
    const slot = this.slots.get(lot);
    if (slot === void 0) {
      this.slots.set(lot, this.partnerIds.length);
      this.partnerIds.push(partnerId);
      this.eventIds.push(eventId);
    } else {
      this.partnerIds[slot] = partnerId;
      this.eventIds[slot] = eventId;
    }
  }
  latest(lot) {
    const slot = this.slots.get(lot);
    return slot === void 0 ? void 0 : { partnerId: this.partnerIds[slot], eventId: this.eventIds[slot] };
  }
};
function createRun(context) {
  const { index } = context;
  const views = new EpochCache(index.territoryEpochs, (partnerId, destination, _unused, t) => ({
    covering: index.coveringTerritories(partnerId, destination, t),
    holders: index.exclusiveHolders(destination, t).filter((h) => h.partnerId !== partnerId)
  }));
  const viewOf = (partnerId, destination, t) => views.get(t, partnerId, destination, "");
  const narrow = (view, product) => {
    const holders = view.holders.filter((h) => scopeIncludes(h, product));
    return {
      covering: view.covering.filter((c) => scopeIncludes(c, product)),
      holders,
      holderIds: [...new Set(holders.map((h) => h.partnerId))].sort()
    };
  };
  const covers = (territories, product) => territories.some((t) => scopeIncludes(t, product));
  const ownProbe = { check: "out-of-territory", covered: false, intoExclusiveTerritory: false };
  const lotProbe = { check: "lot-diversion", sellerIsSource: false, covered: false };
  const restrictedPartners = /* @__PURE__ */ new Map();
  const lots = new LotBook();
  const restricted = (partnerId) => {
    let known = restrictedPartners.get(partnerId);
    if (known === void 0) {
      known = index.partners.get(partnerId)?.channel !== "direct" && index.hasTerritories(partnerId);
      restrictedPartners.set(partnerId, known);
    }
    return known;
  };
  function resolveDestination(event) {
    const destination = destinationOf(event, context);
    if (destination === void 0) {
      context.skip("cross-region-shipping: order/sale with neither ship-to nor a customer region");
      return void 0;
    }
    if (!index.regions.has(destination)) {
      context.skip("cross-region-shipping: destination region not in regions");
      return void 0;
    }
    return destination;
  }
  function outOfTerritory(event, destination) {
    const view = viewOf(event.partnerId, destination, event.occurredAt);
    const product = index.productKey(event.sku);
    ownProbe.covered = covers(view.covering, product);
    ownProbe.intoExclusiveTerritory = covers(view.holders, product);
    if (!context.mayFire("out-of-territory", ownProbe)) return void 0;
    const { covering, holders, holderIds } = narrow(view, product);
    const amount = event.unitPrice * event.quantity;
    return {
      check: "out-of-territory",
      facts: {
        check: "out-of-territory",
        sku: event.sku,
        category: index.categoryOf(event.sku) ?? null,
        partnerId: event.partnerId,
        channel: index.partners.get(event.partnerId)?.channel ?? null,
        destination,
        covered: covering.length > 0,
        exclusiveHolders: holderIds,
        intoExclusiveTerritory: holderIds.length > 0,
        quantity: event.quantity,
        amount: round(amount, 4),
        currency: event.currency
      },
      at: event.occurredAt,
      magnitude: holderIds.length > 0 ? 60 : 30,
      amount,
      currency: event.currency,
      evidence: () => ({
        groupKey: groupKey(event.partnerId, event.sku, event.currency),
        partners: [event.partnerId, ...holderIds],
        eventIds: [event.id],
        refs: [...covering, ...holders].map((t) => ({ type: "territory", id: t.id }))
      })
    };
  }
  function lotDiversion(event, lot, source, destination) {
    if (!restricted(source.partnerId)) return void 0;
    const view = viewOf(source.partnerId, destination, event.occurredAt);
    const product = index.productKey(event.sku);
    lotProbe.sellerIsSource = event.partnerId === source.partnerId;
    lotProbe.covered = covers(view.covering, product);
    if (!context.mayFire("lot-diversion", lotProbe)) return void 0;
    const { covering, holders, holderIds } = narrow(view, product);
    const amount = event.unitPrice * event.quantity;
    return {
      check: "lot-diversion",
      facts: {
        check: "lot-diversion",
        sku: event.sku,
        category: index.categoryOf(event.sku) ?? null,
        lot,
        sourcePartnerId: source.partnerId,
        sellerPartnerId: event.partnerId,
        sellerIsSource: event.partnerId === source.partnerId,
        destination,
        covered: covering.length > 0,
        exclusiveHolders: holderIds,
        quantity: event.quantity,
        amount: round(amount, 4),
        currency: event.currency
      },
      at: event.occurredAt,
      magnitude: holders.length > 0 ? 70 : 40,
      amount,
      currency: event.currency,
      evidence: () => ({
        groupKey: groupKey(source.partnerId, event.sku, event.currency),
        partners: [
          source.partnerId,
          ...[.../* @__PURE__ */ new Set([event.partnerId, ...holders.map((t) => t.partnerId)])].filter((id2) => id2 !== source.partnerId).sort()
        ],
        eventIds: [source.eventId, event.id],
        refs: [{ type: "lot", id: lot }, ...holders.map((t) => ({ type: "territory", id: t.id }))]
      })
    };
  }
  return {
    start: () => [],
    onEvent(event, out) {
      if (event.type === "allocation") {
        lots.allocate(event.lot, event.partnerId, event.id);
        return;
      }
      if (!isSale(event)) return;
      const needsOwn = restricted(event.partnerId);
      const lot = event.lot;
      const source = lot === void 0 ? void 0 : lots.latest(lot);
      if (!needsOwn && source === void 0) {
        if (lot !== void 0) context.skip("cross-region-shipping: lot sold before any allocation of it");
        return;
      }
      const destination = resolveDestination(event);
      if (destination === void 0) return;
      if (needsOwn) {
        const own = outOfTerritory(event, destination);
        if (own) out.push(own);
      }
      if (lot === void 0) return;
      if (source === void 0) {
        context.skip("cross-region-shipping: lot sold before any allocation of it");
        return;
      }
      const diversion = lotDiversion(event, lot, source, destination);
      if (diversion) out.push(diversion);
    }
  };
}
var crossRegionShipping = {
  kind: "cross-region-shipping",
  checks: ["out-of-territory", "lot-diversion"],
  params: [],
  facts: [
    { name: "check", type: "string", description: "`out-of-territory` or `lot-diversion`" },
    { name: "sku", type: "string", description: "the product" },
    { name: "category", type: "string", description: "the product's category, or null" },
    { name: "destination", type: "string", description: "the ship-to region, else the customer's region" },
    { name: "covered", type: "boolean", description: "a territory of the restricted partner (the seller, or the lot's source) valid then for this product covers the destination" },
    { name: "exclusiveHolders", type: "string[]", description: "other partners holding the destination exclusively then for this product" },
    { name: "quantity", type: "number", description: "units sold" },
    { name: "amount", type: "number", description: "unitPrice \xD7 quantity" },
    { name: "currency", type: "string", description: "the sale's currency" },
    { name: "partnerId", type: "string", checks: ["out-of-territory"], description: "the selling partner (one with territories, not direct)" },
    { name: "channel", type: "string", checks: ["out-of-territory"], description: "the selling partner's channel" },
    { name: "intoExclusiveTerritory", type: "boolean", checks: ["out-of-territory"], description: "the destination is another partner's exclusive territory" },
    { name: "lot", type: "string", checks: ["lot-diversion"], description: "the lot sold" },
    { name: "sourcePartnerId", type: "string", checks: ["lot-diversion"], description: "the partner the lot was last allocated to before the sale" },
    { name: "sellerPartnerId", type: "string", checks: ["lot-diversion"], description: "the partner that sold it" },
    { name: "sellerIsSource", type: "boolean", checks: ["lot-diversion"], description: "the source sold it itself (then out-of-territory reports it too)" }
  ],
  create: createRun,
  describe(group, context) {
    const facts = group.worst.facts;
    const when = describeOccurrences(group.count, group.firstAt, group.lastAt);
    const holders = facts.exclusiveHolders.map((id2) => context.partnerLabel(id2));
    const into = holders.length > 0 ? `, into the exclusive territory of ${listLabels(holders)}` : "";
    const money2 = formatMoney(group.amount, String(facts.currency));
    if (group.check === "lot-diversion") {
      return `Goods of lot ${String(facts.lot)} allocated to ${context.partnerLabel(String(facts.sourcePartnerId))} were sold by ${context.partnerLabel(String(facts.sellerPartnerId))} to ${String(facts.destination)}, outside the source's territory${into}, ${when} (${String(facts.sku)}, ${money2}).`;
    }
    return `${context.partnerLabel(String(facts.partnerId))} shipped ${String(facts.sku)} to ${String(facts.destination)}, outside its territory${into}, ${when} (${money2}).`;
  }
};

// src/detectors/customer-poaching/customerPoaching.ts
import { differenceInCalendarDays } from "date-fns/differenceInCalendarDays";
import { utc as utc2 } from "@date-fns/utc";

// src/reference/regionTree.ts
var RegionTree = class {
  parents = /* @__PURE__ */ new Map();
  chains = /* @__PURE__ */ new Map();
  /** False when the dataset has no regions collection: codes are then only compared for equality. */
  known;
  constructor(regions, present) {
    for (const region of regions) this.parents.set(region.code, region.parent);
    this.known = present;
  }
  /** True when the code is a region of the tree (always true when the dataset has no regions). */
  has(code) {
    return !this.known || this.parents.has(code);
  }
  /** The region and its ancestors, nearest first. */
  ancestors(code) {
    let chain = this.chains.get(code);
    if (!chain) {
      const list = [];
      let current = code;
      while (current !== void 0 && !list.includes(current)) {
        list.push(current);
        current = this.parents.get(current);
      }
      chain = list;
      this.chains.set(code, chain);
    }
    return chain;
  }
  /** True when region `a` covers region `b` (b is a or one of its descendants). */
  covers(a, b) {
    return this.ancestors(b).includes(a);
  }
  /** True when one of the two regions covers the other. */
  overlap(a, b) {
    return this.covers(a, b) || this.covers(b, a);
  }
};

// src/reference/referenceIndex.ts
function byId(a, b) {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
function byRegistration(a, b) {
  return a.registeredAt - b.registeredAt || byId(a, b);
}
function territorySpan(t) {
  return { from: t.validFrom, to: t.validTo };
}
var ReferenceIndex = class {
  regions;
  partners = /* @__PURE__ */ new Map();
  products = /* @__PURE__ */ new Map();
  customers = /* @__PURE__ */ new Map();
  territories;
  territoriesByPartner = /* @__PURE__ */ new Map();
  exclusiveByRegion = /* @__PURE__ */ new Map();
  policiesBySku = /* @__PURE__ */ new Map();
  promotions;
  registrationsByCustomer = /* @__PURE__ */ new Map();
  registrations;
  /** Epochs in which the set of valid territories stays the same. */
  territoryEpochs;
  /** Epochs in which the set of valid price policies stays the same. */
  policyEpochs;
  approvedByCustomer = /* @__PURE__ */ new Map();
  constructor(reference, present) {
    this.regions = new RegionTree(reference.regions, present.has("regions"));
    for (const partner of reference.partners) this.partners.set(partner.id, partner);
    for (const product of reference.products) this.products.set(product.sku, product);
    for (const customer of reference.customers) this.customers.set(customer.id, customer);
    this.territories = [...reference.territories].sort(byId);
    for (const territory of this.territories) {
      push(this.territoriesByPartner, territory.partnerId, territory);
      if (territory.exclusive) push(this.exclusiveByRegion, territory.region, territory);
    }
    for (const policy of [...reference.pricePolicies].sort(byId)) push(this.policiesBySku, policy.sku, policy);
    this.promotions = [...reference.promotions].sort(byId);
    this.registrations = [...reference.registrations].sort(byId);
    for (const registration of this.registrations) push(this.registrationsByCustomer, registration.customerId, registration);
    for (const [customerId, registrations] of this.registrationsByCustomer) {
      const approved = registrations.filter((r) => r.status === "approved").sort(byRegistration);
      if (approved.length > 0) this.approvedByCustomer.set(customerId, approved);
    }
    this.territoryEpochs = new SpanEpochs(this.territories.map(territorySpan));
    this.policyEpochs = new SpanEpochs(reference.pricePolicies.map((p) => ({ from: p.validFrom, to: p.validTo })));
  }
  /** The approved registration protecting the customer at `t`: the earliest registered, then the smallest id. */
  protectingRegistration(customerId, t) {
    const approved = this.approvedByCustomer.get(customerId);
    if (approved === void 0) return void 0;
    for (const registration of approved) {
      if (registration.registeredAt <= t && (registration.expiresAt === void 0 || t < registration.expiresAt)) return registration;
    }
    return void 0;
  }
  /** The product as scopes see it (its category when the catalogue knows it). */
  productKey(sku) {
    return { sku, category: this.products.get(sku)?.category };
  }
  categoryOf = (sku) => this.products.get(sku)?.category;
  /** True when the partner holds any territory at all (at any time). */
  hasTerritories(partnerId) {
    return this.territoriesByPartner.has(partnerId);
  }
  /**
   * The partner's territories valid at `t` whose region covers `region` and whose scope includes the
   * product (any scope when `product` is undefined), in id order.
   */
  coveringTerritories(partnerId, region, t, product) {
    return (this.territoriesByPartner.get(partnerId) ?? []).filter(
      (territory) => spanContains(territorySpan(territory), t) && (product === void 0 || scopeIncludes(territory, product)) && this.regions.covers(territory.region, region)
    );
  }
  /**
   * Exclusive territories of any partner valid at `t` whose region covers `region` and whose scope
   * includes the product (any scope when `product` is undefined), in id order.
   */
  exclusiveHolders(region, t, product) {
    const result = [];
    for (const code of this.regions.ancestors(region)) {
      for (const territory of this.exclusiveByRegion.get(code) ?? []) {
        if (spanContains(territorySpan(territory), t) && (product === void 0 || scopeIncludes(territory, product))) result.push(territory);
      }
    }
    return result.sort(byId);
  }
  /**
   * The price policy that applies to a sku for a channel at `t`, in `currency`, and sets `field`: a
   * policy for that channel beats a general one; among equals the latest start wins, then the smallest
   * id. `mismatch` is true when no policy in that currency applies but one in another currency does.
   */
  applicablePolicy(sku, channel, t, field, currency2) {
    let best;
    let bestRank = -1;
    let mismatch = false;
    for (const policy of this.policiesBySku.get(sku) ?? []) {
      if (policy[field] === void 0) continue;
      if (policy.channel !== void 0 && policy.channel !== channel) continue;
      if (!spanContains({ from: policy.validFrom, to: policy.validTo }, t)) continue;
      if (policy.currency !== currency2) {
        mismatch = true;
        continue;
      }
      const rank = policy.channel === void 0 ? 0 : 1;
      if (best === void 0 || rank > bestRank || rank === bestRank && (policy.validFrom ?? -Infinity) > (best.validFrom ?? -Infinity)) {
        best = policy;
        bestRank = rank;
      }
    }
    return best ? { policy: best, mismatch: false } : { mismatch };
  }
  /** Promotions running at `t` that cover the sku, the channel and the partner, largest discount first. */
  activePromotions(sku, channel, partnerId, t) {
    return this.promotions.filter(
      (promotion) => promotion.validFrom <= t && t < promotion.validTo && (promotion.skus === void 0 || promotion.skus.includes(sku)) && (promotion.channels === void 0 || promotion.channels.includes(channel)) && (promotion.partnerIds === void 0 || promotion.partnerIds.includes(partnerId))
    ).sort((a, b) => b.maxDiscount - a.maxDiscount || byId(a, b));
  }
  /** The customer's registrations, in id order. */
  registrationsOf(customerId) {
    return this.registrationsByCustomer.get(customerId) ?? [];
  }
  /** Customer ids with at least one registration, in sorted order. */
  registeredCustomers() {
    return [...this.registrationsByCustomer.keys()].sort();
  }
};
function push(map, key, value) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// src/detectors/customer-poaching/customerPoaching.ts
var LIVE_STATUSES = /* @__PURE__ */ new Set(["approved", "pending"]);
function registrationSpan(registration) {
  return { from: registration.registeredAt, to: registration.expiresAt };
}
function createRun2(context) {
  const { index } = context;
  const probe = { check: "protected-customer", protectedByOther: false };
  function duplicates() {
    const out = [];
    for (const customerId of index.registeredCustomers()) {
      const live = index.registrationsOf(customerId).filter((r) => LIVE_STATUSES.has(r.status)).sort(byRegistration);
      for (let i = 0; i < live.length; i++) {
        for (let j = i + 1; j < live.length; j++) {
          const earlier = live[i];
          const later = live[j];
          if (earlier.partnerId === later.partnerId) continue;
          if (!spansIntersect(registrationSpan(earlier), registrationSpan(later))) continue;
          const overlapEnd = Math.min(earlier.expiresAt ?? Infinity, later.expiresAt ?? Infinity);
          out.push({
            check: "duplicate-registration",
            facts: {
              check: "duplicate-registration",
              customerId,
              partnerId: later.partnerId,
              earlierPartnerId: earlier.partnerId,
              status: later.status,
              earlierStatus: earlier.status,
              bothApproved: earlier.status === "approved" && later.status === "approved",
              overlapDays: overlapEnd === Infinity ? null : differenceInCalendarDays(overlapEnd, later.registeredAt, { in: utc2 }),
              laterIsDirect: index.partners.get(later.partnerId)?.channel === "direct"
            },
            at: later.registeredAt,
            magnitude: earlier.status === "approved" && later.status === "approved" ? 60 : 30,
            amount: 0,
            evidence: () => pairEvidence("registration", groupKey(earlier.id, later.id), later, earlier)
          });
        }
      }
    }
    return out;
  }
  function protectedCustomer(event) {
    const customerId = event.customerId;
    if (customerId === void 0) return void 0;
    const owner = index.protectingRegistration(customerId, event.occurredAt);
    if (!owner) return void 0;
    probe.protectedByOther = owner.partnerId !== event.partnerId;
    if (!context.mayFire("protected-customer", probe)) return void 0;
    const amount = event.unitPrice * event.quantity;
    const sellerChannel = index.partners.get(event.partnerId)?.channel ?? null;
    const ownerChannel = index.partners.get(owner.partnerId)?.channel ?? null;
    return {
      check: "protected-customer",
      facts: {
        check: "protected-customer",
        customerId,
        sku: event.sku,
        partnerId: event.partnerId,
        channel: sellerChannel,
        ownerPartnerId: owner.partnerId,
        ownerChannel,
        protectedByOther: owner.partnerId !== event.partnerId,
        registrationAgeDays: utcDayIndex(event.occurredAt) - utcDayIndex(owner.registeredAt),
        quantity: event.quantity,
        amount: round(amount, 4),
        currency: event.currency
      },
      at: event.occurredAt,
      magnitude: 50,
      amount,
      currency: event.currency,
      evidence: () => ({
        groupKey: groupKey(event.partnerId, customerId, event.currency),
        partners: [event.partnerId, owner.partnerId],
        eventIds: [event.id],
        refs: [{ type: "registration", id: owner.id }]
      })
    };
  }
  return {
    start: duplicates,
    onEvent(event, out) {
      if (!isSale(event)) return;
      const candidate = protectedCustomer(event);
      if (candidate) out.push(candidate);
    }
  };
}
var customerPoaching = {
  kind: "customer-poaching",
  checks: ["protected-customer", "duplicate-registration"],
  params: [],
  facts: [
    { name: "check", type: "string", description: "`protected-customer` or `duplicate-registration`" },
    { name: "customerId", type: "string", description: "the customer" },
    { name: "partnerId", type: "string", description: "the selling partner, or the partner of the later registration" },
    { name: "sku", type: "string", checks: ["protected-customer"], description: "the product sold" },
    { name: "channel", type: "string", checks: ["protected-customer"], description: "the seller's channel" },
    { name: "ownerPartnerId", type: "string", checks: ["protected-customer"], description: "the partner of the earliest approved registration active at the sale" },
    { name: "ownerChannel", type: "string", checks: ["protected-customer"], description: "the owner's channel" },
    { name: "protectedByOther", type: "boolean", checks: ["protected-customer"], description: "the owner is not the seller" },
    { name: "registrationAgeDays", type: "number", checks: ["protected-customer"], description: "calendar days from the registration to the sale" },
    { name: "quantity", type: "number", checks: ["protected-customer"], description: "units sold" },
    { name: "amount", type: "number", checks: ["protected-customer"], description: "unitPrice \xD7 quantity" },
    { name: "currency", type: "string", checks: ["protected-customer"], description: "the sale's currency" },
    { name: "earlierPartnerId", type: "string", checks: ["duplicate-registration"], description: "the partner of the earlier registration" },
    { name: "status", type: "string", checks: ["duplicate-registration"], description: "status of the later registration (`approved` or `pending`)" },
    { name: "earlierStatus", type: "string", checks: ["duplicate-registration"], description: "status of the earlier registration" },
    { name: "bothApproved", type: "boolean", checks: ["duplicate-registration"], description: "both registrations are approved" },
    { name: "overlapDays", type: "number", checks: ["duplicate-registration"], description: "calendar days both are live, or null when open-ended" },
    { name: "laterIsDirect", type: "boolean", checks: ["duplicate-registration"], description: "the later registration belongs to the direct channel" }
  ],
  create: createRun2,
  describe(group, context) {
    const facts = group.worst.facts;
    const customer = context.index.customers.get(String(facts.customerId));
    const customerLabel = customer?.name ? `${customer.name} (${customer.id})` : String(facts.customerId);
    if (group.check === "duplicate-registration") {
      return `${context.partnerLabel(String(facts.partnerId))} registered customer ${customerLabel} on ${day(group.firstAt)} (${String(facts.status)}) while ${context.partnerLabel(String(facts.earlierPartnerId))} already held a live registration (${String(facts.earlierStatus)}); the earlier registration should win unless the account is reassigned.`;
    }
    return `${context.partnerLabel(String(facts.partnerId))} sold to ${customerLabel}, a customer registered to ${context.partnerLabel(String(facts.ownerPartnerId))}, ${describeOccurrences(group.count, group.firstAt, group.lastAt)} (${formatMoney(group.amount, String(facts.currency))}).`;
  }
};

// src/detectors/price-deviation/medianWindow.ts
function lowerBound(values, value) {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = low + high >>> 1;
    if (values[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
var SortedPrices = class {
  /** Blocks hold between `load / 2` and `2 × load` values (a lone block may hold fewer). */
  constructor(load = 256) {
    this.load = load;
  }
  load;
  blocks = [];
  /** The largest value of each block. */
  maxes = [];
  count = 0;
  get size() {
    return this.count;
  }
  add(value) {
    this.count++;
    const { blocks, maxes } = this;
    if (blocks.length === 0) {
      blocks.push([value]);
      maxes.push(value);
      return;
    }
    let at = lowerBound(maxes, value);
    if (at === blocks.length) {
      at--;
      blocks[at].push(value);
      maxes[at] = value;
    } else {
      const block2 = blocks[at];
      block2.splice(lowerBound(block2, value), 0, value);
    }
    const block = blocks[at];
    if (block.length > 2 * this.load) {
      const upper = block.splice(this.load);
      blocks.splice(at + 1, 0, upper);
      maxes.splice(at, 0, block[block.length - 1]);
    }
  }
  /** Removes one occurrence of `value`; a value not in the set is ignored. */
  remove(value) {
    const { blocks, maxes } = this;
    const at = lowerBound(maxes, value);
    if (at === blocks.length) return;
    const block = blocks[at];
    const position = lowerBound(block, value);
    if (block[position] !== value) return;
    this.count--;
    block.splice(position, 1);
    if (block.length === 0) {
      blocks.splice(at, 1);
      maxes.splice(at, 1);
      return;
    }
    maxes[at] = block[block.length - 1];
    if (block.length < this.load / 2 && blocks.length > 1) {
      const left = at > 0 ? at - 1 : at;
      const merged = blocks[left].concat(blocks[left + 1]);
      blocks.splice(left, 2, merged);
      maxes.splice(left, 2, merged[merged.length - 1]);
      if (merged.length > 2 * this.load) {
        const upper = merged.splice(merged.length >>> 1);
        blocks.splice(left + 1, 0, upper);
        maxes.splice(left, 0, merged[merged.length - 1]);
      }
    }
  }
  /** The median; the mean of the two middle values for an even count (NaN when empty). */
  median() {
    const n = this.count;
    let k = n >>> 1;
    const { blocks } = this;
    for (let b = 0; b < blocks.length; b++) {
      const block = blocks[b];
      if (k < block.length) {
        const upper = block[k];
        if (n % 2 === 1) return upper;
        const lower = k > 0 ? block[k - 1] : blocks[b - 1][blocks[b - 1].length - 1];
        return (lower + upper) / 2;
      }
      k -= block.length;
    }
    return NaN;
  }
};

// src/detectors/price-deviation/priceDeviation.ts
var SkuWindow = class {
  at = new Float64Array(16);
  price = new Float64Array(16);
  online = new Uint8Array(16);
  partner = new Int32Array(16);
  /** Where the oldest entry is, and how many there are. */
  head = 0;
  count = 0;
  onlinePrices = new SortedPrices();
  offlinePrices = new SortedPrices();
  add(at, price, online, partner) {
    if (this.count === this.at.length) this.resize(this.at.length * 2);
    const i = this.head + this.count & this.at.length - 1;
    this.at[i] = at;
    this.price[i] = price;
    this.online[i] = online ? 1 : 0;
    this.partner[i] = partner;
    this.count++;
    (online ? this.onlinePrices : this.offlinePrices).add(price);
  }
  /** Drops the entries at or before `start`. */
  expire(start) {
    const mask = this.at.length - 1;
    while (this.count > 0 && this.at[this.head] <= start) {
      const price = this.price[this.head];
      (this.online[this.head] === 1 ? this.onlinePrices : this.offlinePrices).remove(price);
      this.head = this.head + 1 & mask;
      this.count--;
    }
    if (this.at.length > 16 && this.count * 4 < this.at.length) this.resize(this.at.length / 2);
  }
  /** Moves the entries, oldest first, to rings of `capacity` (a power of two ≥ count). */
  resize(capacity) {
    const at = new Float64Array(capacity);
    const price = new Float64Array(capacity);
    const online = new Uint8Array(capacity);
    const partner = new Int32Array(capacity);
    const mask = this.at.length - 1;
    for (let k = 0; k < this.count; k++) {
      const i = this.head + k & mask;
      at[k] = this.at[i];
      price[k] = this.price[i];
      online[k] = this.online[i];
      partner[k] = this.partner[i];
    }
    this.at = at;
    this.price = price;
    this.online = online;
    this.partner = partner;
    this.head = 0;
  }
  /** The cheaper side's sellers, cheapest first, then the other side's (by id); `names` maps partner indexes to ids. */
  partners(onlineCheaper, names) {
    const lowest = /* @__PURE__ */ new Map();
    const others = /* @__PURE__ */ new Set();
    const mask = this.at.length - 1;
    for (let k = 0; k < this.count; k++) {
      const i = this.head + k & mask;
      const id2 = names[this.partner[i]];
      const price = this.price[i];
      if (this.online[i] === 1 === onlineCheaper) lowest.set(id2, Math.min(lowest.get(id2) ?? Infinity, price));
      else others.add(id2);
    }
    const offenders = [...lowest.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([id2]) => id2);
    return [...offenders, ...[...others].filter((id2) => !lowest.has(id2)).sort()];
  }
};
function createRun3(context) {
  const { index } = context;
  const windowDays = context.params.windowDays;
  const minSamples = context.params.minSamples;
  const windows = /* @__PURE__ */ new Map();
  const partnerIndex = /* @__PURE__ */ new Map();
  const partnerNames = [];
  const indexOf = (partnerId) => {
    let i = partnerIndex.get(partnerId);
    if (i === void 0) {
      i = partnerNames.push(partnerId) - 1;
      partnerIndex.set(partnerId, i);
    }
    return i;
  };
  const windowMs = utcDaysInMs(windowDays);
  const policyCache = (field) => new EpochCache(index.policyEpochs, (sku, channel, currency2, t) => index.applicablePolicy(sku, channel, t, field, currency2));
  const floorProbe = { check: "below-floor", belowFloor: false, promotionAllowed: false };
  const mapProbe = { check: "below-map", belowMap: false };
  const gapProbe = { check: "online-offline-gap", gapPct: 0, onlineCheaper: false, onlineSamples: 0, offlineSamples: 0 };
  const floors = policyCache("floorPrice");
  const maps = policyCache("map");
  function belowFloor(event, partner) {
    const { policy, mismatch } = floors.get(event.occurredAt, event.sku, partner.channel, event.currency);
    if (!policy) {
      if (mismatch) context.skip("price-deviation: sale currency differs from its price policy");
      return void 0;
    }
    const price = toMinor(event.unitPrice);
    const floor = toMinor(policy.floorPrice);
    const isBelow = price < floor;
    let promotionAllowed = false;
    let shown;
    if (isBelow) {
      const promotions = index.activePromotions(event.sku, partner.channel, partner.id, event.occurredAt);
      if (promotions.length > 0) {
        const listPolicy = index.applicablePolicy(event.sku, partner.channel, event.occurredAt, "listPrice", event.currency).policy;
        const product = index.products.get(event.sku);
        const list = listPolicy ? listPolicy.listPrice : product?.listPrice !== void 0 && (product.currency ?? event.currency) === event.currency ? product.listPrice : void 0;
        if (list === void 0) {
          context.skip("price-deviation: promotion without a list price in the sale's currency");
          return void 0;
        }
        const allowing = promotions.find((promotion) => allowedByDiscount(price, toMinor(list), promotion.maxDiscount));
        promotionAllowed = allowing !== void 0;
        shown = allowing ?? promotions[0];
      }
    }
    floorProbe.belowFloor = isBelow;
    floorProbe.promotionAllowed = promotionAllowed;
    if (!context.mayFire("below-floor", floorProbe)) return void 0;
    const pct = percentBelow(price, floor);
    const shortfall = isBelow ? fromMinor((floor - price) * event.quantity) : 0;
    return {
      check: "below-floor",
      facts: {
        check: "below-floor",
        sku: event.sku,
        category: index.categoryOf(event.sku) ?? null,
        partnerId: partner.id,
        channel: partner.channel,
        online: ONLINE_CHANNELS.has(partner.channel),
        currency: event.currency,
        unitPrice: event.unitPrice,
        floorPrice: policy.floorPrice,
        belowFloor: isBelow,
        belowFloorPct: round(pct, 4),
        promotionAllowed,
        quantity: event.quantity,
        amountBelowFloor: round(shortfall, 4)
      },
      at: event.occurredAt,
      magnitude: Math.max(0, pct),
      amount: shortfall,
      currency: event.currency,
      evidence: () => ({
        groupKey: groupKey(partner.id, event.sku, event.currency),
        partners: [partner.id],
        eventIds: [event.id],
        refs: [{ type: "pricePolicy", id: policy.id }, ...shown ? [{ type: "promotion", id: shown.id }] : []]
      })
    };
  }
  function belowMap(event, partner) {
    const { policy, mismatch } = maps.get(event.occurredAt, event.sku, partner.channel, event.currency);
    if (!policy) {
      if (mismatch) context.skip("price-deviation: listing currency differs from its price policy");
      return void 0;
    }
    const price = toMinor(event.price);
    const map = toMinor(policy.map);
    mapProbe.belowMap = price < map;
    if (!context.mayFire("below-map", mapProbe)) return void 0;
    const pct = percentBelow(price, map);
    return {
      check: "below-map",
      facts: {
        check: "below-map",
        sku: event.sku,
        category: index.categoryOf(event.sku) ?? null,
        partnerId: partner.id,
        channel: partner.channel,
        online: ONLINE_CHANNELS.has(partner.channel),
        currency: event.currency,
        advertisedPrice: event.price,
        map: policy.map,
        belowMap: price < map,
        belowMapPct: round(pct, 4),
        url: event.url ?? null
      },
      at: event.occurredAt,
      magnitude: Math.max(0, pct),
      amount: 0,
      currency: event.currency,
      evidence: () => ({
        groupKey: groupKey(partner.id, event.sku, event.currency),
        partners: [partner.id],
        eventIds: [event.id],
        refs: [{ type: "pricePolicy", id: policy.id }]
      })
    };
  }
  function windowOf(sku, currency2) {
    let byCurrency = windows.get(sku);
    if (!byCurrency) windows.set(sku, byCurrency = /* @__PURE__ */ new Map());
    let window = byCurrency.get(currency2);
    if (!window) byCurrency.set(currency2, window = new SkuWindow());
    return window;
  }
  function onlineOfflineGap(event, partner) {
    const window = windowOf(event.sku, event.currency);
    window.add(event.occurredAt, toMinor(event.unitPrice), ONLINE_CHANNELS.has(partner.channel), indexOf(partner.id));
    window.expire(event.occurredAt - windowMs);
    const { onlinePrices, offlinePrices } = window;
    if (onlinePrices.size < minSamples || offlinePrices.size < minSamples) return void 0;
    const onlineMedian = onlinePrices.median();
    const offlineMedian = offlinePrices.median();
    const gapPct = offlineMedian === 0 ? 0 : Math.abs(onlineMedian - offlineMedian) * 100 / offlineMedian;
    const onlineCheaper = onlineMedian < offlineMedian;
    const roundedGap = round(gapPct, 4);
    gapProbe.gapPct = roundedGap;
    gapProbe.onlineCheaper = onlineCheaper;
    gapProbe.onlineSamples = onlinePrices.size;
    gapProbe.offlineSamples = offlinePrices.size;
    if (!context.mayFire("online-offline-gap", gapProbe)) return void 0;
    return {
      check: "online-offline-gap",
      facts: {
        check: "online-offline-gap",
        sku: event.sku,
        category: index.categoryOf(event.sku) ?? null,
        currency: event.currency,
        onlineMedian: round(fromMinor(onlineMedian), 4),
        offlineMedian: round(fromMinor(offlineMedian), 4),
        gapPct: roundedGap,
        onlineCheaper,
        onlineSamples: onlinePrices.size,
        offlineSamples: offlinePrices.size,
        windowDays
      },
      at: event.occurredAt,
      magnitude: gapPct,
      amount: fromMinor(Math.abs(offlineMedian - onlineMedian) * event.quantity),
      currency: event.currency,
      // The cheaper side's sellers are the offenders; read from the window before it moves on.
      evidence: () => ({
        groupKey: groupKey(event.sku, event.currency),
        partners: window.partners(onlineCheaper, partnerNames),
        eventIds: [event.id],
        refs: []
      })
    };
  }
  return {
    start: () => [],
    onEvent(event, out) {
      if (isSale(event)) {
        const partner = index.partners.get(event.partnerId);
        if (!partner) return;
        const floor = belowFloor(event, partner);
        if (floor) out.push(floor);
        const gap = onlineOfflineGap(event, partner);
        if (gap) out.push(gap);
      } else if (event.type === "listing") {
        const partner = index.partners.get(event.partnerId);
        if (!partner) return;
        const map = belowMap(event, partner);
        if (map) out.push(map);
      }
    }
  };
}
var priceDeviation = {
  kind: "price-deviation",
  checks: ["below-floor", "below-map", "online-offline-gap"],
  params: [
    { name: "windowDays", default: 30, min: 1, description: "length of the rolling window of the online/offline medians, in days" },
    { name: "minSamples", default: 3, min: 1, description: "order/sale events each side needs in the window before medians are compared" }
  ],
  facts: [
    { name: "check", type: "string", description: "`below-floor`, `below-map` or `online-offline-gap`" },
    { name: "sku", type: "string", description: "the product" },
    { name: "category", type: "string", description: "the product's category, or null when the catalogue does not know it" },
    { name: "currency", type: "string", description: "the currency of the prices compared" },
    { name: "partnerId", type: "string", checks: ["below-floor", "below-map"], description: "the selling or advertising partner" },
    { name: "channel", type: "string", checks: ["below-floor", "below-map"], description: "the partner's channel" },
    { name: "online", type: "boolean", checks: ["below-floor", "below-map"], description: "true for the `ecommerce` and `marketplace` channels" },
    { name: "unitPrice", type: "number", checks: ["below-floor"], description: "the net unit price of the order/sale" },
    { name: "floorPrice", type: "number", checks: ["below-floor"], description: "the floor of the applicable policy (channel-specific beats general)" },
    { name: "belowFloor", type: "boolean", checks: ["below-floor"], description: "unitPrice < floorPrice, compared exactly (equal is not below)" },
    { name: "belowFloorPct", type: "number", checks: ["below-floor"], description: "(floor \u2212 price) / floor \xD7 100; negative when above the floor" },
    { name: "promotionAllowed", type: "boolean", checks: ["below-floor"], description: "an active promotion covering sku, channel and partner allows this price (\u2265 list \xD7 (1 \u2212 maxDiscount))" },
    { name: "quantity", type: "number", checks: ["below-floor"], description: "units sold" },
    { name: "amountBelowFloor", type: "number", checks: ["below-floor"], description: "(floor \u2212 price) \xD7 quantity when below, else 0" },
    { name: "advertisedPrice", type: "number", checks: ["below-map"], description: "the observed advertised price" },
    { name: "map", type: "number", checks: ["below-map"], description: "the minimum advertised price of the applicable policy" },
    { name: "belowMap", type: "boolean", checks: ["below-map"], description: "advertisedPrice < map, compared exactly" },
    { name: "belowMapPct", type: "number", checks: ["below-map"], description: "(map \u2212 price) / map \xD7 100" },
    { name: "url", type: "string", checks: ["below-map"], description: "where the listing was seen, or null" },
    { name: "onlineMedian", type: "number", checks: ["online-offline-gap"], description: "median unit price of online orders/sales in the window" },
    { name: "offlineMedian", type: "number", checks: ["online-offline-gap"], description: "median unit price of offline orders/sales (direct included) in the window" },
    { name: "gapPct", type: "number", checks: ["online-offline-gap"], description: "|online \u2212 offline| / offline \xD7 100" },
    { name: "onlineCheaper", type: "boolean", checks: ["online-offline-gap"], description: "true when the online median is below the offline one" },
    { name: "onlineSamples", type: "number", checks: ["online-offline-gap"], description: "online orders/sales in the window" },
    { name: "offlineSamples", type: "number", checks: ["online-offline-gap"], description: "offline orders/sales in the window" },
    { name: "windowDays", type: "number", checks: ["online-offline-gap"], description: "the window length the medians were taken over" }
  ],
  create: createRun3,
  describe(group, context) {
    const facts = group.worst.facts;
    const who = context.partnerLabel(group.partners[0] ?? "");
    const when = describeOccurrences(group.count, group.firstAt, group.lastAt);
    const currency2 = String(facts.currency);
    switch (group.check) {
      case "below-floor":
        return `${who} sold ${String(facts.sku)} below its floor price ${when}: lowest ${formatMoney(Number(facts.unitPrice), currency2)} against a floor of ${formatMoney(Number(facts.floorPrice), currency2)} (${round(Number(facts.belowFloorPct), 1)}% below), ${formatMoney(group.amount, currency2)} under the floor in all, with no promotion allowing it.`;
      case "below-map":
        return `${who} advertised ${String(facts.sku)} below MAP ${when}: lowest ${formatMoney(Number(facts.advertisedPrice), currency2)} against a MAP of ${formatMoney(Number(facts.map), currency2)} (${round(Number(facts.belowMapPct), 1)}% below)${facts.url ? ` at ${String(facts.url)}` : ""}.`;
      default: {
        const sellers = listLabels(group.partners.slice(0, 3).map((id2) => context.partnerLabel(id2)));
        return `${String(facts.sku)}: the online median price was ${round(Number(facts.gapPct), 1)}% ${facts.onlineCheaper ? "below" : "above"} the offline median (online ${formatMoney(Number(facts.onlineMedian), currency2)}, offline ${formatMoney(Number(facts.offlineMedian), currency2)}, ${String(facts.windowDays)}-day window) ${when}; cheapest sellers: ${sellers}.`;
      }
    }
  }
};

// src/detectors/territory-overlap/territoryOverlap.ts
function describeScope(territory) {
  const parts = [...territory.skus ?? [], ...(territory.categories ?? []).map((c) => `category ${c}`)];
  return parts.length === 0 ? "all products" : parts.join(", ");
}
function laterFirst(a, b) {
  const startA = a.validFrom ?? -Infinity;
  const startB = b.validFrom ?? -Infinity;
  if (startA !== startB) return startA > startB ? [a, b] : [b, a];
  return a.id > b.id ? [a, b] : [b, a];
}
function createRun4(context) {
  const { index } = context;
  function overlaps() {
    const exclusive = index.territories.filter((t) => t.exclusive);
    const out = [];
    for (let i = 0; i < exclusive.length; i++) {
      for (let j = i + 1; j < exclusive.length; j++) {
        const a = exclusive[i];
        const b = exclusive[j];
        if (a.partnerId === b.partnerId) continue;
        if (!index.regions.overlap(a.region, b.region)) continue;
        if (!spansIntersect({ from: a.validFrom, to: a.validTo }, { from: b.validFrom, to: b.validTo })) continue;
        if (!scopesIntersect(a, b, index.categoryOf)) continue;
        const [later, earlier] = laterFirst(a, b);
        const overlapFrom = Math.max(a.validFrom ?? -Infinity, b.validFrom ?? -Infinity);
        const overlapTo = Math.min(a.validTo ?? Infinity, b.validTo ?? Infinity);
        const sameRegion = a.region === b.region;
        out.push({
          check: "exclusive-overlap",
          facts: {
            check: "exclusive-overlap",
            partnerId: later.partnerId,
            otherPartnerId: earlier.partnerId,
            region: later.region,
            otherRegion: earlier.region,
            sameRegion,
            overlapRegion: index.regions.covers(a.region, b.region) ? b.region : a.region,
            overlapFrom: overlapFrom === -Infinity ? null : new Date(overlapFrom).toISOString(),
            overlapTo: overlapTo === Infinity ? null : new Date(overlapTo).toISOString(),
            openEnded: overlapTo === Infinity
          },
          at: overlapFrom === -Infinity ? 0 : overlapFrom,
          magnitude: sameRegion ? 80 : 50,
          amount: 0,
          evidence: () => pairEvidence("territory", groupKey(a.id, b.id), later, earlier)
        });
      }
    }
    return out;
  }
  return { start: overlaps, onEvent: () => void 0 };
}
var territoryOverlap = {
  kind: "territory-overlap",
  checks: ["exclusive-overlap"],
  params: [],
  facts: [
    { name: "check", type: "string", description: "`exclusive-overlap`" },
    { name: "partnerId", type: "string", description: "the partner of the later grant" },
    { name: "otherPartnerId", type: "string", description: "the partner of the earlier grant" },
    { name: "region", type: "string", description: "the later grant's region" },
    { name: "otherRegion", type: "string", description: "the earlier grant's region" },
    { name: "sameRegion", type: "boolean", description: "both grants are for the same region" },
    { name: "overlapRegion", type: "string", description: "the smaller of the two regions: the ground both claim" },
    { name: "overlapFrom", type: "string", description: "ISO start of the common span, or null when both are open" },
    { name: "overlapTo", type: "string", description: "ISO end of the common span, or null when open" },
    { name: "openEnded", type: "boolean", description: "the common span has no end" }
  ],
  create: createRun4,
  describe(group, context) {
    const facts = group.worst.facts;
    const [laterRef, earlierRef] = group.worstEvidence.refs;
    const later = context.index.territories.find((t) => t.id === laterRef?.id);
    const earlier = context.index.territories.find((t) => t.id === earlierRef?.id);
    const since = facts.overlapFrom === null ? "with no start date" : `from ${day(group.firstAt)}`;
    const until = facts.overlapTo === null ? "" : ` until ${String(facts.overlapTo).slice(0, 10)}`;
    return `${context.partnerLabel(String(facts.partnerId))} was granted ${String(facts.region)} exclusively (${later?.id ?? "?"}, ${later ? describeScope(later) : ""}) while ${context.partnerLabel(String(facts.otherPartnerId))} holds ${String(facts.otherRegion)} exclusively (${earlier?.id ?? "?"}, ${earlier ? describeScope(earlier) : ""}); both claim ${String(facts.overlapRegion)} ${since}${until}.`;
  }
};

// src/detectors/registry.ts
var DETECTORS = {
  "price-deviation": priceDeviation,
  "territory-overlap": territoryOverlap,
  "cross-region-shipping": crossRegionShipping,
  "customer-poaching": customerPoaching
};

// src/findings/types.ts
var SEVERITIES = ["low", "medium", "high", "critical"];
var CONFLICT_KINDS = ["price-deviation", "territory-overlap", "cross-region-shipping", "customer-poaching"];

// src/engine/operators/coveredBy.ts
function coveredBy(regions) {
  return (factValue, jsonValue) => {
    if (typeof factValue !== "string") return false;
    const targets = Array.isArray(jsonValue) ? jsonValue : [jsonValue];
    return targets.some((target) => typeof target === "string" && regions.covers(target, factValue));
  };
}

// src/engine/operators/index.ts
function customOperators(env) {
  return /* @__PURE__ */ new Map([["coveredBy", coveredBy(env.regions)]]);
}
var BUILT_IN_OPERATORS = [
  "equal",
  "notEqual",
  "in",
  "notIn",
  "contains",
  "doesNotContain",
  "lessThan",
  "lessThanInclusive",
  "greaterThan",
  "greaterThanInclusive"
];
var OPERATOR_DECORATORS = ["someFact", "someValue", "everyFact", "everyValue", "swap", "not"];
var KNOWN_OPERATORS = [...BUILT_IN_OPERATORS, "coveredBy"];

// src/engine/pathResolver.ts
var SAFE_PATH_PATTERN = /^\$(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/;
var SEGMENT = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]/g;
function resolveSafePath(value, path) {
  if (!SAFE_PATH_PATTERN.test(path)) return void 0;
  let current = value;
  for (const match of path.slice(1).matchAll(SEGMENT)) {
    if (current === null || typeof current !== "object") return void 0;
    const key = match[1] ?? Number(match[2]);
    if (!Object.hasOwn(current, key)) return void 0;
    current = current[key];
  }
  return current;
}

// src/schema/rules.ts
import { z as z3 } from "zod";
var ruleTestSchema = z3.strictObject({
  name: z3.string().min(1, "must be a non-empty string"),
  /** Inline collections, or a dataset folder relative to the rule file. */
  dataset: z3.union([z3.string().min(1), z3.record(z3.string(), z3.array(z3.unknown()))]),
  /** How many findings of this rule the dataset must produce (0 for a look-alike that must not fire). */
  expectFindings: z3.number().int().min(0),
  /** Partner lists the findings must have, offender first (order-insensitive across findings). */
  expectPartners: z3.array(z3.array(z3.string())).optional()
});
var ruleSchema = z3.strictObject({
  id: z3.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be letters, digits, `.`, `_` or `-`, starting with a letter or digit"),
  kind: z3.enum(CONFLICT_KINDS),
  severity: z3.enum(SEVERITIES),
  title: z3.string().min(1, "must be a non-empty string"),
  description: z3.string().optional(),
  remediation: z3.string().optional(),
  tags: z3.array(z3.string()).optional(),
  enabled: z3.boolean().default(true),
  params: z3.record(z3.string(), z3.number().finite()).default({}),
  /** Checked by the rule validator against json-rules-engine's syntax and the kind's facts. */
  conditions: z3.unknown().optional(),
  tests: z3.array(ruleTestSchema).optional()
});
var factConditionSchema = z3.strictObject({
  fact: z3.string().min(1, "must name a fact"),
  operator: z3.string().min(1, "must name an operator"),
  value: z3.unknown(),
  path: z3.string().optional(),
  params: z3.record(z3.string(), z3.unknown()).optional(),
  name: z3.string().optional(),
  priority: z3.number().int().positive().optional()
});

// src/rules/validateRules.ts
var GROUPING_PARAMS = [
  {
    name: "groupGapDays",
    default: 30,
    min: 0,
    description: "repeated violations of a rule on one key join one finding until the key has been quiet this many days"
  }
];
var MAX_CONDITION_DEPTH = 32;
var MAX_VALUE_DEPTH = 32;
function nestingDepth(value, limit) {
  let deepest = 0;
  const stack = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop();
    if (depth > limit) return depth;
    deepest = Math.max(deepest, depth);
    if (typeof current === "object" && current !== null) {
      for (const child of Object.values(current)) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}
var MAX_CONDITIONS = 1e3;
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function factsOf(kind) {
  return new Set(DETECTORS[kind].facts.map((fact) => fact.name));
}
function checkOperator(operator) {
  const parts = operator.split(":");
  const base = parts[parts.length - 1];
  const decorators = parts.slice(0, -1);
  const badDecorator = decorators.find((d) => !OPERATOR_DECORATORS.includes(d));
  if (badDecorator !== void 0) {
    return `unknown operator decorator "${badDecorator}"; expected one of ${OPERATOR_DECORATORS.join(", ")}`;
  }
  if (!KNOWN_OPERATORS.includes(base)) return `unknown operator "${base}"; expected one of ${KNOWN_OPERATORS.join(", ")}`;
  return void 0;
}
function checkCondition(node, path, context, depth) {
  const report = (at, message) => context.problems.push([formatPath(at), message]);
  if (++context.count > MAX_CONDITIONS) {
    if (context.count === MAX_CONDITIONS + 1) report(path, `more than ${MAX_CONDITIONS} conditions in one rule`);
    return;
  }
  if (depth > MAX_CONDITION_DEPTH) {
    report(path, `conditions nest deeper than ${MAX_CONDITION_DEPTH} levels`);
    return;
  }
  if (!isObject(node)) {
    report(path, `expected a condition object (all, any, not, or fact/operator/value), got ${Array.isArray(node) ? "an array" : typeof node}`);
    return;
  }
  const booleans = ["all", "any", "not"].filter((key) => Object.hasOwn(node, key));
  if (Object.hasOwn(node, "condition")) {
    report([...path, "condition"], "named condition references are not supported; write the conditions inline");
    return;
  }
  if (booleans.length > 1) {
    report(path, `has ${booleans.join(" and ")}; expected exactly one of all, any, not`);
    return;
  }
  const booleanKey = booleans[0];
  if (booleanKey !== void 0) {
    const extra = Object.keys(node).filter((key) => key !== booleanKey && key !== "name" && key !== "priority");
    for (const key of extra) report([...path, key], `unexpected key beside "${booleanKey}"`);
    const inner = node[booleanKey];
    if (booleanKey === "not") {
      checkCondition(inner, [...path, "not"], context, depth + 1);
    } else if (!Array.isArray(inner)) {
      report([...path, booleanKey], `expected an array of conditions, got ${typeof inner}`);
    } else if (inner.length === 0) {
      report([...path, booleanKey], "must hold at least one condition");
    } else {
      inner.forEach((child, i) => checkCondition(child, [...path, booleanKey, i], context, depth + 1));
    }
    return;
  }
  if (depth === 0) {
    report(path, 'the root must be "all", "any" or "not"');
    return;
  }
  const parsed = factConditionSchema.safeParse(node, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) context.problems.push([formatPath([...path, ...issue.path]), formatIssues([issue]).replace(/^[^:]*: /, "")]);
    return;
  }
  const leaf = parsed.data;
  if (!Object.hasOwn(node, "value")) report([...path, "value"], "is missing; expected the value to compare the fact with");
  else if (nestingDepth(node.value, MAX_VALUE_DEPTH) > MAX_VALUE_DEPTH) {
    report([...path, "value"], `nests deeper than ${MAX_VALUE_DEPTH} levels`);
  }
  if (!context.facts.has(leaf.fact)) {
    report([...path, "fact"], `unknown fact "${leaf.fact}" for kind ${context.kind}; expected one of ${[...context.facts].sort().join(", ")}`);
  }
  const operatorProblem = checkOperator(leaf.operator);
  if (operatorProblem) report([...path, "operator"], operatorProblem);
  const base = leaf.operator.split(":");
  const comparesToFact = isObject(leaf.value) && Object.hasOwn(leaf.value, "fact");
  const needsList = base.includes("someValue") || base.includes("everyValue") || ["in", "notIn"].includes(base[base.length - 1]);
  if (needsList && !comparesToFact && !Array.isArray(leaf.value) && !base.includes("swap")) {
    report([...path, "value"], `operator "${leaf.operator}" needs a list value, got ${JSON.stringify(leaf.value)}`);
  }
  if (leaf.path !== void 0 && !SAFE_PATH_PATTERN.test(leaf.path)) {
    report([...path, "path"], `unsupported path "${leaf.path}"; expected a plain path such as $.field or $.list[0] (no filters or expressions)`);
  }
  if (isObject(leaf.value) && Object.hasOwn(leaf.value, "fact")) {
    const other = leaf.value.fact;
    if (typeof other !== "string" || !context.facts.has(other)) {
      report([...path, "value", "fact"], `unknown fact ${JSON.stringify(other)} for kind ${context.kind}`);
    }
  }
}
function conditionProblems(kind, conditions) {
  const context = { facts: factsOf(kind), kind, problems: [], count: 0 };
  checkCondition(conditions, ["conditions"], context, 0);
  return context.problems.map(([path, message]) => [path, message]);
}
function validateRule(input, file) {
  const problems = [];
  const parsed = ruleSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        const allowed = issue.path[0] === "tests" ? Object.keys(ruleTestSchema.shape) : Object.keys(ruleSchema.shape);
        for (const key of issue.keys) {
          problems.push({ path: formatPath([...issue.path, key]), message: `unknown key; expected one of ${allowed.join(", ")}` });
        }
      } else {
        problems.push({ path: formatPath(issue.path), message: formatIssues([issue]).replace(/^[^:]*: /, "") });
      }
    }
  }
  const kind = isObject(input) && CONFLICT_KINDS.includes(input.kind) ? input.kind : void 0;
  if (kind && isObject(input) && Object.hasOwn(input, "conditions")) {
    for (const [path, message] of conditionProblems(kind, input.conditions)) problems.push({ path, message });
  } else if (isObject(input) && !Object.hasOwn(input, "conditions")) {
    problems.push({ path: "conditions", message: "is missing; expected json-rules-engine conditions (all, any or not)" });
  }
  let params = {};
  const docs = kind ? [...DETECTORS[kind].params, ...GROUPING_PARAMS] : [];
  if (kind && isObject(input) && isObject(input.params) && Object.hasOwn(input.params, "__proto__")) {
    problems.push({ path: "params.__proto__", message: `unknown parameter for kind ${kind}; expected one of ${docs.map((d) => d.name).join(", ")}` });
  }
  if (kind && parsed.success) {
    for (const name of Object.keys(parsed.data.params)) {
      const doc = docs.find((d) => d.name === name);
      const value = parsed.data.params[name];
      if (!doc) {
        problems.push({
          path: `params.${name}`,
          message: `unknown parameter for kind ${kind}; expected one of ${docs.map((d) => d.name).join(", ")}`
        });
      } else if (value < doc.min) {
        problems.push({ path: `params.${name}`, message: `must be at least ${doc.min}, got ${value}` });
      }
    }
    params = Object.fromEntries(docs.map((d) => [d.name, parsed.data.params[d.name] ?? d.default]));
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  const data = parsed.data;
  return {
    ok: true,
    rule: {
      id: data.id,
      kind: data.kind,
      severity: data.severity,
      title: data.title,
      ...data.description !== void 0 ? { description: data.description } : {},
      ...data.remediation !== void 0 ? { remediation: data.remediation } : {},
      ...data.tags !== void 0 ? { tags: data.tags } : {},
      enabled: data.enabled,
      params,
      conditions: data.conditions,
      ...data.tests !== void 0 ? { tests: data.tests } : {},
      file
    }
  };
}
function validateRuleDocuments(documents) {
  const rules2 = [];
  const problems = [];
  const firstFile = /* @__PURE__ */ new Map();
  for (const doc of documents) {
    if (doc.error !== void 0) {
      problems.push({ file: doc.file, path: "(file)", message: doc.error });
      continue;
    }
    const items = Array.isArray(doc.document) ? doc.document : [doc.document];
    if (Array.isArray(doc.document) && doc.document.length === 0) {
      problems.push({ file: doc.file, path: "(file)", message: "holds no rules; expected a rule or a list of rules" });
    }
    items.forEach((item, i) => {
      const prefix = Array.isArray(doc.document) ? `[${i}]` : "";
      const result = validateRule(item, doc.file);
      if (!result.ok) {
        for (const p of result.problems) {
          problems.push({ file: doc.file, path: prefix === "" ? p.path : p.path.startsWith("[") ? `${prefix}${p.path}` : `${prefix}.${p.path}`, message: p.message });
        }
        return;
      }
      const seen = firstFile.get(result.rule.id);
      if (seen !== void 0) {
        problems.push({ file: doc.file, path: `${prefix}${prefix ? "." : ""}id`, message: `duplicate rule id "${result.rule.id}", first defined in ${seen}` });
        return;
      }
      firstFile.set(result.rule.id, doc.file);
      rules2.push(result.rule);
    });
  }
  return { rules: rules2, problems };
}

// src/rules/loadRules.ts
function shippedRulesPath() {
  return join5(packageRoot(), "rules");
}
async function loadRules(source) {
  let documents;
  if (source === void 0) documents = await readRuleFiles([shippedRulesPath()]);
  else if (typeof source === "string") documents = await readRuleFiles([source]);
  else if (Array.isArray(source)) documents = await readRuleFiles(source);
  else documents = [{ file: "(rules)", document: [...source.rules] }];
  const { rules: rules2, problems } = validateRuleDocuments(documents);
  if (problems.length > 0) throw new RuleSetError(problems);
  return { rules: rules2 };
}

// src/engine/createEvaluator.ts
import { Engine } from "json-rules-engine";

// src/engine/compileConditions.ts
function compileConditions(conditions, operators) {
  const context = { operators: operatorMapFor(operators), copies: /* @__PURE__ */ new Map() };
  const root2 = compileRoot(conditions, context);
  return (facts) => {
    if (isEnumerable.call(facts, "")) throw new Error("factId required");
    return root2(facts) ? true : false;
  };
}
var hasOwn = (value, key) => Object.prototype.hasOwnProperty.call(value, key);
var isEnumerable = Object.prototype.propertyIsEnumerable;
function thrower(error) {
  return () => {
    throw error();
  };
}
function compileRoot(conditions, context) {
  if (!conditions) return thrower(() => new TypeError("Cannot read properties of undefined (reading 'any')"));
  if (!hasOwn(conditions, "all") && !hasOwn(conditions, "any") && !hasOwn(conditions, "not") && !hasOwn(conditions, "condition")) {
    throw new Error('"conditions" root must contain a single instance of "all", "any", "not", or "condition"');
  }
  const node = compileNode(conditions, context, true);
  return node.run;
}
function compileNode(properties, context, isRoot) {
  if (!properties) throw new Error("Condition: constructor options required");
  const booleanOperator = booleanOperatorOf(properties);
  const props = properties;
  if (booleanOperator !== void 0) {
    const sub = props[booleanOperator];
    const subIsArray = Array.isArray(sub);
    if (booleanOperator !== "not" && !subIsArray) throw new Error(`"${booleanOperator}" must be an array`);
    if (booleanOperator === "not" && subIsArray) throw new Error(`"${booleanOperator}" cannot be an array`);
    const priority = Number.parseInt(props.priority, 10) || 1;
    let run;
    if (booleanOperator === "not") {
      const child = compileNode(sub, context, false).run;
      run = (facts) => !child(facts);
    } else {
      const children = sub.map((c) => compileNode(c, context, false));
      run = compileJunction(children, booleanOperator);
    }
    const isReference = hasOwn(properties, "condition");
    if (isRoot) return { run, priority };
    if (isReference) return { run: referenceThrower(props.condition), priority };
    const inner = run;
    return { run: (facts) => inner(facts) === true, priority };
  }
  if (hasOwn(properties, "condition")) {
    return { run: referenceThrower(props.condition), priority: copy(props.priority, context) };
  }
  if (!hasOwn(properties, "fact")) throw new Error('Condition: constructor "fact" property required');
  if (!hasOwn(properties, "operator")) throw new Error('Condition: constructor "operator" property required');
  if (!hasOwn(properties, "value")) throw new Error('Condition: constructor "value" property required');
  if (hasOwn(properties, "priority")) {
    Number.parseInt(props.priority, 10);
    if (!isWritable(properties, "priority")) {
      throw new TypeError("Cannot assign to read only property 'priority' of object");
    }
  }
  return { run: compileLeaf(props, context), priority: copy(props.priority, context) };
}
function isWritable(object, key) {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (!descriptor) return Object.isExtensible(object);
  if ("value" in descriptor) return descriptor.writable === true;
  return descriptor.set !== void 0;
}
function booleanOperatorOf(condition) {
  if (hasOwn(condition, "any")) return "any";
  if (hasOwn(condition, "all")) return "all";
  if (hasOwn(condition, "not")) return "not";
  return void 0;
}
function referenceThrower(name) {
  return thrower(() => new Error(`No condition ${String(name)} exists`));
}
function compileJunction(children, operator) {
  if (children.length === 0) return () => true;
  if (children.length === 1) return children[0].run;
  let sets;
  try {
    sets = prioritizeConditions(children).map((set) => set.map((child) => child.run));
  } catch (error) {
    return thrower(() => error);
  }
  if (sets.length === 1) {
    const only = sets[0];
    if (operator === "all") {
      return (facts) => {
        let every = true;
        for (let i = 0; i < only.length; i++) if (only[i](facts) !== true) every = false;
        return every;
      };
    }
    return (facts) => {
      let some = false;
      for (let i = 0; i < only.length; i++) if (only[i](facts) === true) some = true;
      return some;
    };
  }
  if (operator === "all") {
    return (facts) => {
      for (const set of sets) {
        let every = true;
        for (let i = 0; i < set.length; i++) if (set[i](facts) !== true) every = false;
        if (!every) return false;
      }
      return true;
    };
  }
  return (facts) => {
    for (const set of sets) {
      let some = false;
      for (let i = 0; i < set.length; i++) if (set[i](facts) === true) some = true;
      if (some) return true;
    }
    return false;
  };
}
function prioritizeConditions(children) {
  const factSets = children.reduce((sets, condition) => {
    let priority = condition.priority;
    if (!priority) priority = 1;
    const key = priority;
    if (!sets[key]) sets[key] = [];
    sets[key].push(condition);
    return sets;
  }, {});
  return Object.keys(factSets).sort((a, b) => Number(a) > Number(b) ? -1 : 1).map((priority) => factSets[priority]);
}
function factReader(factId, path) {
  if (typeof factId !== "string") return () => void 0;
  if (!path) return (facts) => isEnumerable.call(facts, factId) ? facts[factId] : void 0;
  return (facts) => {
    if (!isEnumerable.call(facts, factId)) return void 0;
    const value = facts[factId];
    return value != null && typeof value === "object" ? resolveSafePath(value, path) : value;
  };
}
function compileLeaf(props, context) {
  const factId = copy(props.fact, context);
  const operatorName = copy(props.operator, context);
  const value = copy(props.value, context);
  const path = copy(props.path, context);
  let op;
  try {
    op = context.operators.get(operatorName);
  } catch (error) {
    return thrower(() => error);
  }
  if (!op) return thrower(() => new Error(`Unknown operator: ${String(operatorName)}`));
  const operator = op;
  const left = factReader(factId, path);
  if (value != null && typeof value === "object" && hasOwn(value, "fact")) {
    const ref = value;
    const right = factReader(ref.fact, ref.path);
    return (facts) => operator.evaluate(left(facts), right(facts));
  }
  if (operator.builtin === "equal") return (facts) => left(facts) === value;
  if (operator.builtin === "notEqual") return (facts) => left(facts) !== value;
  return (facts) => operator.evaluate(left(facts), value);
}
function copy(value, context) {
  if (value === null || typeof value !== "object") return value;
  const seen = context.copies.get(value);
  if (seen !== void 0) return seen;
  if (value instanceof Map || value instanceof Set || value instanceof Date || value instanceof RegExp || value instanceof Promise) {
    return value;
  }
  let proto;
  let child;
  if (Array.isArray(value)) {
    child = [];
  } else {
    proto = Object.getPrototypeOf(value);
    child = Object.create(proto);
  }
  context.copies.set(value, child);
  const source = value;
  for (const key in source) {
    if (proto) {
      const attrs = Object.getOwnPropertyDescriptor(proto, key);
      if (attrs && attrs.set == null) continue;
    }
    child[key] = copy(source[key], context);
  }
  return child;
}
var Operator = class {
  name;
  evaluate;
  /** Set on the engine's own, undecorated `equal`/`notEqual` (for a fast path). */
  builtin;
  constructor(name, cb, factValueValidator, builtin) {
    this.name = String(name);
    if (!name) throw new Error("Missing operator name");
    if (typeof cb !== "function") throw new Error("Missing operator callback");
    this.builtin = builtin;
    const validator = factValueValidator;
    this.evaluate = validator ? (fact, value) => validator(fact) && cb(fact, value) : (fact, value) => cb(fact, value);
  }
};
var OperatorDecorator = class {
  constructor(name, cb, factValueValidator) {
    this.name = name;
    this.cb = cb;
    this.factValueValidator = factValueValidator;
  }
  name;
  cb;
  factValueValidator;
  decorate(operator) {
    const next = operator.evaluate;
    const cb = this.cb;
    return new Operator(`${this.name}:${operator.name}`, (fact, value) => cb(fact, value, next), this.factValueValidator);
  }
};
function numberValidator(factValue) {
  if (typeof factValue === "number") return !Number.isNaN(factValue);
  return Number.parseFloat(factValue).toString() !== "NaN";
}
function defaultOperators() {
  return [
    new Operator("equal", (a, b) => a === b, void 0, "equal"),
    new Operator("notEqual", (a, b) => a !== b, void 0, "notEqual"),
    new Operator("in", (a, b) => b.indexOf(a) > -1),
    new Operator("notIn", (a, b) => b.indexOf(a) === -1),
    new Operator("contains", (a, b) => a.indexOf(b) > -1, Array.isArray),
    new Operator("doesNotContain", (a, b) => a.indexOf(b) === -1, Array.isArray),
    new Operator("lessThan", (a, b) => a < b, numberValidator),
    new Operator("lessThanInclusive", (a, b) => a <= b, numberValidator),
    new Operator("greaterThan", (a, b) => a > b, numberValidator),
    new Operator("greaterThanInclusive", (a, b) => a >= b, numberValidator)
  ];
}
function defaultDecorators() {
  return [
    new OperatorDecorator("someFact", (f, v, next) => f.some((fv) => next(fv, v)), Array.isArray),
    new OperatorDecorator("someValue", (f, v, next) => v.some((jv) => next(f, jv))),
    new OperatorDecorator("everyFact", (f, v, next) => f.every((fv) => next(fv, v)), Array.isArray),
    new OperatorDecorator("everyValue", (f, v, next) => v.every((jv) => next(f, jv))),
    new OperatorDecorator("swap", (f, v, next) => next(v, f)),
    new OperatorDecorator("not", (f, v, next) => !next(f, v))
  ];
}
var OperatorMap = class {
  operators = /* @__PURE__ */ new Map();
  decorators = /* @__PURE__ */ new Map();
  addOperator(operator) {
    this.operators.set(operator.name, operator);
  }
  addOperatorDecorator(decorator) {
    this.decorators.set(decorator.name, decorator);
  }
  /** The operator for a (possibly decorated) name, or null. Throws as the engine does on a non-string name. */
  get(name) {
    const decorators = [];
    let opName = name;
    while (!this.operators.has(opName)) {
      const firstDecoratorIndex = opName.indexOf(":");
      if (firstDecoratorIndex > 0) {
        const decorator = this.decorators.get(opName.slice(0, firstDecoratorIndex));
        if (!decorator) return null;
        decorators.unshift(decorator);
        opName = opName.slice(firstDecoratorIndex + 1);
      } else {
        return null;
      }
    }
    let op = this.operators.get(opName);
    for (const decorator of decorators) {
      op = decorator.decorate(op);
      this.operators.set(op.name, op);
    }
    return op;
  }
};
var operatorMaps = /* @__PURE__ */ new WeakMap();
function operatorMapFor(custom) {
  let map = operatorMaps.get(custom);
  if (map) return map;
  map = new OperatorMap();
  for (const op of defaultOperators()) map.addOperator(op);
  for (const decorator of defaultDecorators()) map.addOperatorDecorator(decorator);
  for (const [name, fn] of custom) map.addOperator(new Operator(name, fn));
  operatorMaps.set(custom, map);
  return map;
}

// src/engine/createEvaluator.ts
function createCompiledEvaluator(rules2, env) {
  const operators = customOperators(env);
  const compiled = rules2.map((rule) => ({
    id: rule.id,
    check: requiredCheck(rule.conditions),
    test: compileConditions(rule.conditions, operators),
    necessary: necessaryLeaves(rule.conditions, operators)
  }));
  const none = [];
  const byCheck = /* @__PURE__ */ new Map();
  return {
    sync: true,
    mayFire(check, some) {
      let rules3 = byCheck.get(check);
      if (rules3 === void 0) {
        rules3 = compiled.filter((rule) => rule.check === void 0 || rule.check === check).map((rule) => rule.check === void 0 ? rule.necessary : rule.necessary.filter((leaf) => leaf.fact !== "check"));
        byCheck.set(check, rules3);
      }
      for (const necessary of rules3) {
        let ruledOut = false;
        for (const leaf of necessary) {
          if (isEnumerable2.call(some, leaf.fact) && !leaf.test(some)) {
            ruledOut = true;
            break;
          }
        }
        if (!ruledOut) return true;
      }
      return false;
    },
    evaluate(facts) {
      let fired;
      const check = facts.check;
      for (const rule of compiled) {
        if (rule.check !== void 0 && rule.check !== check) continue;
        if (rule.test(facts)) (fired ??= []).push(rule.id);
      }
      return fired ?? none;
    }
  };
}
var isEnumerable2 = Object.prototype.propertyIsEnumerable;
function rootAll(conditions) {
  if (booleanOperatorOf(conditions) !== "all" || !("all" in conditions) || !Array.isArray(conditions.all)) return void 0;
  return conditions.all;
}
function necessaryLeaves(conditions, operators) {
  const all = rootAll(conditions);
  if (all === void 0) return [];
  const leaves = [];
  for (const child of all) {
    if (!Object.hasOwn(child, "fact") || !("fact" in child) || typeof child.fact !== "string") continue;
    if (typeof child.value === "object" && child.value !== null) continue;
    leaves.push({ fact: child.fact, test: compileConditions({ all: [child] }, operators) });
  }
  return leaves;
}
function requiredCheck(conditions) {
  const all = rootAll(conditions);
  if (all === void 0) return void 0;
  for (const child of all) {
    if (Object.hasOwn(child, "fact") && "fact" in child && child.fact === "check" && child.operator === "equal" && child.path === void 0 && typeof child.value === "string") {
      return child.value;
    }
  }
  return void 0;
}
function createEngineEvaluator(rules2, env) {
  const engine = new Engine([], { allowUndefinedFacts: true, pathResolver: resolveSafePath });
  for (const [name, fn] of customOperators(env)) engine.addOperator(name, fn);
  const order = /* @__PURE__ */ new Map();
  rules2.forEach((rule, position) => {
    order.set(rule.id, position);
    engine.addRule({ name: rule.id, conditions: rule.conditions, event: { type: rule.id } });
  });
  let queue = Promise.resolve();
  return {
    sync: false,
    // The reference path builds every candidate: it is what the fast path is held to.
    mayFire: () => true,
    evaluate(facts) {
      const run = queue.then(async () => {
        const runtimeFacts = /* @__PURE__ */ Object.create(null);
        for (const key of Object.keys(facts)) runtimeFacts[key] = facts[key];
        const { events } = await engine.run(runtimeFacts);
        return events.map((event) => event.type).sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      });
      queue = run.catch(() => void 0);
      return run;
    }
  };
}
function createEvaluator(kind, rules2, env) {
  return kind === "compiled" ? createCompiledEvaluator(rules2, env) : createEngineEvaluator(rules2, env);
}

// src/findings/findingId.ts
import { createHash } from "node:crypto";
function findingId(ruleId, kind, key, firstAt) {
  return createHash("sha256").update(JSON.stringify([ruleId, kind, key, firstAt])).digest("hex").slice(0, 16);
}

// src/findings/scoreFinding.ts
var SEVERITY_BASE = { low: 10, medium: 30, high: 50, critical: 70 };
function scoreFinding(severity, magnitude, amount, count) {
  const parts = {
    severity: SEVERITY_BASE[severity],
    magnitude: round(15 * Math.min(1, Math.max(0, magnitude) / 50), 2),
    money: round(10 * Math.min(1, Math.log10(1 + Math.max(0, amount)) / 6), 2),
    repeats: round(5 * Math.min(1, Math.log2(Math.max(1, count)) / 6), 2)
  };
  const score = round(Math.min(100, parts.severity + parts.magnitude + parts.money + parts.repeats), 1);
  return { score, parts };
}

// src/findings/FindingAssembler.ts
function compareRefs(a, b) {
  return a.type < b.type ? -1 : a.type > b.type ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
var FindingAssembler = class {
  constructor(maxEvidence) {
    this.maxEvidence = maxEvidence;
  }
  maxEvidence;
  open = /* @__PURE__ */ new Map();
  gaps = /* @__PURE__ */ new Map();
  gapMs(rule) {
    let gap = this.gaps.get(rule);
    if (gap === void 0) {
      gap = utcDaysInMs(rule.params.groupGapDays ?? 30);
      this.gaps.set(rule, gap);
    }
    return gap;
  }
  /**
   * Adds a candidate that fired `rule`, with its evidence; appends to `closed` the finding it closed,
   * if it starts a new group.
   */
  add(rule, detector, context, candidate, evidence, closed) {
    const slot = `${rule.id}\0${evidence.groupKey}`;
    let group = this.open.get(slot);
    if (group && candidate.at >= group.closesAt) {
      closed.push(this.finish(group));
      this.open.delete(slot);
      group = void 0;
    }
    if (!group) {
      group = {
        rule,
        detector,
        context,
        key: evidence.groupKey,
        firstAt: candidate.at,
        closesAt: candidate.at,
        lastAt: candidate.at,
        count: 0,
        worst: candidate,
        worstEvidence: evidence,
        amount: 0,
        offenders: [],
        affected: /* @__PURE__ */ new Set(),
        eventIds: [],
        eventSet: /* @__PURE__ */ new Set(),
        eventTotal: 0,
        refs: /* @__PURE__ */ new Map()
      };
      this.open.set(slot, group);
    }
    group.count++;
    group.lastAt = Math.max(group.lastAt, candidate.at);
    group.closesAt = group.lastAt + this.gapMs(rule);
    if (candidate.magnitude > group.worst.magnitude) {
      group.worst = candidate;
      group.worstEvidence = evidence;
    }
    group.amount += candidate.amount;
    const [offender, ...affected] = evidence.partners;
    if (offender !== void 0 && !group.offenders.includes(offender)) group.offenders.push(offender);
    for (const id2 of affected) group.affected.add(id2);
    for (const id2 of evidence.eventIds) {
      if (group.eventSet.has(id2)) continue;
      group.eventTotal++;
      if (group.eventIds.length < this.maxEvidence) {
        group.eventIds.push(id2);
        group.eventSet.add(id2);
      }
    }
    for (const ref of evidence.refs) group.refs.set(`${ref.type}\0${ref.id}`, ref);
  }
  /** Closes every group that no candidate at or after `watermark` could join. */
  closeBefore(watermark) {
    const closed = [];
    for (const [slot, group] of this.open) {
      if (group.closesAt <= watermark) {
        closed.push(this.finish(group));
        this.open.delete(slot);
      }
    }
    return closed;
  }
  /** Closes every open group (the input has ended). */
  closeAll() {
    const closed = [...this.open.values()].map((group) => this.finish(group));
    this.open.clear();
    return closed;
  }
  get openCount() {
    return this.open.size;
  }
  finish(group) {
    const { rule, detector, context } = group;
    const affected = [...group.affected].filter((id2) => !group.offenders.includes(id2)).sort();
    const partners = [...group.offenders, ...affected];
    const { score, parts } = scoreFinding(rule.severity, group.worst.magnitude, group.amount, group.count);
    const message = detector.describe(
      {
        check: group.worst.check,
        worst: group.worst,
        worstEvidence: group.worstEvidence,
        count: group.count,
        firstAt: group.firstAt,
        lastAt: group.lastAt,
        amount: group.amount,
        partners
      },
      context
    );
    return {
      id: findingId(rule.id, rule.kind, group.key, group.firstAt),
      rank: 0,
      score,
      severity: rule.severity,
      kind: rule.kind,
      ruleId: rule.id,
      title: rule.title,
      message,
      ...rule.remediation !== void 0 ? { remediation: rule.remediation } : {},
      partners,
      eventIds: [...group.eventIds].sort(),
      refs: [...group.refs.values()].sort(compareRefs),
      count: group.count,
      firstSeen: formatIsoTime(group.firstAt),
      lastSeen: formatIsoTime(group.lastAt),
      facts: { ...group.worst.facts, totalAmount: round(group.amount, 2), score: { ...parts } }
    };
  }
};

// src/scan/Scanner.ts
var Scanner = class {
  constructor(reference, present, rules2, options) {
    this.options = options;
    this.assembler = new FindingAssembler(options.maxEvidence);
    const index = new ReferenceIndex(reference, present);
    const partnerLabel = (id2) => {
      const name = index.partners.get(id2)?.name;
      return name ? `${name} (${id2})` : id2;
    };
    const groups = /* @__PURE__ */ new Map();
    for (const rule of rules2) {
      if (!rule.enabled) continue;
      const detector = DETECTORS[rule.kind];
      const derivation = detector.params.map((p) => rule.params[p.name] ?? p.default);
      const key = JSON.stringify([rule.kind, derivation]);
      const list = groups.get(key);
      if (list) list.push(rule);
      else groups.set(key, [rule]);
    }
    const countingKinds = /* @__PURE__ */ new Set();
    for (const [, groupRules] of [...groups].sort((a, b) => a[0] < b[0] ? -1 : 1)) {
      const first = groupRules[0];
      const detector = DETECTORS[first.kind];
      const counts = !countingKinds.has(first.kind);
      countingKinds.add(first.kind);
      const evaluator = createEvaluator(options.evaluator, groupRules, { regions: index.regions });
      const context = {
        index,
        params: Object.fromEntries(detector.params.map((p) => [p.name, first.params[p.name] ?? p.default])),
        skip: counts ? (reason) => this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1) : () => void 0,
        partnerLabel,
        mayFire: (check, some) => evaluator.mayFire(check, some)
      };
      this.instances.push({
        detector,
        run: detector.create(context),
        context,
        rules: new Map(groupRules.map((rule) => [rule.id, rule])),
        evaluator
      });
    }
  }
  options;
  instances = [];
  assembler;
  skipped = /* @__PURE__ */ new Map();
  lastSweepDay = -Infinity;
  candidates = [];
  /** True when every evaluator is synchronous: `start`/`push` may then be called without awaiting. */
  get sync() {
    return this.instances.every((instance) => instance.evaluator.sync);
  }
  /** Hands a candidate that fired rules to the assembler, building its evidence once. */
  collect(instance, candidate, fired, out) {
    if (fired.length === 0) return;
    const evidence = candidate.evidence();
    for (const ruleId of fired) {
      const rule = instance.rules.get(ruleId);
      this.assembler.add(rule, instance.detector, instance.context, candidate, evidence, out);
    }
  }
  before(event, out) {
    const dayIndex = Math.floor(event.occurredAt / 864e5);
    if (dayIndex !== this.lastSweepDay) {
      this.lastSweepDay = dayIndex;
      const closed = this.assembler.closeBefore(event.occurredAt);
      if (closed.length > 0) out.push(...closed);
    }
  }
  after() {
    if (this.assembler.openCount > this.options.maxOpenFindings) {
      throw new LimitError(
        "maxOpenFindings",
        `more than ${this.options.maxOpenFindings} findings are open at once; raise maxOpenFindings or lower the rules' groupGapDays`
      );
    }
  }
  /** Findings from reference data alone (overlapping territories, duplicate registrations): final at once. */
  startSync() {
    const out = [];
    for (const instance of this.instances) {
      for (const candidate of instance.run.start()) this.collect(instance, candidate, instance.evaluator.evaluate(candidate.facts), out);
    }
    out.push(...this.assembler.closeAll());
    return out;
  }
  /** Feeds one event (in time order) through synchronous evaluators; appends the findings that became final to `out`. */
  pushSync(event, out) {
    this.before(event, out);
    const candidates = this.candidates;
    if (candidates.length > 1024) candidates.length = 0;
    for (const instance of this.instances) {
      const from = candidates.length;
      instance.run.onEvent(event, candidates);
      for (let i = from; i < candidates.length; i++) {
        const candidate = candidates[i];
        this.collect(instance, candidate, instance.evaluator.evaluate(candidate.facts), out);
      }
    }
    this.after();
  }
  /** `startSync` for any evaluator. */
  async start() {
    if (this.sync) return this.startSync();
    const out = [];
    for (const instance of this.instances) {
      for (const candidate of instance.run.start()) this.collect(instance, candidate, await instance.evaluator.evaluate(candidate.facts), out);
    }
    out.push(...this.assembler.closeAll());
    return out;
  }
  /** `pushSync` for any evaluator; returns the findings that became final. */
  async push(event) {
    const out = [];
    if (this.sync) {
      this.pushSync(event, out);
      return out;
    }
    this.before(event, out);
    for (const instance of this.instances) {
      const candidates = [];
      instance.run.onEvent(event, candidates);
      for (const candidate of candidates) this.collect(instance, candidate, await instance.evaluator.evaluate(candidate.facts), out);
    }
    this.after();
    return out;
  }
  /** Closes every open finding: the input has ended. */
  finish() {
    return this.assembler.closeAll();
  }
  /** Skipped checks by reason, in reason order. */
  skippedSummary() {
    return Object.fromEntries([...this.skipped].sort((a, b) => a[0] < b[0] ? -1 : 1));
  }
};

// ../../tmp/prof/mainonly.mts
var ds = await loadDataset("/work/main/bench/out/1000000-1");
var rules = await loadRules(process.argv[2] ? [process.argv[2]] : void 0);
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const scanner = new Scanner(ds.reference, ds.present, rules.rules, { maxEvidence: 50, maxOpenFindings: 1e6, evaluator: "compiled" });
  const out = scanner.startSync();
  for (const e of ds.events) scanner.pushSync(e, out);
  out.push(...scanner.finish());
  console.log(process.argv[2] ?? "all", out.length, ((performance.now() - t0) / 1e3).toFixed(2));
}
