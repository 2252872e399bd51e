/**
 * Writes fixtures/erp-zh: the data of fixtures/demo (same ids, instants, prices, scopes, everything the
 * detectors read) as a Chinese ERP / POS / WMS / CRM exports it, with the `channel-conflict.yaml` manifest
 * that says how to read it.
 *
 *   node --import tsx scripts/make-erp-fixture.ts [outDir]     (default: fixtures/erp-zh)
 *
 * What the exports look like:
 * - every CSV is GB18030 (as Excel saves "CSV" on a Chinese Windows), `;` between cells, CRLF line ends,
 *   Chinese headers; the event files carry a report title row above the header;
 * - events are split the way they come out of the systems: ERP orders by month (`erp/订单-2025-01.csv` …),
 *   POS sales (`pos/`), web-store price checks (`ecom/`), WMS lot allocations (`wms/`), all in one column
 *   template; registrations come from a CRM as NDJSON (UTF-8, Chinese keys, local ISO times);
 * - times are Beijing wall times (Asia/Shanghai): the demo's instants converted, never shifted — a demo
 *   bare date `2025-02-01` (UTC midnight) is `2025-02-01 08:00:00` here;
 * - money with grouping (`1,049.00`), channels, types, statuses, categories, segments, currencies and
 *   countries as Chinese words that the manifest maps back, lists separated by `、`, names in Chinese.
 *
 * The output is deterministic: running it again gives byte-identical files (test/loaders/erpExport.test.ts
 * holds the committed fixture to it). Node has a GB18030 decoder but no encoder, so the encoder is built
 * here from the decoder; a character with no 2-byte GB18030 code stops the script.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseCsv } from "csv-parse/sync";
import { TZDate, tz } from "@date-fns/tz";
import { format, parse as parseDate } from "date-fns";
import { parse as parseYaml } from "yaml";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The plain dataset this fixture restates. */
export const DEMO_DIR = join(ROOT, "fixtures", "demo");
/** Where the fixture is committed. */
export const ERP_FIXTURE_DIR = join(ROOT, "fixtures", "erp-zh");

/** The time zone of every wall time in the exports. */
const ZONE = "Asia/Shanghai";
const EVENT_TIME_FORMAT = "yyyy/MM/dd HH:mm:ss.SSS";
const REFERENCE_TIME_FORMAT = "yyyy-MM-dd HH:mm:ss";
/** CRM times: ISO 8601 without an offset, local in ZONE (read without a format). */
const CRM_TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss";
const MONEY_FORMAT = "#,##0.00";
const COUNT_FORMAT = "#,##0";
const CSV_DELIMITER = ";";
const LIST_SEPARATOR = "、";

// ---------------------------------------------------------------------------------------------------------
// Words the exports use, and what the manifest maps them back to.

const EVENT_TYPE: Readonly<Record<string, string>> = { 订单: "order", 销售: "sale", 网店标价: "listing", 调拨: "allocation" };
const CHANNEL: Readonly<Record<string, string>> = {
  直销: "direct",
  经销商: "distributor",
  二级经销商: "reseller",
  零售: "retail",
  电商: "ecommerce",
  平台商家: "marketplace",
};
const STATUS: Readonly<Record<string, string>> = { 已批准: "approved", 待审批: "pending", 已驳回: "rejected", 已过期: "expired" };
const CATEGORY: Readonly<Record<string, string>> = { 耳机: "headphones", 音箱: "speakers", 配件: "accessories" };
const SEGMENT: Readonly<Record<string, string>> = { 企业客户: "enterprise", 酒店: "hospitality", 教育机构: "education", 中小企业: "smb" };
const CURRENCY: Readonly<Record<string, string>> = { 人民币: "CNY", 美元: "USD" };
const COUNTRY: Readonly<Record<string, string>> = { 中国: "CN", 美国: "US" };
const EXCLUSIVE: Readonly<Record<string, boolean>> = { 是: true, 否: false };

// Names as the Chinese master data holds them (US companies keep their English names).
const PARTNER_NAMES: Readonly<Record<string, string>> = {
  "P-DIRECT": "流明音频直销部",
  "D-NANYUE": "南粤电子分销有限公司",
  "D-QIANTANG": "钱塘数码供应链有限公司",
  "D-PEARL": "珠江音响贸易有限公司",
  "RS-SZ1": "福田声学工作室",
  "RS-GZ1": "天河视听工程有限公司",
  "RS-HZ1": "西溪音响系统有限公司",
  "RS-NB1": "宁波港城电子有限公司",
  "R-BRIGHT": "明亮电器连锁有限公司",
  "R-CREST": "Crestline Electronics",
  "W-TMALL": "流明音频天猫旗舰店（云帆电商代运营）",
  "W-SOUNDHAVEN": "SoundHaven.com",
  "M-HAOYIN": "好音数码（京东第三方商家）",
};
const REGION_NAMES: Readonly<Record<string, string>> = {
  CN: "中国",
  "CN-GD": "广东省",
  "CN-GD-SZ": "深圳市",
  "CN-GD-GZ": "广州市",
  "CN-ZJ": "浙江省",
  "CN-ZJ-HZ": "杭州市",
  "CN-ZJ-NB": "宁波市",
  "CN-SH": "上海市",
  "CN-BJ": "北京市",
  "CN-JS": "江苏省",
  "CN-JS-NJ": "南京市",
  "CN-SC": "四川省",
  "CN-SC-CD": "成都市",
  US: "美国",
  "US-CA": "加利福尼亚州",
  "US-NY": "纽约州",
  "US-TX": "得克萨斯州",
  "US-WA": "华盛顿州",
  "US-FL": "佛罗里达州",
};
const PRODUCT_NAMES: Readonly<Record<string, string>> = {
  "LA-H100": "流明 Aria H100 无线头戴耳机",
  "LA-H200": "流明 Aria H200 主动降噪耳机",
  "LA-E10": "流明 Pulse E10 真无线耳机",
  "LA-S300": "流明 Halo S300 便携音箱",
  "LA-S500": "流明 Halo S500 智能音箱",
  "LA-SB700": "流明 Stage SB700 回音壁",
  "LA-C01": "流明 USB-C 充电底座",
  "LA-P02": "流明 Pro 耳塞套装",
};
const CUSTOMER_NAMES: Readonly<Record<string, string>> = {
  "C-1001": "深圳星河科技有限公司",
  "C-1002": "杭州悦澜酒店集团",
  "C-1003": "宁波港通物流有限公司",
  "C-1004": "广州天音教育集团",
  "C-1005": "上海明湖联合办公",
  "C-1006": "北京华夏传媒",
  "C-1007": "深圳湾会议中心",
  "C-1008": "杭州钱江设计工作室",
  "C-2001": "Bay Area Podcast Studio LLC",
  "C-2002": "Lone Star Fitness Clubs",
  "C-2003": "Empire Boutique Hotels",
};
/** Promotion names: an extra column of the export, not a field (the manifest does not read it). */
const PROMOTION_NAMES: Readonly<Record<string, string>> = {
  "PR-01": "春季线上购物节",
  "PR-02": "春节经销商冲量",
  "PR-03": "Crestline 春季音响促销",
};

/**
 * Ship-to regions as the order screens hold them: Chinese destinations by their Chinese name (mapped to the
 * code), overseas ones by their code (kept as they are by the map's `"*": "*"`).
 */
const SHIP_TO_REGION: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(REGION_NAMES)
    .filter(([code]) => code.startsWith("CN-"))
    .map(([code, name]) => [name, code]),
);

// ---------------------------------------------------------------------------------------------------------
// The column names of each export, shared by the writer and the manifest.

const EV = {
  id: "单据编号",
  type: "单据类型",
  occurredAt: "业务时间",
  partnerId: "渠道商编码",
  partnerName: "渠道商名称",
  sku: "商品编码",
  customerId: "客户编码",
  quantity: "数量",
  unitPrice: "单价",
  amount: "金额",
  currency: "币种",
  region: "收货地区",
  country: "国家",
  postalCode: "邮编",
  lot: "批号",
  promotionId: "促销编号",
  price: "标价",
  url: "链接",
} as const;

// ---------------------------------------------------------------------------------------------------------
// Reading the demo.

type Value = string | number | boolean | string[];
type Flat = Record<string, Value | undefined>;

const NUMBER_FIELDS = new Set(["listPrice", "floorPrice", "map", "maxDiscount", "quantity", "unitPrice", "price"]);
const BOOLEAN_FIELDS = new Set(["exclusive"]);
const LIST_FIELDS = new Set(["skus", "categories", "channels", "partnerIds"]);

/** The fields each collection may hold; any other field in the demo stops the script (it would be lost). */
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  partners: ["id", "name", "channel", "parentId", "homeRegion"],
  regions: ["code", "name", "parent"],
  territories: ["id", "partnerId", "region", "exclusive", "skus", "categories", "validFrom", "validTo"],
  products: ["sku", "name", "category", "listPrice", "currency"],
  pricePolicies: ["id", "sku", "channel", "listPrice", "floorPrice", "map", "currency", "validFrom", "validTo"],
  promotions: ["id", "skus", "channels", "partnerIds", "maxDiscount", "validFrom", "validTo"],
  registrations: ["id", "customerId", "partnerId", "status", "registeredAt", "expiresAt"],
  customers: ["id", "name", "region", "segment"],
  events: [
    "id", "type", "occurredAt", "partnerId", "sku", "customerId", "quantity", "unitPrice", "currency",
    "shipTo.region", "shipTo.country", "shipTo.postalCode", "lot", "promotionId", "price", "url",
  ],
};

function fail(message: string): never {
  throw new Error(`make-erp-fixture: ${message}`);
}

/** A JSON/NDJSON record flattened to dotted keys. */
function flatten(record: unknown, where: string, prefix = "", into: Flat = {}): Flat {
  if (typeof record !== "object" || record === null || Array.isArray(record)) fail(`${where}: expected an object`);
  for (const [key, value] of Object.entries(record)) {
    const path = prefix + key;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) flatten(value, where, `${path}.`, into);
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") into[path] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === "string")) into[path] = [...(value as string[])];
    else if (value !== null && value !== undefined) fail(`${where}: ${path} holds a value this script does not know`);
  }
  return into;
}

/** A CSV row (header → cell) as the plain reader reads it: empty cells absent, cells by the field's kind. */
function fromCsvRow(row: Record<string, string>, where: string): Flat {
  const record: Flat = {};
  for (const [key, cell] of Object.entries(row)) {
    if (cell === "") continue;
    if (NUMBER_FIELDS.has(key)) {
      const n = Number(cell);
      if (!Number.isFinite(n)) fail(`${where}: ${key} "${cell}" is not a number`);
      record[key] = n;
    } else if (BOOLEAN_FIELDS.has(key)) {
      const word = cell.toLowerCase();
      if (word !== "true" && word !== "false") fail(`${where}: ${key} "${cell}" is not a boolean`);
      record[key] = word === "true";
    } else if (LIST_FIELDS.has(key)) {
      record[key] = cell.split("|").map((item) => item.trim()).filter((item) => item !== "");
    } else {
      record[key] = cell;
    }
  }
  return record;
}

function readFile(path: string, demoDir: string): Flat[] {
  const where = path.slice(demoDir.length + 1);
  const text = readFileSync(path, "utf8");
  if (path.endsWith(".json")) {
    const data: unknown = JSON.parse(text);
    if (!Array.isArray(data)) fail(`${where}: expected a JSON array`);
    return data.map((record, i) => flatten(record, `${where}[${i}]`));
  }
  if (path.endsWith(".ndjson") || path.endsWith(".jsonl")) {
    return text
      .split("\n")
      .map((line, i) => [line.trim(), i] as const)
      .filter(([line]) => line !== "")
      .map(([line, i]) => flatten(JSON.parse(line), `${where}:${i + 1}`));
  }
  if (path.endsWith(".csv")) {
    const rows = parseCsv(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    return rows.map((row, i) => fromCsvRow(row, `${where}:${i + 2}`));
  }
  return fail(`${where}: not a format this script reads`);
}

/** One collection of the demo: its file (`name.json` …) or its folder of files, in name order. */
function readCollection(demoDir: string, name: string): Flat[] {
  const folder = join(demoDir, name);
  const paths = existsSync(folder)
    ? readdirSync(folder).sort().map((file) => join(folder, file))
    : [".json", ".ndjson", ".jsonl", ".csv"].map((ext) => join(demoDir, name + ext)).filter((path) => existsSync(path));
  if (paths.length === 0) fail(`the demo has no ${name}`);
  const records = paths.flatMap((path) => readFile(path, demoDir));
  const allowed = new Set(FIELDS[name]);
  for (const record of records) {
    for (const key of Object.keys(record)) if (!allowed.has(key)) fail(`${name}: field ${key} is not written by this script`);
  }
  return records;
}

// ---------------------------------------------------------------------------------------------------------
// Cells.

function str(record: Flat, field: string): string | undefined {
  const value = record[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string") fail(`${String(record.id ?? record.code ?? record.sku)}: ${field} is not a string`);
  return value;
}

function need(record: Flat, field: string): string {
  return str(record, field) ?? fail(`${String(record.id ?? record.code ?? record.sku)}: ${field} is missing`);
}

function numberOf(record: Flat, field: string): number | undefined {
  const value = record[field];
  if (value === undefined) return undefined;
  if (typeof value !== "number") fail(`${String(record.id ?? record.sku)}: ${field} is not a number`);
  return value;
}

function listOf(record: Flat, field: string): string[] | undefined {
  const value = record[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fail(`${String(record.id)}: ${field} is not a list`);
  return value;
}

/** The Chinese word a map of the manifest turns into `value`. */
function word(table: Readonly<Record<string, string | boolean>>, value: string | boolean, what: string): string {
  const found = Object.entries(table).find(([, mapped]) => mapped === value);
  if (found === undefined) fail(`no Chinese word for ${what} ${JSON.stringify(value)}`);
  return found[0];
}

function nameOf(table: Readonly<Record<string, string>>, id: string, what: string): string {
  return table[id] ?? fail(`no Chinese name for ${what} ${id}`);
}

/** `1049` → `1,049.00` (`decimals` 2) or `1000` → `1,000` (0); a value with more decimals stops the script. */
function grouped(value: number | undefined, decimals: 0 | 2): string {
  if (value === undefined) return "";
  if (!Number.isFinite(value) || value < 0) fail(`${value} is not a non-negative amount`);
  const fixed = value.toFixed(decimals);
  if (Number(fixed) !== value) fail(`${value} has more than ${decimals} decimals`);
  const [integer, fraction] = fixed.split(".") as [string, string | undefined];
  const withGroups = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? withGroups : `${withGroups}.${fraction}`;
}

const DEMO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z)?$/;

/** A demo time (a bare date is that day's start in UTC, a date-time is in UTC) as epoch milliseconds. */
function demoInstant(text: string): number {
  const m = DEMO_TIME.exec(text);
  if (m === null) fail(`"${text}" is not a demo time (YYYY-MM-DD or YYYY-MM-DDTHH:mm[:ss[.SSS]]Z)`);
  const part = (i: number): number => Number(m[i] ?? 0);
  const ms = Date.UTC(part(1), part(2) - 1, part(3), part(4), part(5), part(6), Number(`${m[7] ?? ""}000`.slice(0, 3)));
  if (new Date(ms).getUTCDate() !== part(3)) fail(`"${text}" is not a calendar date`);
  return ms;
}

/** An instant as a wall time in ZONE, checked to read back to the same instant. */
function wallTime(text: string | undefined, pattern: string): string {
  if (text === undefined) return "";
  const ms = demoInstant(text);
  const wall = format(new TZDate(ms, ZONE), pattern);
  if (parseDate(wall, pattern, new Date(0), { in: tz(ZONE) }).getTime() !== ms) fail(`${text} does not read back from "${wall}"`);
  return wall;
}

// ---------------------------------------------------------------------------------------------------------
// GB18030 and CSV.

let gb18030Codes: Map<string, number> | undefined;

/** Every character with a 2-byte GB18030 code, by decoding every 2-byte sequence. */
function gb18030Table(): Map<string, number> {
  if (gb18030Codes) return gb18030Codes;
  const decoder = new TextDecoder("gb18030", { fatal: true });
  const table = new Map<string, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      let text: string;
      try {
        text = decoder.decode(pair);
      } catch {
        continue;
      }
      // The lowest code wins where two decode to one character (none of this fixture's characters).
      if (text.length === 1 && !table.has(text)) table.set(text, (lead << 8) | trail);
    }
  }
  gb18030Codes = table;
  return table;
}

/** Encodes text as GB18030 (ASCII as itself, everything else by its 2-byte code), checked by decoding back. */
export function encodeGb18030(text: string, where = "text"): Buffer {
  const table = gb18030Table();
  const bytes: number[] = [];
  for (const char of text) {
    const point = char.codePointAt(0) as number;
    if (point < 0x80) {
      bytes.push(point);
      continue;
    }
    const code = table.get(char);
    if (code === undefined) {
      fail(`${where}: "${char}" (U+${point.toString(16).toUpperCase().padStart(4, "0")}) has no 2-byte GB18030 code`);
    }
    bytes.push(code >> 8, code & 0xff);
  }
  const buffer = Buffer.from(bytes);
  if (new TextDecoder("gb18030", { fatal: true }).decode(buffer) !== text) fail(`${where}: does not decode back from GB18030`);
  return buffer;
}

function csvCell(cell: string): string {
  return /[;"\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Rows as Excel saves them: `;` between cells, CRLF after every row. */
function csvText(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvCell).join(CSV_DELIMITER) + "\r\n").join("");
}

/** A report title row as Excel exports a merged title cell: the title, then empty cells to the header's width. */
function titleRow(title: string, width: number): string[] {
  return [title, ...Array.from({ length: width - 1 }, () => "")];
}

interface Column {
  readonly header: string;
  readonly cell: (record: Flat) => string;
}

function table(columns: readonly Column[], records: readonly Flat[], title?: string): string[][] {
  const header = columns.map((column) => column.header);
  const rows = records.map((record) => columns.map((column) => column.cell(record)));
  return title === undefined ? [header, ...rows] : [titleRow(title, header.length), header, ...rows];
}

const text = (header: string, field: string): Column => ({ header, cell: (r) => str(r, field) ?? "" });
const mapped = (header: string, field: string, map: Readonly<Record<string, string>>): Column => ({
  header,
  cell: (r) => {
    const value = str(r, field);
    return value === undefined ? "" : word(map, value, field);
  },
});
const named = (header: string, field: string, names: Readonly<Record<string, string>>, what: string): Column => ({
  header,
  cell: (r) => {
    const id = str(r, field);
    return id === undefined ? "" : nameOf(names, id, what);
  },
});
const money = (header: string, field: string): Column => ({ header, cell: (r) => grouped(numberOf(r, field), 2) });
const referenceTime = (header: string, field: string): Column => ({ header, cell: (r) => wallTime(str(r, field), REFERENCE_TIME_FORMAT) });
const list = (header: string, field: string, map?: Readonly<Record<string, string>>): Column => ({
  header,
  cell: (r) => (listOf(r, field) ?? []).map((item) => (map ? word(map, item, field) : item)).join(LIST_SEPARATOR),
});

// ---------------------------------------------------------------------------------------------------------
// The exports.

const EVENT_COLUMNS: readonly Column[] = [
  text(EV.id, "id"),
  mapped(EV.type, "type", EVENT_TYPE),
  { header: EV.occurredAt, cell: (r) => wallTime(need(r, "occurredAt"), EVENT_TIME_FORMAT) },
  text(EV.partnerId, "partnerId"),
  named(EV.partnerName, "partnerId", PARTNER_NAMES, "partner"),
  text(EV.sku, "sku"),
  text(EV.customerId, "customerId"),
  { header: EV.quantity, cell: (r) => grouped(numberOf(r, "quantity"), 0) },
  money(EV.unitPrice, "unitPrice"),
  {
    header: EV.amount,
    cell: (r) => {
      const quantity = numberOf(r, "quantity");
      const unitPrice = numberOf(r, "unitPrice");
      return quantity === undefined || unitPrice === undefined ? "" : grouped(Math.round(quantity * unitPrice * 100) / 100, 2);
    },
  },
  mapped(EV.currency, "currency", CURRENCY),
  {
    header: EV.region,
    cell: (r) => {
      const code = str(r, "shipTo.region");
      if (code === undefined) return "";
      if (!code.startsWith("CN-")) return code;
      return word(SHIP_TO_REGION, code, "shipTo.region");
    },
  },
  mapped(EV.country, "shipTo.country", COUNTRY),
  text(EV.postalCode, "shipTo.postalCode"),
  text(EV.lot, "lot"),
  text(EV.promotionId, "promotionId"),
  money(EV.price, "price"),
  text(EV.url, "url"),
];

/** The export an event comes in, and the title row of that export. */
function eventExport(event: Flat): { file: string; title: string } {
  const type = need(event, "type");
  const at = new TZDate(demoInstant(need(event, "occurredAt")), ZONE);
  switch (type) {
    case "order":
      return { file: `erp/订单-${format(at, "yyyy-MM")}.csv`, title: `销售订单明细表（${format(at, "yyyy年M月")}）` };
    case "sale":
      return { file: "pos/门店销售.csv", title: "门店销售流水（POS 回传）" };
    case "listing":
      return { file: "ecom/网店标价巡检.csv", title: "网店标价巡检记录" };
    case "allocation":
      return { file: "wms/调拨单.csv", title: "批次调拨单明细" };
    default:
      return fail(`${String(event.id)}: unknown event type ${type}`);
  }
}

const REFERENCE_FILES = {
  partners: "mdm/渠道商档案.csv",
  regions: "mdm/行政区划.csv",
  territories: "mdm/区域授权.csv",
  products: "mdm/商品档案.csv",
  pricePolicies: "mdm/价格政策.csv",
  promotions: "mdm/促销活动.csv",
  customers: "crm/客户档案.csv",
  registrations: "crm/客户报备.ndjson",
} as const;

const REFERENCE_COLUMNS = {
  partners: [
    text("渠道商编码", "id"),
    named("渠道商名称", "id", PARTNER_NAMES, "partner"),
    mapped("渠道类型", "channel", CHANNEL),
    text("上级渠道商编码", "parentId"),
    text("所在地区编码", "homeRegion"),
  ],
  regions: [text("区域编码", "code"), named("区域名称", "code", REGION_NAMES, "region"), text("上级区域编码", "parent")],
  territories: [
    text("授权编号", "id"),
    text("渠道商编码", "partnerId"),
    named("渠道商名称", "partnerId", PARTNER_NAMES, "partner"),
    text("授权区域编码", "region"),
    {
      header: "独家",
      cell: (r) => {
        const exclusive = r.exclusive;
        if (exclusive === undefined) return "";
        if (typeof exclusive !== "boolean") fail(`${String(r.id)}: exclusive is not a boolean`);
        return word(EXCLUSIVE, exclusive, "exclusive");
      },
    },
    list("授权商品", "skus"),
    list("授权品类", "categories", CATEGORY),
    referenceTime("生效时间", "validFrom"),
    referenceTime("失效时间", "validTo"),
  ],
  products: [
    text("商品编码", "sku"),
    named("商品名称", "sku", PRODUCT_NAMES, "product"),
    mapped("品类", "category", CATEGORY),
    money("建议零售价", "listPrice"),
    mapped("币种", "currency", CURRENCY),
  ],
  pricePolicies: [
    text("政策编号", "id"),
    text("商品编码", "sku"),
    mapped("适用渠道", "channel", CHANNEL),
    money("指导价", "listPrice"),
    money("最低成交价", "floorPrice"),
    money("最低标价", "map"),
    mapped("币种", "currency", CURRENCY),
    referenceTime("生效时间", "validFrom"),
    referenceTime("失效时间", "validTo"),
  ],
  promotions: [
    text("活动编号", "id"),
    named("活动名称", "id", PROMOTION_NAMES, "promotion"),
    list("适用商品", "skus"),
    list("适用渠道", "channels", CHANNEL),
    list("指定渠道商", "partnerIds"),
    { header: "最大折扣率", cell: (r) => grouped(numberOf(r, "maxDiscount"), 2) },
    referenceTime("开始时间", "validFrom"),
    referenceTime("结束时间", "validTo"),
  ],
  customers: [
    text("客户编码", "id"),
    named("客户名称", "id", CUSTOMER_NAMES, "customer"),
    text("所在地区编码", "region"),
    mapped("客户类型", "segment", SEGMENT),
  ],
} satisfies Record<Exclude<keyof typeof REFERENCE_FILES, "registrations">, readonly Column[]>;

/** CRM registrations: one JSON object a line, Chinese keys, local ISO times without offset. */
function registrationLines(records: readonly Flat[]): string {
  return records
    .map((r) => {
      const customerId = need(r, "customerId");
      const line: Record<string, string> = {
        报备单号: need(r, "id"),
        客户编码: customerId,
        客户名称: nameOf(CUSTOMER_NAMES, customerId, "customer"),
        报备渠道商: need(r, "partnerId"),
        审批状态: word(STATUS, need(r, "status"), "status"),
        报备时间: wallTime(need(r, "registeredAt"), CRM_TIME_FORMAT),
      };
      const expiresAt = str(r, "expiresAt");
      if (expiresAt !== undefined) line["到期时间"] = wallTime(expiresAt, CRM_TIME_FORMAT);
      return `${JSON.stringify(line)}\n`;
    })
    .join("");
}

// ---------------------------------------------------------------------------------------------------------
// The manifest: a template for the comments, and the same settings as data, which the template must parse to.

/** A YAML flow map, `{ 经销商: distributor, "*": "*" }`. */
function flowMap(map: Readonly<Record<string, string | boolean>>): string {
  const scalar = (value: string | boolean): string =>
    typeof value === "boolean" || (/^[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u.test(value) && !/^(true|false|null|yes|no|on|off|[\d.+-]+)$/i.test(value))
      ? String(value)
      : JSON.stringify(value);
  return `{ ${Object.entries(map).map(([key, value]) => `${scalar(key)}: ${scalar(value)}`).join(", ")} }`;
}

const EVENT_GLOBS = ["erp/订单-*.csv", "pos/*.csv", "ecom/*.csv", "wms/*.csv"];
const SHIP_TO_REGION_MAP: Readonly<Record<string, string>> = { ...SHIP_TO_REGION, "*": "*" };

function gbCsv(file: string): Record<string, unknown> {
  return { files: [file], encoding: "gb18030", delimiter: CSV_DELIMITER };
}

const refTime = (column: string) => ({ column, format: REFERENCE_TIME_FORMAT });
const refMoney = (column: string) => ({ column, format: MONEY_FORMAT });

/** What channel-conflict.yaml says, as data. */
const MANIFEST: Record<string, unknown> = {
  timeZone: ZONE,
  collections: {
    events: {
      files: EVENT_GLOBS,
      encoding: "gb18030",
      delimiter: CSV_DELIMITER,
      skipRows: 1,
      fields: {
        id: EV.id,
        type: { column: EV.type, map: EVENT_TYPE },
        occurredAt: { column: EV.occurredAt, format: EVENT_TIME_FORMAT },
        partnerId: EV.partnerId,
        sku: EV.sku,
        customerId: EV.customerId,
        quantity: { column: EV.quantity, format: COUNT_FORMAT },
        unitPrice: { column: EV.unitPrice, format: MONEY_FORMAT },
        currency: { column: EV.currency, map: CURRENCY },
        "shipTo.region": { column: EV.region, map: SHIP_TO_REGION_MAP },
        "shipTo.country": { column: EV.country, map: COUNTRY },
        "shipTo.postalCode": EV.postalCode,
        lot: EV.lot,
        promotionId: EV.promotionId,
        price: { column: EV.price, format: MONEY_FORMAT },
        url: EV.url,
      },
    },
    partners: {
      ...gbCsv(REFERENCE_FILES.partners),
      fields: { id: "渠道商编码", name: "渠道商名称", channel: { column: "渠道类型", map: CHANNEL }, parentId: "上级渠道商编码", homeRegion: "所在地区编码" },
    },
    regions: { ...gbCsv(REFERENCE_FILES.regions), fields: { code: "区域编码", name: "区域名称", parent: "上级区域编码" } },
    territories: {
      ...gbCsv(REFERENCE_FILES.territories),
      fields: {
        id: "授权编号",
        partnerId: "渠道商编码",
        region: "授权区域编码",
        exclusive: { column: "独家", map: EXCLUSIVE },
        skus: { column: "授权商品", separator: LIST_SEPARATOR },
        categories: { column: "授权品类", separator: LIST_SEPARATOR, map: CATEGORY },
        validFrom: refTime("生效时间"),
        validTo: refTime("失效时间"),
      },
    },
    products: {
      ...gbCsv(REFERENCE_FILES.products),
      fields: {
        sku: "商品编码",
        name: "商品名称",
        category: { column: "品类", map: CATEGORY },
        listPrice: refMoney("建议零售价"),
        currency: { column: "币种", map: CURRENCY },
      },
    },
    pricePolicies: {
      ...gbCsv(REFERENCE_FILES.pricePolicies),
      fields: {
        id: "政策编号",
        sku: "商品编码",
        channel: { column: "适用渠道", map: CHANNEL },
        listPrice: refMoney("指导价"),
        floorPrice: refMoney("最低成交价"),
        map: refMoney("最低标价"),
        currency: { column: "币种", map: CURRENCY },
        validFrom: refTime("生效时间"),
        validTo: refTime("失效时间"),
      },
    },
    promotions: {
      ...gbCsv(REFERENCE_FILES.promotions),
      fields: {
        id: "活动编号",
        skus: { column: "适用商品", separator: LIST_SEPARATOR },
        channels: { column: "适用渠道", separator: LIST_SEPARATOR, map: CHANNEL },
        partnerIds: { column: "指定渠道商", separator: LIST_SEPARATOR },
        maxDiscount: "最大折扣率",
        validFrom: refTime("开始时间"),
        validTo: refTime("结束时间"),
      },
    },
    registrations: {
      files: [REFERENCE_FILES.registrations],
      encoding: "utf-8",
      fields: {
        id: "报备单号",
        customerId: "客户编码",
        partnerId: "报备渠道商",
        status: { column: "审批状态", map: STATUS },
        registeredAt: "报备时间",
        expiresAt: "到期时间",
      },
    },
    customers: {
      ...gbCsv(REFERENCE_FILES.customers),
      fields: { id: "客户编码", name: "客户名称", region: "所在地区编码", segment: { column: "客户类型", map: SEGMENT } },
    },
  },
};

function manifestText(): string {
  const q = JSON.stringify;
  return `# channel-conflict 数据集清单（manifest）
# 说明本目录下各系统导出文件怎么读：哪些文件、什么编码、分隔符，以及中文列名对应哪个字段。
# 数据与 fixtures/demo 完全一致，只是换成了国内 ERP / POS / WMS / CRM 导出的样子。
# 本文件由 scripts/make-erp-fixture.ts 生成，不要手改；要改数据请改 fixtures/demo，再重新生成。

# 导出的时间都是北京时间、不带时区，统一按 Asia/Shanghai 解释。
# 注意：demo 里的日期是 UTC 零点，换成北京时间就是当天 08:00:00。
# 授权、价格政策、促销的起止时间因此都是 08:00:00，别改成 00:00:00，否则交接时间会差 8 小时。
timeZone: ${ZONE}

collections:
  # ===== 业务单据（订单、门店销售、网店标价、调拨）=====
  # 四个系统都套用同一个“销售明细”导出模板，列一样，不适用的列留空。
  # Excel 另存的 CSV：GB18030 编码、分号分隔、CRLF 换行；第一行是报表标题，第二行才是表头。
  events:
    files:
      - ${q(EVENT_GLOBS[0])}  # ERP 销售订单，按月导出
      - ${q(EVENT_GLOBS[1])}  # 门店 POS 回传的零售流水
      - ${q(EVENT_GLOBS[2])}  # 巡价工具抓的网店标价
      - ${q(EVENT_GLOBS[3])}  # WMS 批次调拨单（货分给哪个经销商）
    encoding: gb18030
    delimiter: ${q(CSV_DELIMITER)}
    skipRows: 1  # 跳过标题行（“销售订单明细表（2025年1月）”之类）
    fields:
      # 只读下面这些列；“${EV.partnerName}”“${EV.amount}”是给人看的，不读。
      id: ${EV.id}
      type: { column: ${EV.type}, map: ${flowMap(EVENT_TYPE)} }
      occurredAt: { column: ${EV.occurredAt}, format: ${q(EVENT_TIME_FORMAT)} }  # 北京时间，到毫秒
      partnerId: ${EV.partnerId}
      sku: ${EV.sku}
      customerId: ${EV.customerId}  # 只有项目单、大客户单才有
      quantity: { column: ${EV.quantity}, format: ${q(COUNT_FORMAT)} }  # 调拨数量上千，带千分位
      unitPrice: { column: ${EV.unitPrice}, format: ${q(MONEY_FORMAT)} }  # 单价带千分位，如 1,049.00
      currency: { column: ${EV.currency}, map: ${flowMap(CURRENCY)} }
      # 国内订单的收货地区是城市名，映射成区域编码；海外订单本来就是州代码（US-CA 等），"*": "*" 原样保留。
      shipTo.region:
        column: ${EV.region}
        map: ${flowMap(SHIP_TO_REGION_MAP)}
      shipTo.country: { column: ${EV.country}, map: ${flowMap(COUNTRY)} }
      shipTo.postalCode: ${EV.postalCode}
      lot: ${EV.lot}  # 串货追溯靠批号
      promotionId: ${EV.promotionId}
      price: { column: ${EV.price}, format: ${q(MONEY_FORMAT)} }  # 只有网店标价有
      url: ${EV.url}

  # ===== 主数据（MDM 导出，格式同上，但没有标题行）=====
  # 渠道商档案。渠道类型的映射定义一次（&channel），价格政策和促销里复用（*channel）。
  partners:
    files: [${REFERENCE_FILES.partners}]
    encoding: gb18030
    delimiter: ${q(CSV_DELIMITER)}
    fields:
      id: 渠道商编码
      name: 渠道商名称
      channel: { column: 渠道类型, map: &channel ${flowMap(CHANNEL)} }
      parentId: 上级渠道商编码  # 二级经销商挂在哪个经销商下面
      homeRegion: 所在地区编码

  # 行政区划：编码照旧（CN-GD…），名称是中文。
  regions:
    files: [${REFERENCE_FILES.regions}]
    encoding: gb18030
    delimiter: ${q(CSV_DELIMITER)}
    fields:
      code: 区域编码
      name: 区域名称
      parent: 上级区域编码

  # 区域授权。授权商品、授权品类一格里多个值，用顿号“、”隔开；品类是中文，逐项映射。
  # “独家”一栏留空的（T-10）按非独家处理。
  territories:
    files: [${REFERENCE_FILES.territories}]
    encoding: gb18030
    delimiter: ${q(CSV_DELIMITER)}
    fields:
      id: 授权编号
      partnerId: 渠道商编码
      region: 授权区域编码
      exclusive: { column: 独家, map: ${flowMap(EXCLUSIVE)} }
      skus: { column: 授权商品, separator: ${q(LIST_SEPARATOR)} }
      categories: { column: 授权品类, separator: ${q(LIST_SEPARATOR)}, map: &category ${flowMap(CATEGORY)} }
      validFrom: { column: 生效时间, format: ${q(REFERENCE_TIME_FORMAT)} }
      validTo: { column: 失效时间, format: ${q(REFERENCE_TIME_FORMAT)} }  # 空 = 长期有效

  # 商品档案：建议零售价按人民币。
  products:
    files: [${REFERENCE_FILES.products}]
    encoding: gb18030
    delimiter: ${q(CSV_DELIMITER)}
    fields:
      sku: 商品编码
      name: 商品名称
      category: { column: 品类, map: *category }
      listPrice: { column: 建议零售价, format: ${q(MONEY_FORMAT)} }
      currency: { column: 币种, map: &currency ${flowMap(CURRENCY)} }

  # 价格政策：最低成交价（底价）、最低标价（MAP）。适用渠道空着 = 所有渠道通用。
  # LA-P02 的政策没有底价，那一格是空的。
  pricePolicies:
    files: [${REFERENCE_FILES.pricePolicies}]
    encoding: gb18030
    delimiter: ${q(CSV_DELIMITER)}
    fields:
      id: 政策编号
      sku: 商品编码
      channel: { column: 适用渠道, map: *channel }
      listPrice: { column: 指导价, format: ${q(MONEY_FORMAT)} }
      floorPrice: { column: 最低成交价, format: ${q(MONEY_FORMAT)} }
      map: { column: 最低标价, format: ${q(MONEY_FORMAT)} }
      currency: { column: 币种, map: *currency }
      validFrom: { column: 生效时间, format: ${q(REFERENCE_TIME_FORMAT)} }
      validTo: { column: 失效时间, format: ${q(REFERENCE_TIME_FORMAT)} }

  # 促销活动：适用商品、适用渠道、指定渠道商都可以有多个，顿号隔开；空 = 不限。
  # 最大折扣率 0.20 表示最低可以卖到指导价的八折。“活动名称”不读。
  promotions:
    files: [${REFERENCE_FILES.promotions}]
    encoding: gb18030
    delimiter: ${q(CSV_DELIMITER)}
    fields:
      id: 活动编号
      skus: { column: 适用商品, separator: ${q(LIST_SEPARATOR)} }
      channels: { column: 适用渠道, separator: ${q(LIST_SEPARATOR)}, map: *channel }  # 映射逐项生效
      partnerIds: { column: 指定渠道商, separator: ${q(LIST_SEPARATOR)} }
      maxDiscount: 最大折扣率
      validFrom: { column: 开始时间, format: ${q(REFERENCE_TIME_FORMAT)} }
      validTo: { column: 结束时间, format: ${q(REFERENCE_TIME_FORMAT)} }

  # ===== CRM 导出 =====
  # 客户报备是 CRM 接口吐的 NDJSON：UTF-8、中文键名；格式按扩展名（.ndjson）判断。
  # 时间是不带时区的 ISO 8601（2025-01-06T08:00:00），不写 format，按上面的 timeZone 当北京时间。
  registrations:
    files: [${REFERENCE_FILES.registrations}]
    encoding: utf-8
    fields:
      id: 报备单号
      customerId: 客户编码
      partnerId: 报备渠道商
      status: { column: 审批状态, map: ${flowMap(STATUS)} }
      registeredAt: 报备时间
      expiresAt: 到期时间

  # 客户档案（Excel 导出，GB18030）。
  customers:
    files: [${REFERENCE_FILES.customers}]
    encoding: gb18030
    delimiter: ${q(CSV_DELIMITER)}
    fields:
      id: 客户编码
      name: 客户名称
      region: 所在地区编码
      segment: { column: 客户类型, map: ${flowMap(SEGMENT)} }
`;
}

const README = `# erp-zh：国内系统导出格式的演示数据 / the demo data as Chinese ERP exports

**中文**

这是 \`fixtures/demo\`（Lumen Audio / 流明音频）的同一份数据——同样的编号、时间点、价格、授权和报备，
扫描结果也完全相同——只是写成了国内 ERP、门店 POS、WMS 和 CRM 导出的样子：

- CSV 都是 Excel 另存的 GB18030 编码，分号分隔，CRLF 换行，中文表头；业务单据第一行是报表标题；
- 订单按月分文件（\`erp/订单-2025-01.csv\` …），门店销售、网店标价、批次调拨各有各的导出（\`pos/\`、\`ecom/\`、\`wms/\`）；
- 主数据在 \`mdm/\`，客户档案和客户报备在 \`crm/\`（报备是 UTF-8 的 NDJSON，中文键名）；
- 时间是北京时间（demo 的 UTC 时间换算过来，时间点不变：demo 的日期 \`2025-02-01\` 在这里是 \`2025-02-01 08:00:00\`），
  金额带千分位（\`1,049.00\`），渠道、单据类型、审批状态、品类等用中文，多个值用顿号“、”隔开。

怎么读这些文件，全写在 [\`channel-conflict.yaml\`](channel-conflict.yaml) 里。

    npx channel-conflict scan fixtures/erp-zh

本目录由 \`node --import tsx scripts/make-erp-fixture.ts\` 从 \`fixtures/demo\` 生成，不要手改；
\`test/loaders/erpExport.test.ts\` 检查重新生成的文件与这里逐字节相同，且扫描结果与 demo 一致。

**English**

The data of \`fixtures/demo\` (Lumen Audio) — the same ids, instants, prices, territories and
registrations, so the same findings — written the way Chinese ERP, POS, WMS and CRM systems export it:
GB18030 CSV with \`;\` and CRLF as Excel saves it, Chinese headers, a title row above the header of the
event exports, orders split by month, Beijing wall times (\`yyyy/MM/dd HH:mm:ss.SSS\`, the same instants
as the demo), grouped amounts, Chinese words for channels, types, statuses and categories, \`、\` between
list items, and registrations as UTF-8 NDJSON with Chinese keys. [\`channel-conflict.yaml\`](channel-conflict.yaml)
says how to read every file. Generated from \`fixtures/demo\` by \`scripts/make-erp-fixture.ts\`; do not edit
by hand. Only the names differ from the demo (Chinese names, so messages read
"南粤电子分销有限公司 (D-NANYUE) …").
`;

// ---------------------------------------------------------------------------------------------------------

/** One file of the fixture. */
export interface FixtureFile {
  /** Path relative to the fixture folder, with `/`. */
  readonly path: string;
  /** The collection it holds, or undefined for the manifest and the README. */
  readonly collection: string | undefined;
  readonly bytes: Buffer;
}

/** Every file of the fixture, built from the demo in `demoDir`, in path order. */
export function buildErpFixture(demoDir: string = DEMO_DIR): FixtureFile[] {
  const files: FixtureFile[] = [];
  const csv = (path: string, collection: string, rows: string[][]) => {
    files.push({ path, collection, bytes: encodeGb18030(csvText(rows), path) });
  };

  const events = readCollection(demoDir, "events");
  const byExport = new Map<string, { title: string; records: Flat[] }>();
  for (const event of events) {
    const { file, title } = eventExport(event);
    const entry = byExport.get(file) ?? { title, records: [] };
    entry.records.push(event);
    byExport.set(file, entry);
  }
  for (const [file, { title, records }] of byExport) csv(file, "events", table(EVENT_COLUMNS, records, title));

  for (const [collection, columns] of Object.entries(REFERENCE_COLUMNS)) {
    const path = REFERENCE_FILES[collection as keyof typeof REFERENCE_COLUMNS];
    csv(path, collection, table(columns, readCollection(demoDir, collection)));
  }
  files.push({
    path: REFERENCE_FILES.registrations,
    collection: "registrations",
    bytes: Buffer.from(registrationLines(readCollection(demoDir, "registrations")), "utf8"),
  });

  const manifest = manifestText();
  const parsed: unknown = parseYaml(manifest, { maxAliasCount: 100 });
  if (JSON.stringify(sortKeys(parsed)) !== JSON.stringify(sortKeys(MANIFEST))) {
    fail("channel-conflict.yaml does not say what the generator wrote (the template and MANIFEST differ)");
  }
  files.push({ path: "channel-conflict.yaml", collection: undefined, bytes: Buffer.from(manifest, "utf8") });
  files.push({ path: "README.md", collection: undefined, bytes: Buffer.from(README, "utf8") });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * Writes the fixture into `outDir` and returns its files. An `outDir` that exists must be empty or hold a
 * previous fixture (a `channel-conflict.yaml`), which is replaced.
 */
export function writeErpFixture(outDir: string = ERP_FIXTURE_DIR, demoDir: string = DEMO_DIR): FixtureFile[] {
  const files = buildErpFixture(demoDir);
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    if (!existsSync(join(outDir, "channel-conflict.yaml"))) fail(`${outDir} is not empty and holds no fixture; not overwriting it`);
    rmSync(outDir, { recursive: true });
  }
  for (const file of files) {
    const path = join(outDir, ...file.path.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.bytes);
  }
  return files;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? ERP_FIXTURE_DIR);
  const files = writeErpFixture(outDir);
  process.stdout.write(`make-erp-fixture: wrote ${files.length} files to ${outDir}\n`);
}
