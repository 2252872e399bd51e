/**
 * A generator of realistic channel datasets of any size, with injected conflicts, look-alikes that
 * must not fire, and the ground truth of the findings the shipped rules should produce.
 *
 * The world (regions, partners, territories, catalogue, policies, promotions) has a fixed shape;
 * the seed decides prices, customers, registrations, the background event stream and where the
 * scaled random injections land. Nothing reads the clock or Math.random: one seed, one dataset.
 *
 * How the truth is made: every injected record states which rules it is meant to fire. An
 * independent restatement of the documented semantics (the "oracle" below, written from
 * CONTRACT.md §3 and fixtures/demo/README.md, not from src/) evaluates each injected event, and the
 * generator refuses to produce a dataset where the oracle and the intent disagree. The oracle's
 * candidates are then grouped the way findings are grouped (per rule and key, while less than
 * `groupGapDays` apart) into the expected findings. Background events are built so that none can
 * fire: in territory, priced strictly above floors and MAP, sold only to unregistered customers or
 * by the customer's owner, online and offline prices from the same band.
 */
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { once } from "node:events";

// ───────────────────────────── public types ─────────────────────────────

export type Channel = "direct" | "distributor" | "reseller" | "retail" | "ecommerce" | "marketplace";

export interface PartnerRecord {
  id: string;
  name: string;
  channel: Channel;
  parentId?: string;
  homeRegion?: string;
}
export interface RegionRecord {
  code: string;
  name: string;
  parent?: string;
}
export interface TerritoryRecord {
  id: string;
  partnerId: string;
  region: string;
  exclusive: boolean;
  skus?: string[];
  categories?: string[];
  validFrom?: string;
  validTo?: string;
}
export interface ProductRecord {
  sku: string;
  name: string;
  category: string;
  listPrice: number;
  currency: string;
}
export interface PricePolicyRecord {
  id: string;
  sku: string;
  channel?: Channel;
  listPrice: number;
  floorPrice?: number;
  map?: number;
  currency: string;
  validFrom?: string;
  validTo?: string;
}
export interface PromotionRecord {
  id: string;
  name: string;
  skus?: string[];
  channels?: Channel[];
  partnerIds?: string[];
  maxDiscount: number;
  validFrom: string;
  validTo: string;
}
export interface RegistrationRecord {
  id: string;
  customerId: string;
  partnerId: string;
  status: "approved" | "pending" | "rejected" | "expired";
  registeredAt: string;
  expiresAt?: string;
}
export interface CustomerRecord {
  id: string;
  name: string;
  region: string;
  segment: string;
}
export interface ShipTo {
  region: string;
  country: string;
  postalCode?: string;
}
export interface SaleRecord {
  id: string;
  type: "order" | "sale";
  occurredAt: string;
  partnerId: string;
  sku: string;
  customerId?: string;
  quantity: number;
  unitPrice: number;
  currency: string;
  shipTo?: ShipTo;
  lot?: string;
  promotionId?: string;
}
export interface ListingRecord {
  id: string;
  type: "listing";
  occurredAt: string;
  partnerId: string;
  sku: string;
  price: number;
  currency: string;
  url?: string;
}
export interface AllocationRecord {
  id: string;
  type: "allocation";
  occurredAt: string;
  partnerId: string;
  sku: string;
  lot: string;
  quantity: number;
}
export type EventRecord = SaleRecord | ListingRecord | AllocationRecord;

/** Every collection but events. */
export interface ReferenceCollections {
  partners: PartnerRecord[];
  regions: RegionRecord[];
  territories: TerritoryRecord[];
  products: ProductRecord[];
  pricePolicies: PricePolicyRecord[];
  promotions: PromotionRecord[];
  registrations: RegistrationRecord[];
  customers: CustomerRecord[];
}
export interface GeneratedCollections extends ReferenceCollections {
  events: EventRecord[];
}

/** One expected finding after grouping. */
export interface ExpectedFinding {
  ruleId: string;
  /** The offender first, then the affected partners in lexical order. */
  partners: string[];
  /** The evidence events, sorted (present for every finding whose evidence fits the default cap of 50). */
  eventIds?: string[];
  count: number;
}

/** One injected case: a conflict (meant to produce findings) or a look-alike (meant to produce none). */
export interface InjectedCase {
  name: string;
  kind: "conflict" | "look-alike";
  /** The rule it targets (the one it fires, or the one a buggy detector would fire). */
  ruleId: string;
  /** The events, territories or registrations it consists of. */
  records: string[];
}

export interface Manifest {
  seed: number;
  events: number;
  backgroundEvents: number;
  injectedEvents: number;
  conflicts: boolean;
  period: { from: string; to: string };
  counts: Record<string, number>;
  expectedFindings: number;
  expectedByRule: Record<string, number>;
  injected: { conflicts: Record<string, number>; lookAlikes: Record<string, number> };
  cases: InjectedCase[];
}

export interface GenerateOptions {
  /**
   * Total number of events. With conflicts on, the injected events (about 80 plus 8 per random round)
   * are part of it; a smaller total yields just the injected events.
   */
  events: number;
  seed: number;
  /** Inject conflicts and look-alikes (default true). Without them the truth is empty. */
  conflicts?: boolean;
  /** Random conflicts of each kind on top of the fixed scenarios; default floor(events / 25000). */
  randomConflicts?: number;
}

export interface GeneratedDataset {
  collections: GeneratedCollections;
  truth: ExpectedFinding[];
  manifest: Manifest;
}

/** A dataset whose events are produced lazily, so a million of them never sit in memory at once. */
export interface DatasetPlan {
  reference: ReferenceCollections;
  truth: ExpectedFinding[];
  manifest: Manifest;
  /** The events in time order; each call starts the same deterministic stream again. */
  events(): Generator<EventRecord>;
}

// ───────────────────────────── constants ─────────────────────────────

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.UTC(2025, 0, 1);
const END = Date.UTC(2026, 0, 1);
/** Findings of one key join while less than this apart (the shipped rules' default `groupGapDays`). */
const GROUP_GAP_DAYS = 30;
const GAP_WINDOW_DAYS = 30;
const GAP_MIN_SAMPLES = 3;
const GAP_THRESHOLD_PCT = 25;
const MAX_EVIDENCE = 50;
const ONLINE: ReadonlySet<Channel> = new Set(["ecommerce", "marketplace"]);

const RULE = {
  floor: "price.below-floor",
  map: "price.below-map",
  gap: "price.online-offline-gap",
  overlap: "territory.exclusive-overlap",
  outside: "territory.out-of-territory",
  lot: "diversion.lot-outside-allocation",
  protectedSale: "customer.protected-sale",
  duplicate: "customer.duplicate-registration",
} as const;

const day = (text: string): number => {
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new Error(`bad date ${text}`);
  return ms;
};
const iso = (ms: number): string => new Date(ms).toISOString();
/** A date alone when the instant is midnight UTC, else a full timestamp. */
const isoDate = (ms: number): string => (ms % DAY === 0 ? iso(ms).slice(0, 10) : iso(ms));
const money = (cents: number): number => cents / 100;

// ───────────────────────────── PRNG ─────────────────────────────

class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32: a uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  between(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** Skewed toward the front of the list: a few best sellers, a long tail. */
  pickPopular<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(Math.pow(this.next(), 1.7) * items.length)] as T;
  }
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [value, w] of entries) {
      x -= w;
      if (x < 0) return value;
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }
}

/** Independent sub-streams from one seed. */
function subSeed(seed: number, salt: number): number {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  return h >>> 0;
}

// ───────────────────────────── the world ─────────────────────────────

interface Span {
  from?: number;
  to?: number;
}
const inSpan = (span: Span, t: number) => (span.from === undefined || span.from <= t) && (span.to === undefined || t < span.to);
const spansMeet = (a: Span, b: Span) =>
  Math.max(a.from ?? -Infinity, b.from ?? -Infinity) < Math.min(a.to ?? Infinity, b.to ?? Infinity);

interface Territory extends Span {
  id: string;
  partnerId: string;
  region: string;
  exclusive: boolean;
  skus?: string[];
  categories?: string[];
}
interface Policy extends Span {
  id: string;
  sku: string;
  channel?: Channel;
  listCents: number;
  floorCents?: number;
  mapCents?: number;
  currency: string;
}
interface Promotion {
  id: string;
  name: string;
  skus?: string[];
  channels?: Channel[];
  partnerIds?: string[];
  maxDiscount: number;
  from: number;
  to: number;
}
interface Registration {
  id: string;
  customerId: string;
  partnerId: string;
  status: RegistrationRecord["status"];
  from: number;
  to?: number;
}
interface Product {
  sku: string;
  name: string;
  category: string;
  cnyList: number;
  usdList?: number;
}

const COUNTRY_CURRENCY: Record<string, string> = { CN: "CNY", US: "USD" };

const REGION_TABLE: ReadonlyArray<readonly [string, string, ReadonlyArray<readonly [string, string]>]> = [
  ["CN-GD", "Guangdong", [["SZ", "Shenzhen"], ["GZ", "Guangzhou"], ["DG", "Dongguan"], ["FS", "Foshan"]]],
  ["CN-ZJ", "Zhejiang", [["HZ", "Hangzhou"], ["NB", "Ningbo"], ["WZ", "Wenzhou"]]],
  ["CN-JS", "Jiangsu", [["NJ", "Nanjing"], ["SU", "Suzhou"], ["WX", "Wuxi"]]],
  ["CN-SH", "Shanghai", [["PD", "Pudong"], ["XH", "Xuhui"], ["MH", "Minhang"]]],
  ["CN-BJ", "Beijing", [["CY", "Chaoyang"], ["HD", "Haidian"]]],
  ["CN-SC", "Sichuan", [["CD", "Chengdu"], ["MY", "Mianyang"]]],
  ["CN-HB", "Hubei", [["WH", "Wuhan"], ["YC", "Yichang"]]],
  ["CN-FJ", "Fujian", [["XM", "Xiamen"], ["FZ", "Fuzhou"]]],
  ["CN-SD", "Shandong", [["JN", "Jinan"], ["QD", "Qingdao"]]],
  ["CN-HA", "Henan", [["ZZ", "Zhengzhou"], ["LY", "Luoyang"]]],
  ["US-CA", "California", [["LA", "Los Angeles"], ["SF", "San Francisco"], ["SD", "San Diego"]]],
  ["US-NY", "New York", [["NYC", "New York City"], ["BUF", "Buffalo"]]],
  ["US-TX", "Texas", [["HOU", "Houston"], ["DAL", "Dallas"], ["AUS", "Austin"]]],
  ["US-WA", "Washington", [["SEA", "Seattle"], ["SPK", "Spokane"]]],
  ["US-FL", "Florida", [["MIA", "Miami"], ["ORL", "Orlando"]]],
  ["US-IL", "Illinois", [["CHI", "Chicago"], ["SPI", "Springfield"]]],
];

const CATEGORIES: ReadonlyArray<readonly [string, string, number, number, number]> = [
  // code, category, count, lowest CNY list, highest CNY list
  ["HP", "headphones", 14, 399, 2999],
  ["EB", "earbuds", 12, 199, 1499],
  ["SP", "speakers", 14, 299, 3999],
  ["SB", "soundbars", 10, 1299, 6999],
  ["AM", "amplifiers", 10, 999, 8999],
  ["MC", "microphones", 12, 199, 1999],
  ["TT", "turntables", 8, 1499, 7999],
  ["AC", "accessories", 16, 49, 399],
];
const PRODUCT_WORDS: Record<string, readonly string[]> = {
  headphones: ["Aria", "Nimbus", "Studio", "Voyager", "Halo", "Pulse", "Zen"],
  earbuds: ["Pebble", "Drift", "Spark", "Echo", "Flow", "Mini"],
  speakers: ["Boom", "Cube", "Tower", "Wave", "Orbit", "Monolith"],
  soundbars: ["Cinema", "Arc", "Beam", "Panorama"],
  amplifiers: ["Forge", "Titan", "Vector", "Ember"],
  microphones: ["Podium", "Vox", "Caster", "Lyric"],
  turntables: ["Groove", "Vinyl", "Spin"],
  accessories: ["Cable", "Stand", "Case", "Dock", "Tips", "Mount"],
};

const PARTNER_NAMES: Record<string, string> = {
  "P-DIRECT-CN": "Lumen Audio Key Accounts China",
  "P-DIRECT-US": "Lumen Audio Key Accounts US",
  "D-01": "Nanyue Electronics Distribution",
  "D-02": "Qiantang Digital Supply",
  "D-03": "Jinling Audio Distribution",
  "D-04": "Taihu Home Cinema Supply",
  "D-05": "Huabei Consumer Electronics",
  "D-06": "Tianfu Sound Distribution",
  "D-07": "Minjiang Trading",
  "D-08": "Qilu Electronics",
  "D-09": "Pacific Audio Distributors",
  "D-10": "Atlantic Sound Supply",
  "R-01": "BrightMart Electronics",
  "R-02": "Jiahe Appliance Stores",
  "R-03": "Crestline Electronics",
  "R-04": "SoundCity Stores",
  "R-05": "Sunway Department Stores",
  "W-01": "Lumen Audio Tmall Flagship",
  "W-02": "JD Self-Operated Audio",
  "W-03": "lumenaudio.com US Store",
  "W-04": "SoundHaven.com",
  "M-01": "Haoyin Digital (JD Marketplace)",
  "M-02": "Yinxiang Shop (Taobao)",
  "M-03": "Dianqi Outlet (Pinduoduo)",
  "M-04": "Kuaiyin Store (Douyin)",
  "M-05": "AudioDealsDirect (Amazon)",
  "M-06": "BestSoundBuys (eBay)",
};

const RESELLER_TABLE: ReadonlyArray<readonly [string, string, string[]]> = [
  // parent distributor, province, cities (digit suffix makes the id unique)
  ["D-01", "CN-GD", ["SZ1", "SZ2", "GZ1", "GZ2", "DG1", "FS1", "SZ3", "GZ3"]],
  ["D-02", "CN-ZJ", ["HZ1", "HZ2", "NB1", "WZ1", "HZ3", "NB2"]],
  ["D-03", "CN-JS", ["NJ1", "NJ2", "SU1", "SU2", "WX1", "NJ3"]],
  ["D-05", "CN-SH", ["PD1", "XH1", "MH1", "PD2"]],
  ["D-05", "CN-BJ", ["CY1", "HD1", "CY2", "HD2"]],
  ["D-06", "CN-SC", ["CD1", "CD2", "MY1", "CD3"]],
  ["D-06", "CN-HB", ["WH1", "WH2", "YC1"]],
  ["D-07", "CN-FJ", ["XM1", "FZ1", "XM2"]],
  ["D-08", "CN-SD", ["JN1", "QD1", "QD2"]],
  ["D-08", "CN-HA", ["ZZ1", "LY1"]],
  ["D-09", "US-CA", ["LA1", "SF1"]],
  ["D-09", "US-WA", ["SEA1", "SPK1"]],
  ["D-10", "US-NY", ["NYC1", "BUF1"]],
  ["D-10", "US-FL", ["MIA1"]],
  ["D-10", "US-TX", ["HOU1"]],
];
const RESELLER_WORDS = ["Sound", "Audio", "AV", "Hi-Fi", "Acoustic", "Media", "Tech", "Digital", "Studio"];
const RESELLER_SUFFIX = ["Solutions", "Systems", "Studio", "Trading", "Integration", "Supply", "Works"];

const CN_CUSTOMER_WORDS = ["Xinghe", "Yuelan", "Tianyin", "Minghu", "Huaxia", "Qianjiang", "Jinxiu", "Hengtai", "Ruifeng", "Longsheng", "Baiyun", "Xinda", "Haitian", "Zhongke", "Lanting", "Chuangyi"];
const CN_CUSTOMER_TYPES = ["Technology Co., Ltd.", "Hotel Group", "Education", "Media", "Co-working", "Logistics", "Design Studio", "Hospital", "Property Management", "Culture & Tourism"];
const US_CUSTOMER_WORDS = ["Harbor", "Summit", "Empire", "Lakeside", "Pioneer", "Redwood", "Keystone", "Bayview", "Granite", "Liberty", "Cedar", "Northstar", "Silverline", "Meridian"];
const US_CUSTOMER_TYPES = ["Hotels", "Studios LLC", "Academy", "Media Group", "Coworking", "Logistics Inc.", "Design Co.", "Health", "Events", "Church"];
const SEGMENTS = ["enterprise", "smb", "education", "hospitality", "government", "healthcare"];

/** The region tree: parents and, per region, the leaf cities under it. */
class Regions {
  readonly parent = new Map<string, string | undefined>();
  readonly name = new Map<string, string>();
  readonly cities: string[] = [];
  private readonly leaves = new Map<string, string[]>();

  add(code: string, name: string, parent?: string): void {
    this.parent.set(code, parent);
    this.name.set(code, name);
  }
  ancestors(code: string): string[] {
    const out: string[] = [];
    for (let c: string | undefined = code; c !== undefined; c = this.parent.get(c)) out.push(c);
    return out;
  }
  covers(a: string, b: string): boolean {
    return this.ancestors(b).includes(a);
  }
  country(code: string): string {
    const chain = this.ancestors(code);
    return chain[chain.length - 1] as string;
  }
  citiesUnder(code: string): string[] {
    let list = this.leaves.get(code);
    if (!list) {
      list = this.cities.filter((city) => this.covers(code, city));
      this.leaves.set(code, list);
    }
    return list;
  }
}

/** Does a territory's product scope include the product? (no scope = every product) */
function scopeIncludes(scope: { skus?: string[]; categories?: string[] }, sku: string, category: string | undefined): boolean {
  const skus = scope.skus ?? [];
  const categories = scope.categories ?? [];
  if (skus.length === 0 && categories.length === 0) return true;
  return skus.includes(sku) || (category !== undefined && categories.includes(category));
}

/** Do two scopes share a product of the catalogue? */
function scopesShare(
  a: { skus?: string[]; categories?: string[] },
  b: { skus?: string[]; categories?: string[] },
  products: readonly Product[],
): boolean {
  return products.some((p) => scopeIncludes(a, p.sku, p.category) && scopeIncludes(b, p.sku, p.category));
}

class World {
  readonly regions = new Regions();
  readonly partners: PartnerRecord[] = [];
  readonly partnerById = new Map<string, PartnerRecord>();
  readonly territories: Territory[] = [];
  readonly territoriesOf = new Map<string, Territory[]>();
  readonly products: Product[] = [];
  readonly productBySku = new Map<string, Product>();
  readonly policies: Policy[] = [];
  readonly policiesOf = new Map<string, Policy[]>();
  readonly promotions: Promotion[] = [];
  readonly registrations: Registration[] = [];
  readonly registrationsOf = new Map<string, Registration[]>();
  readonly customers: CustomerRecord[] = [];
  readonly customerById = new Map<string, CustomerRecord>();

  /** Products the background sells, per currency (the gap scenario skus and floor-less ones included where priced). */
  readonly backgroundSkus = new Map<string, string[]>();
  /** Skus random price conflicts may use: no promotion, no policy change, a floor. */
  readonly plainSkus = new Map<string, string[]>();
  /** Scenario-only skus (the online/offline gap cases): never sold by the background. */
  readonly dedicatedSkus: string[] = [];
  readonly floorlessSkus: string[] = [];
  readonly changedSkus: string[] = [];
  readonly marketplaceSkus: string[] = [];

  /** Customers nobody has ever registered, per city. */
  readonly openCustomers = new Map<string, string[]>();
  /** Background customers registered to a partner (only that partner sells to them). */
  readonly ownedCustomers = new Map<string, string[]>();
  readonly ownerOf = new Map<string, string>();

  addPartner(p: PartnerRecord): void {
    this.partners.push(p);
    this.partnerById.set(p.id, p);
  }
  addTerritory(t: Territory): void {
    if (!this.partnerById.has(t.partnerId)) throw new Error(`territory ${t.id}: unknown partner ${t.partnerId}`);
    if (!this.regions.parent.has(t.region)) throw new Error(`territory ${t.id}: unknown region ${t.region}`);
    this.territories.push(t);
    const list = this.territoriesOf.get(t.partnerId);
    if (list) list.push(t);
    else this.territoriesOf.set(t.partnerId, [t]);
  }
  addPolicy(p: Policy): void {
    this.policies.push(p);
    const list = this.policiesOf.get(p.sku);
    if (list) list.push(p);
    else this.policiesOf.set(p.sku, [p]);
  }
  addRegistration(r: Registration): void {
    if (!this.partnerById.has(r.partnerId)) throw new Error(`registration ${r.id}: unknown partner ${r.partnerId}`);
    this.registrations.push(r);
    const list = this.registrationsOf.get(r.customerId);
    if (list) list.push(r);
    else this.registrationsOf.set(r.customerId, [r]);
  }
  addCustomer(c: CustomerRecord): void {
    this.customers.push(c);
    this.customerById.set(c.id, c);
  }
  partner(id: string): PartnerRecord {
    const p = this.partnerById.get(id);
    if (!p) throw new Error(`unknown partner ${id}`);
    return p;
  }
  category(sku: string): string | undefined {
    return this.productBySku.get(sku)?.category;
  }
  countryOf(partnerId: string): string {
    return this.regions.country(this.partner(partnerId).homeRegion as string);
  }
  currencyOf(partnerId: string): string {
    return COUNTRY_CURRENCY[this.countryOf(partnerId)] as string;
  }

  // ── the oracle's view of the semantics ──

  restricted(partnerId: string): boolean {
    return this.partnerById.get(partnerId)?.channel !== "direct" && (this.territoriesOf.get(partnerId)?.length ?? 0) > 0;
  }
  validTerritories(partnerId: string, t: number): Territory[] {
    return (this.territoriesOf.get(partnerId) ?? []).filter((x) => inSpan(x, t));
  }
  covered(partnerId: string, region: string, t: number, sku: string): boolean {
    const category = this.category(sku);
    return (this.territoriesOf.get(partnerId) ?? []).some(
      (x) => inSpan(x, t) && scopeIncludes(x, sku, category) && this.regions.covers(x.region, region),
    );
  }
  /** Partners other than `except` holding `region` exclusively at `t` for the sku, sorted. */
  holders(region: string, t: number, sku: string, except: string): string[] {
    const category = this.category(sku);
    const ids = this.territories
      .filter(
        (x) =>
          x.exclusive && x.partnerId !== except && inSpan(x, t) && scopeIncludes(x, sku, category) && this.regions.covers(x.region, region),
      )
      .map((x) => x.partnerId);
    return [...new Set(ids)].sort();
  }
  policy(sku: string, channel: Channel, t: number, currency: string, field: "listCents" | "floorCents" | "mapCents"): Policy | undefined {
    let best: Policy | undefined;
    for (const p of this.policiesOf.get(sku) ?? []) {
      if (p[field] === undefined || p.currency !== currency || !inSpan(p, t)) continue;
      if (p.channel !== undefined && p.channel !== channel) continue;
      if (best === undefined) {
        best = p;
        continue;
      }
      const rank = p.channel === undefined ? 0 : 1;
      const bestRank = best.channel === undefined ? 0 : 1;
      if (rank > bestRank || (rank === bestRank && (p.from ?? -Infinity) > (best.from ?? -Infinity))) best = p;
    }
    return best;
  }
  /** True when an active promotion covering sku, channel and partner allows the price. */
  promotionAllows(sku: string, channel: Channel, partnerId: string, t: number, currency: string, priceCents: number): boolean {
    const list = this.policy(sku, channel, t, currency, "listCents");
    if (!list) return false;
    return this.promotions.some(
      (p) =>
        p.from <= t &&
        t < p.to &&
        (p.skus === undefined || p.skus.includes(sku)) &&
        (p.channels === undefined || p.channels.includes(channel)) &&
        (p.partnerIds === undefined || p.partnerIds.includes(partnerId)) &&
        priceCents * 1_000_000 >= list.listCents * Math.round((1 - p.maxDiscount) * 1_000_000),
    );
  }
  activePromotion(sku: string, channel: Channel, partnerId: string, t: number): Promotion | undefined {
    return this.promotions.find(
      (p) =>
        p.from <= t &&
        t < p.to &&
        (p.skus === undefined || p.skus.includes(sku)) &&
        (p.channels === undefined || p.channels.includes(channel)) &&
        (p.partnerIds === undefined || p.partnerIds.includes(partnerId)),
    );
  }
  /** The partner of the earliest approved registration active at t. */
  owner(customerId: string, t: number): string | undefined {
    const live = (this.registrationsOf.get(customerId) ?? [])
      .filter((r) => r.status === "approved" && inSpan(r, t))
      .sort((a, b) => a.from - b.from || (a.id < b.id ? -1 : 1));
    return live[0]?.partnerId;
  }
}

function buildWorld(rng: Rng, customerCount: number): World {
  const w = new World();
  // Regions.
  w.regions.add("CN", "China");
  w.regions.add("US", "United States");
  for (const [code, name, cities] of REGION_TABLE) {
    w.regions.add(code, name, code.slice(0, 2));
    for (const [suffix, cityName] of cities) {
      w.regions.add(`${code}-${suffix}`, cityName, code);
      w.regions.cities.push(`${code}-${suffix}`);
    }
  }

  // Catalogue and price policies.
  let index = 0;
  for (const [code, category, count, lo, hi] of CATEGORIES) {
    const words = PRODUCT_WORDS[category] as readonly string[];
    for (let i = 0; i < count; i++) {
      const sku = `LX-${code}-${101 + i}`;
      const raw = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rng.next());
      const cnyList = raw < 200 ? Math.round(raw / 10) * 10 - 1 : Math.round(raw / 100) * 100 - 1;
      const usd = index % 10 < 7 && !(code === "AC" && i < 3);
      const usdList = usd ? Math.max(9, Math.round(cnyList / 7 / 10) * 10 - 1) : undefined;
      const name = `${words[i % words.length]} ${["S", "X", "Pro", "Max", "Lite", "Air", "One"][Math.floor(i / words.length) % 7]} ${category.replace(/s$/, "")}`;
      const product: Product = { sku, name: `Lumen ${name}`, category, cnyList, ...(usdList !== undefined ? { usdList } : {}) };
      w.products.push(product);
      w.productBySku.set(sku, product);
      index++;
    }
  }
  // The scenario-only skus of the online/offline gap cases.
  for (const [i, name] of ["Pebble Limited Red", "Pebble Limited Blue", "Drift Edition Gold", "Spark Edition Jade"].entries()) {
    const sku = `LX-EB-${901 + i}`;
    const product: Product = { sku, name: `Lumen ${name}`, category: "earbuds", cnyList: 999 };
    w.products.push(product);
    w.productBySku.set(sku, product);
    w.dedicatedSkus.push(sku);
  }

  const percent = (list: number, pct: number) => Math.round(list * pct) * 100;
  for (const [i, p] of w.products.entries()) {
    const cny = p.cnyList;
    if (w.dedicatedSkus.includes(p.sku)) {
      w.addPolicy({ id: `PP-${p.sku}-CN`, sku: p.sku, listCents: cny * 100, floorCents: percent(cny, 0.6), mapCents: percent(cny, 0.65), currency: "CNY" });
      continue;
    }
    if (p.category === "accessories" && p.sku <= "LX-AC-103") {
      // MAP only: no floor.
      w.addPolicy({ id: `PP-${p.sku}-CN`, sku: p.sku, listCents: cny * 100, mapCents: percent(cny, 0.9), currency: "CNY" });
      w.floorlessSkus.push(p.sku);
    } else if (i % 11 === 5) {
      // The policy changed during the year: a new list (within 5%) from the change date.
      const change = Date.UTC(2025, 3 + (i % 6), 1);
      const next = Math.round(cny * (i % 2 === 0 ? 0.95 : 1.05));
      w.addPolicy({ id: `PP-${p.sku}-CN-2024`, sku: p.sku, listCents: cny * 100, floorCents: percent(cny, 0.85), mapCents: percent(cny, 0.9), currency: "CNY", to: change });
      w.addPolicy({ id: `PP-${p.sku}-CN-2025`, sku: p.sku, listCents: next * 100, floorCents: percent(next, 0.85), mapCents: percent(next, 0.9), currency: "CNY", from: change });
      w.changedSkus.push(p.sku);
    } else {
      w.addPolicy({ id: `PP-${p.sku}-CN`, sku: p.sku, listCents: cny * 100, floorCents: percent(cny, 0.85), mapCents: percent(cny, 0.9), currency: "CNY" });
    }
    if (i % 7 === 3 && !w.floorlessSkus.includes(p.sku)) {
      // A marketplace-specific policy: tighter floor and MAP.
      w.addPolicy({ id: `PP-${p.sku}-CN-MKT`, sku: p.sku, channel: "marketplace", listCents: cny * 100, floorCents: percent(cny, 0.88), mapCents: percent(cny, 0.93), currency: "CNY" });
      w.marketplaceSkus.push(p.sku);
    }
    if (p.usdList !== undefined) {
      const usd = p.usdList;
      w.addPolicy({ id: `PP-${p.sku}-US`, sku: p.sku, listCents: usd * 100, floorCents: percent(usd, 0.85), mapCents: percent(usd, 0.9), currency: "USD" });
    }
  }

  // Partners.
  const add = (id: string, channel: Channel, homeRegion: string, parentId?: string, name?: string) =>
    w.addPartner({ id, name: name ?? (PARTNER_NAMES[id] as string), channel, ...(parentId ? { parentId } : {}), homeRegion });
  add("P-DIRECT-CN", "direct", "CN");
  add("P-DIRECT-US", "direct", "US");
  const distributorHome: Record<string, string> = {
    "D-01": "CN-GD-GZ", "D-02": "CN-ZJ-HZ", "D-03": "CN-JS-NJ", "D-04": "CN-JS-SU", "D-05": "CN-BJ-CY",
    "D-06": "CN-SC-CD", "D-07": "CN-FJ-XM", "D-08": "CN-SD-JN", "D-09": "US-CA-LA", "D-10": "US-NY-NYC",
  };
  for (const [id, home] of Object.entries(distributorHome)) add(id, "distributor", home);
  for (const [parent, province, cities] of RESELLER_TABLE) {
    for (const [k, city] of cities.entries()) {
      const cityCode = `${province}-${city.replace(/\d+$/, "")}`;
      const id = `RS-${province.slice(3)}-${city}`;
      const word = RESELLER_WORDS[(k + city.length + province.length) % RESELLER_WORDS.length] as string;
      const suffix = RESELLER_SUFFIX[(k * 3 + city.charCodeAt(0)) % RESELLER_SUFFIX.length] as string;
      add(id, "reseller", cityCode, parent, `${w.regions.name.get(cityCode)} ${word} ${suffix}`);
    }
  }
  add("R-01", "retail", "CN-SH");
  add("R-02", "retail", "CN-JS");
  add("R-03", "retail", "US");
  add("R-04", "retail", "US-CA");
  add("R-05", "retail", "CN");
  add("W-01", "ecommerce", "CN-ZJ-HZ");
  add("W-02", "ecommerce", "CN-BJ");
  add("W-03", "ecommerce", "US");
  add("W-04", "ecommerce", "US-NY");
  add("M-01", "marketplace", "CN-BJ");
  add("M-02", "marketplace", "CN-ZJ");
  add("M-03", "marketplace", "CN-SH");
  add("M-04", "marketplace", "CN-GD");
  add("M-05", "marketplace", "US-WA");
  add("M-06", "marketplace", "US-CA");

  // Territories of the base world (the exclusive-overlap conflicts are added by the scenarios).
  const since = day("2024-01-01");
  const usdTexas = w.products.filter((p) => p.usdList !== undefined && (p.category === "headphones" || p.category === "speakers")).slice(0, 8).map((p) => p.sku);
  const T = (id: string, partnerId: string, region: string, exclusive: boolean, extra: Partial<Territory> = {}) =>
    w.addTerritory({ id, partnerId, region, exclusive, from: since, ...extra });
  T("T-D01-GD", "D-01", "CN-GD", true);
  T("T-D01-GD-SZ-SB", "D-01", "CN-GD-SZ", true, { categories: ["soundbars"], from: day("2025-02-01") }); // same partner: no overlap
  T("T-D02-ZJ", "D-02", "CN-ZJ", true);
  T("T-D03-JS", "D-03", "CN-JS", true, { categories: ["headphones", "earbuds", "speakers"], from: day("2024-07-01") });
  T("T-D04-JS", "D-04", "CN-JS", true, { categories: ["soundbars", "amplifiers"], from: day("2024-07-01") }); // disjoint scope
  T("T-D05-BJ", "D-05", "CN-BJ", true);
  T("T-D05-SH", "D-05", "CN-SH", true);
  T("T-D06-SC", "D-06", "CN-SC", true, { to: day("2025-07-01") }); // handover …
  T("T-D07-SC", "D-07", "CN-SC", true, { from: day("2025-07-01") }); // … on the same day
  T("T-D06-HB", "D-06", "CN-HB", true);
  T("T-D07-FJ", "D-07", "CN-FJ", true);
  T("T-D08-SD", "D-08", "CN-SD", true);
  T("T-D08-HA", "D-08", "CN-HA", false);
  T("T-D09-CA", "D-09", "US-CA", true);
  T("T-D09-WA", "D-09", "US-WA", true);
  T("T-D09-TX-HOU", "D-09", "US-TX-HOU", true, { skus: usdTexas.slice(0, 2), to: day("2025-01-01") }); // ended when T-D10-TX began
  T("T-D10-NY", "D-10", "US-NY", true);
  T("T-D10-FL", "D-10", "US-FL", true);
  T("T-D10-TX", "D-10", "US-TX", true, { skus: usdTexas, from: day("2025-01-01") });
  for (const [, province, cities] of RESELLER_TABLE) {
    for (const city of cities) {
      const id = `RS-${province.slice(3)}-${city}`;
      const cityCode = `${province}-${city.replace(/\d+$/, "")}`;
      const extra: Partial<Territory> = {};
      if (city === "SZ3" || city === "NJ3") extra.from = day("2025-04-01"); // onboarded this year
      if (id === "RS-HB-YC1") extra.to = day("2025-10-01"); // contract ended
      T(`T-${id}`, id, cityCode, false, extra);
    }
  }
  T("T-RS-GD-SZ1-DG", "RS-GD-SZ1", "CN-GD-DG", false);
  T("T-RS-SH-PD1-MH", "RS-SH-PD1", "CN-SH-MH", false);
  T("T-RS-CA-LA1-SD", "RS-CA-LA1", "US-CA-SD", false);
  T("T-RS-ZJ-HZ2-WZ", "RS-ZJ-HZ2", "CN-ZJ-WZ", false, { from: day("2025-03-01") });
  T("T-R01-SH", "R-01", "CN-SH", false);
  T("T-R01-BJ", "R-01", "CN-BJ", false);
  T("T-R01-GD", "R-01", "CN-GD", false);
  T("T-R01-ZJ", "R-01", "CN-ZJ", false);
  T("T-R02-JS", "R-02", "CN-JS", false);
  T("T-R02-SC", "R-02", "CN-SC", false);
  T("T-R02-HB", "R-02", "CN-HB", false);
  T("T-R04-CA", "R-04", "US-CA", false);
  T("T-R04-TX", "R-04", "US-TX", false);

  // Background promotions (their skus stay out of the random price conflicts).
  const promoSkus = (from: number, n: number, usd: boolean) =>
    w.products.filter((p) => !w.dedicatedSkus.includes(p.sku) && !w.floorlessSkus.includes(p.sku) && (!usd || p.usdList !== undefined)).slice(from, from + n).map((p) => p.sku);
  w.promotions.push(
    { id: "PR-2025-DEALER-Q1", name: "Lunar New Year dealer push", skus: promoSkus(0, 6, false), channels: ["distributor", "reseller"], maxDiscount: 0.15, from: day("2025-01-15"), to: day("2025-02-15") },
    { id: "PR-2025-618", name: "618 online festival", skus: promoSkus(14, 8, false), channels: ["ecommerce", "marketplace"], maxDiscount: 0.25, from: day("2025-06-01"), to: day("2025-06-21") },
    { id: "PR-2025-BF", name: "Black Friday", skus: promoSkus(30, 8, true), maxDiscount: 0.2, from: day("2025-11-25"), to: day("2025-12-03") },
    { id: "PR-2025-1111", name: "Singles' Day", skus: promoSkus(50, 10, false), channels: ["ecommerce", "marketplace"], maxDiscount: 0.3, from: day("2025-11-01"), to: day("2025-11-12") },
    { id: "PR-2025-R01-ANNIV", name: "BrightMart anniversary", skus: promoSkus(70, 5, false), partnerIds: ["R-01"], maxDiscount: 0.2, from: day("2025-09-01"), to: day("2025-10-01") },
  );

  // Which skus the background sells, and which random price conflicts may use.
  const promoted = new Set(w.promotions.flatMap((p) => p.skus ?? []));
  for (const currency of ["CNY", "USD"]) {
    const sellable = w.products
      .filter((p) => !w.dedicatedSkus.includes(p.sku) && (currency === "CNY" || p.usdList !== undefined))
      .map((p) => p.sku);
    w.backgroundSkus.set(currency, sellable);
    w.plainSkus.set(
      currency,
      sellable.filter((sku) => !promoted.has(sku) && !w.changedSkus.includes(sku) && !w.floorlessSkus.includes(sku)),
    );
  }

  // Customers.
  const cnCities = w.regions.cities.filter((c) => c.startsWith("CN"));
  const usCities = w.regions.cities.filter((c) => c.startsWith("US"));
  for (let i = 1; i <= customerCount; i++) {
    const us = rng.chance(0.25);
    const city = us ? rng.pick(usCities) : rng.pick(cnCities);
    const cityName = w.regions.name.get(city) as string;
    const name = us
      ? `${rng.pick(US_CUSTOMER_WORDS)} ${rng.pick(US_CUSTOMER_TYPES)} of ${cityName}`
      : `${cityName} ${rng.pick(CN_CUSTOMER_WORDS)} ${rng.pick(CN_CUSTOMER_TYPES)}`;
    w.addCustomer({ id: `C-${String(i).padStart(6, "0")}`, name, region: city, segment: rng.pick(SEGMENTS) });
  }

  // Background registrations: about one customer in seven is protected for one owner that can reach it
  // all year; only that owner sells to it. Some owners renewed, leaving an old `expired` record.
  let regNo = 1;
  const yearSpan = { from: START, to: END };
  for (const customer of w.customers) {
    if (!rng.chance(0.15)) {
      const list = w.openCustomers.get(customer.region);
      if (list) list.push(customer.id);
      else w.openCustomers.set(customer.region, [customer.id]);
      continue;
    }
    const country = w.regions.country(customer.region);
    const reaching = (channel: Channel) =>
      w.partners
        .filter((p) => p.channel === channel)
        .filter((p) =>
          (w.territoriesOf.get(p.id) ?? []).some(
            (x) => !x.skus && !x.categories && inSpan(x, yearSpan.from) && (x.to === undefined || x.to >= yearSpan.to) && w.regions.covers(x.region, customer.region),
          ),
        );
    const direct = country === "CN" ? "P-DIRECT-CN" : "P-DIRECT-US";
    const options: Array<readonly [string[], number]> = [
      [reaching("reseller").map((p) => p.id), 0.6],
      [[direct], 0.25],
      [reaching("distributor").map((p) => p.id), 0.1],
      [reaching("retail").map((p) => p.id), 0.05],
    ];
    const pool = rng.weighted(options.filter(([ids]) => ids.length > 0));
    const owner = rng.pick(pool);
    const from = START - rng.int(0, 300) * DAY;
    const to = Math.max(from + rng.pick([365, 540, 730]) * DAY, END + rng.int(1, 90) * DAY);
    if (rng.chance(0.1)) {
      w.addRegistration({ id: `REG-${String(regNo++).padStart(6, "0")}`, customerId: customer.id, partnerId: owner, status: "expired", from: from - 400 * DAY, to: from - 35 * DAY });
    }
    w.addRegistration({ id: `REG-${String(regNo++).padStart(6, "0")}`, customerId: customer.id, partnerId: owner, status: "approved", from, to });
    w.ownerOf.set(customer.id, owner);
    const list = w.ownedCustomers.get(owner);
    if (list) list.push(customer.id);
    else w.ownedCustomers.set(owner, [customer.id]);
  }
  return w;
}

// ───────────────────────────── events ─────────────────────────────

interface TimedEvent {
  t: number;
  record: EventRecord;
}

interface LotInfo {
  lot: string;
  at: number;
}

/** Builds events the way the background does; the injector reuses it with overrides. */
class EventFactory {
  /** Latest background lot per (partner, sku). */
  readonly lots = new Map<string, LotInfo>();
  private lotNo = 1;

  constructor(private readonly w: World) {}

  private shipTo(rng: Rng, city: string): ShipTo {
    const country = this.w.regions.country(city);
    const postal = country === "CN" ? String(rng.int(100000, 899999)) : String(rng.int(10001, 99950));
    return rng.chance(0.6) ? { region: city, country, postalCode: postal } : { region: city, country };
  }

  /** A background-style price in the band every channel shares: 92–100% of list, strictly above floor. */
  priceCents(rng: Rng, sku: string, channel: Channel, t: number, currency: string, lo = 0.92, hi = 1.0): number {
    const list = this.w.policy(sku, channel, t, currency, "listCents");
    if (!list) throw new Error(`no ${currency} list price for ${sku}`);
    const price = Math.round(list.listCents * rng.between(lo, hi));
    const floor = this.w.policy(sku, channel, t, currency, "floorCents");
    if (floor?.floorCents !== undefined && price <= floor.floorCents) throw new Error(`background price for ${sku} not above floor`);
    return price;
  }

  quantity(rng: Rng, channel: Channel): number {
    switch (channel) {
      case "distributor":
        return rng.int(20, 400);
      case "reseller":
        return rng.int(1, 40);
      case "direct":
        return rng.int(5, 150);
      case "retail":
        return rng.int(1, 3);
      default:
        return rng.int(1, 2);
    }
  }

  /**
   * Where a partner may sell at `t` and what: a city and a sku, in one of its territories valid then
   * when it is restricted, anywhere in its country otherwise. Undefined when it may sell nowhere.
   */
  placeAndSku(rng: Rng, partnerId: string, t: number): { city: string; sku: string } | undefined {
    const w = this.w;
    const currency = w.currencyOf(partnerId);
    const skus = w.backgroundSkus.get(currency) as string[];
    if (!w.restricted(partnerId)) {
      const country = w.countryOf(partnerId);
      return { city: rng.pick(w.regions.citiesUnder(country)), sku: rng.pickPopular(skus) };
    }
    const valid = w.validTerritories(partnerId, t);
    if (valid.length === 0) return undefined;
    const territory = rng.pick(valid);
    const inScope = skus.filter((sku) => scopeIncludes(territory, sku, w.category(sku)));
    if (inScope.length === 0) return undefined;
    return { city: rng.pick(w.regions.citiesUnder(territory.region)), sku: rng.pickPopular(inScope) };
  }

  /** An unregistered customer of the city, if it has any. */
  openCustomer(rng: Rng, city: string): string | undefined {
    const list = this.w.openCustomers.get(city);
    return list && list.length > 0 ? rng.pick(list) : undefined;
  }

  /** A compliant order/sale of the partner at `t`, or undefined when it cannot sell then. */
  backgroundSale(rng: Rng, id: string, partnerId: string, t: number): SaleRecord | undefined {
    const w = this.w;
    const partner = w.partner(partnerId);
    const place = this.placeAndSku(rng, partnerId, t);
    if (!place) return undefined;
    let { city } = place;
    const { sku } = place;
    const currency = w.currencyOf(partnerId);
    // Its own registered customers, when it can reach them; else an unregistered customer of the city.
    let customerId: string | undefined;
    const own = w.ownedCustomers.get(partnerId);
    if (own && rng.chance(0.3)) {
      const candidate = rng.pick(own);
      const region = w.customerById.get(candidate)?.region as string;
      if (!w.restricted(partnerId) || w.covered(partnerId, region, t, sku)) {
        customerId = candidate;
        city = region;
      }
    }
    if (customerId === undefined && !(partner.channel === "retail" && rng.chance(0.5))) customerId = this.openCustomer(rng, city);
    let priceCents: number;
    let promotionId: string | undefined;
    const promotion = w.activePromotion(sku, partner.channel, partnerId, t);
    if (promotion && rng.chance(0.5)) {
      priceCents = this.priceCents(rng, sku, partner.channel, t, currency, 0.89, 0.92);
      promotionId = promotion.id;
    } else {
      priceCents = this.priceCents(rng, sku, partner.channel, t, currency);
    }
    // Goods from a lot: the seller's own, or its distributor's, when sold inside the source's territory.
    let lot: string | undefined;
    const source = partner.channel === "reseller" ? (partner.parentId as string) : partnerId;
    const info = this.lots.get(`${source}|${sku}`);
    if (info && info.at <= t && rng.chance(0.5) && (!w.restricted(source) || w.covered(source, city, t, sku))) lot = info.lot;
    const sale: SaleRecord = {
      id,
      type: partner.channel === "retail" ? "sale" : "order",
      occurredAt: iso(t),
      partnerId,
      sku,
      ...(customerId !== undefined ? { customerId } : {}),
      quantity: this.quantity(rng, partner.channel),
      unitPrice: money(priceCents),
      currency,
    };
    if (customerId === undefined || rng.chance(0.8)) sale.shipTo = this.shipTo(rng, city);
    if (lot !== undefined) sale.lot = lot;
    if (promotionId !== undefined) sale.promotionId = promotionId;
    return sale;
  }

  /** A sale with everything given: for scenarios. */
  sale(
    rng: Rng,
    id: string,
    partnerId: string,
    t: number,
    sku: string,
    city: string,
    options: { priceCents?: number; customerId?: string; lot?: string; promotionId?: string; quantity?: number; omitShipTo?: boolean } = {},
  ): SaleRecord {
    const w = this.w;
    const partner = w.partner(partnerId);
    const currency = w.currencyOf(partnerId);
    const customerId = options.customerId ?? this.openCustomer(rng, city);
    const record: SaleRecord = {
      id,
      type: partner.channel === "retail" ? "sale" : "order",
      occurredAt: iso(t),
      partnerId,
      sku,
      ...(customerId !== undefined ? { customerId } : {}),
      quantity: options.quantity ?? this.quantity(rng, partner.channel),
      unitPrice: money(options.priceCents ?? this.priceCents(rng, sku, partner.channel, t, currency)),
      currency,
    };
    if (!(options.omitShipTo && customerId !== undefined)) record.shipTo = this.shipTo(rng, city);
    if (options.lot !== undefined) record.lot = options.lot;
    if (options.promotionId !== undefined) record.promotionId = options.promotionId;
    return record;
  }

  listing(rng: Rng, id: string, partnerId: string, t: number, sku: string, priceCents?: number): ListingRecord {
    const w = this.w;
    const partner = w.partner(partnerId);
    const currency = w.currencyOf(partnerId);
    let price = priceCents;
    if (price === undefined) {
      const list = w.policy(sku, partner.channel, t, currency, "listCents") as Policy;
      price = Math.round(list.listCents * rng.between(0.95, 1.0));
      const map = w.policy(sku, partner.channel, t, currency, "mapCents");
      if (map?.mapCents !== undefined && price <= map.mapCents) throw new Error(`background listing for ${sku} not above MAP`);
    }
    const host = partnerId.startsWith("M-") ? "marketplace" : partnerId.startsWith("W-") ? "shop" : "store";
    return {
      id,
      type: "listing",
      occurredAt: iso(t),
      partnerId,
      sku,
      price: money(price),
      currency,
      url: `https://${host}.example.com/${partnerId.toLowerCase()}/item/${sku.toLowerCase()}`,
    };
  }

  backgroundListing(rng: Rng, id: string, partnerId: string, t: number): ListingRecord {
    const currency = this.w.currencyOf(partnerId);
    const sku = rng.pickPopular(this.w.backgroundSkus.get(currency) as string[]);
    return this.listing(rng, id, partnerId, t, sku);
  }

  newLot(sku: string, t: number): string {
    const d = new Date(t);
    return `LOT-${sku.slice(3)}-${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(this.lotNo++).padStart(5, "0")}`;
  }

  backgroundAllocation(rng: Rng, id: string, partnerId: string, t: number): AllocationRecord | undefined {
    const place = this.placeAndSku(rng, partnerId, t);
    if (!place) return undefined;
    const lot = this.newLot(place.sku, t);
    this.lots.set(`${partnerId}|${place.sku}`, { lot, at: t });
    return { id, type: "allocation", occurredAt: iso(t), partnerId, sku: place.sku, lot, quantity: rng.int(10, 200) * 10 };
  }
}

/** The background stream: compliant events in time order. */
function* backgroundEvents(w: World, seed: number, count: number): Generator<TimedEvent> {
  const rng = new Rng(subSeed(seed, 2));
  const factory = new EventFactory(w);
  const byChannel = new Map<Channel, string[]>();
  for (const p of w.partners) {
    const list = byChannel.get(p.channel);
    if (list) list.push(p.id);
    else byChannel.set(p.channel, [p.id]);
  }
  const saleChannels: Array<readonly [Channel, number]> = [
    ["distributor", 0.18], ["reseller", 0.32], ["retail", 0.17], ["ecommerce", 0.15], ["marketplace", 0.1], ["direct", 0.08],
  ];
  const listingChannels: Array<readonly [Channel, number]> = [["ecommerce", 0.45], ["marketplace", 0.45], ["retail", 0.1]];
  const allocationChannels: Array<readonly [Channel, number]> = [["distributor", 0.8], ["retail", 0.1], ["ecommerce", 0.1]];
  const span = END - START;
  for (let k = 0; k < count; k++) {
    // Strictly increasing times spread over the year, with jitter.
    const t = START + Math.floor(((k + rng.next()) / count) * span);
    const id = (prefix: string) => `${prefix}-${String(k + 1).padStart(8, "0")}`;
    const roll = rng.next();
    let record: EventRecord | undefined;
    for (let attempt = 0; record === undefined; attempt++) {
      if (attempt > 50) throw new Error("background: no partner could sell");
      if (roll < 0.85) {
        const partnerId = rng.pick(byChannel.get(rng.weighted(saleChannels)) as string[]);
        const sale = factory.backgroundSale(rng, "", partnerId, t);
        if (sale) record = { ...sale, id: id(sale.type === "sale" ? "S" : "O") };
      } else if (roll < 0.95) {
        const partnerId = rng.pick(byChannel.get(rng.weighted(listingChannels)) as string[]);
        record = factory.backgroundListing(rng, id("L"), partnerId, t);
      } else {
        const partnerId = rng.pick(byChannel.get(rng.weighted(allocationChannels)) as string[]);
        record = factory.backgroundAllocation(rng, id("A"), partnerId, t);
      }
    }
    yield { t, record };
  }
}

// ───────────────────────────── scenarios ─────────────────────────────

interface Intent {
  eventId: string;
  rules: string[];
}

/** Collects the injected records and what each is meant to fire. */
class Injector {
  readonly events: TimedEvent[] = [];
  readonly intents: Intent[] = [];
  readonly cases: InjectedCase[] = [];
  /** Reference records the scenarios meant to conflict (exclusive overlaps, duplicate registrations). */
  readonly intendedPairs: Array<{ ruleId: string; partners: string[] }> = [];
  private eventNo = 1;
  private customerNo = 1;
  private regNo = 1;
  private lotNo = 1;
  readonly factory: EventFactory;

  constructor(
    readonly w: World,
    readonly rng: Rng,
  ) {
    this.factory = new EventFactory(w);
  }

  private nextId(prefix: string): string {
    return `${prefix}-X${String(this.eventNo++).padStart(5, "0")}`;
  }
  private push(t: number, record: EventRecord, rules: string[]): string {
    if (t < START || t >= END) throw new Error(`scenario event outside the year: ${iso(t)}`);
    this.events.push({ t, record });
    this.intents.push({ eventId: record.id, rules });
    return record.id;
  }
  note(name: string, kind: InjectedCase["kind"], ruleId: string, records: string[]): void {
    this.cases.push({ name, kind, ruleId, records });
  }

  sale(
    partnerId: string,
    t: number,
    sku: string,
    city: string,
    rules: string[],
    options: Parameters<EventFactory["sale"]>[6] = {},
  ): string {
    const prefix = this.w.partner(partnerId).channel === "retail" ? "S" : "O";
    return this.push(t, this.factory.sale(this.rng, this.nextId(prefix), partnerId, t, sku, city, options), rules);
  }
  listing(partnerId: string, t: number, sku: string, priceCents: number, rules: string[]): string {
    return this.push(t, this.factory.listing(this.rng, this.nextId("L"), partnerId, t, sku, priceCents), rules);
  }
  allocation(partnerId: string, t: number, sku: string, lot?: string): { id: string; lot: string } {
    const lotId = lot ?? `LOT-${sku.slice(3)}-X${String(this.lotNo++).padStart(4, "0")}`;
    const record: AllocationRecord = { id: this.nextId("A"), type: "allocation", occurredAt: iso(t), partnerId, sku, lot: lotId, quantity: this.rng.int(20, 100) * 10 };
    return { id: this.push(t, record, []), lot: lotId };
  }
  customer(city: string): string {
    const id = `C-X${String(this.customerNo++).padStart(4, "0")}`;
    const cityName = this.w.regions.name.get(city) as string;
    const us = city.startsWith("US");
    const name = us
      ? `${this.rng.pick(US_CUSTOMER_WORDS)} ${this.rng.pick(US_CUSTOMER_TYPES)} of ${cityName}`
      : `${cityName} ${this.rng.pick(CN_CUSTOMER_WORDS)} ${this.rng.pick(CN_CUSTOMER_TYPES)}`;
    this.w.addCustomer({ id, name, region: city, segment: this.rng.pick(SEGMENTS) });
    return id;
  }
  registration(customerId: string, partnerId: string, status: Registration["status"], from: number, to?: number): string {
    const id = `REG-X${String(this.regNo++).padStart(4, "0")}`;
    this.w.addRegistration({ id, customerId, partnerId, status, from, ...(to !== undefined ? { to } : {}) });
    return id;
  }
  /** An unregistered customer of the city (falls back to none). */
  open(city: string): string | undefined {
    return this.factory.openCustomer(this.rng, city);
  }
  /** Cents helpers on the applicable policies. */
  floor(sku: string, partnerId: string, t: number): number {
    const p = this.w.partner(partnerId);
    const policy = this.w.policy(sku, p.channel, t, this.w.currencyOf(partnerId), "floorCents");
    if (policy?.floorCents === undefined) throw new Error(`no floor for ${sku}`);
    return policy.floorCents;
  }
  map(sku: string, partnerId: string, t: number): number {
    const p = this.w.partner(partnerId);
    const policy = this.w.policy(sku, p.channel, t, this.w.currencyOf(partnerId), "mapCents");
    if (policy?.mapCents === undefined) throw new Error(`no MAP for ${sku}`);
    return policy.mapCents;
  }
  list(sku: string, partnerId: string, t: number): number {
    const p = this.w.partner(partnerId);
    return (this.w.policy(sku, p.channel, t, this.w.currencyOf(partnerId), "listCents") as Policy).listCents;
  }
}

/** Picks a plain sku in scope for the partner's territory covering the city (or any plain sku). */
function plainSkuFor(inj: Injector, partnerId: string, city: string, t: number, avoid: ReadonlySet<string> = new Set()): string {
  const w = inj.w;
  const skus = (w.plainSkus.get(w.currencyOf(partnerId)) as string[]).filter(
    (sku) => !avoid.has(sku) && (!w.restricted(partnerId) || w.covered(partnerId, city, t, sku)),
  );
  return inj.rng.pick(skus.slice(0, Math.max(1, Math.min(skus.length, 40))));
}

/** The fixed scenarios: each conflict with its look-alikes. */
function fixedScenarios(inj: Injector): void {
  const { w, rng } = inj;
  const jitter = () => rng.int(8, 17) * HOUR + rng.int(0, 59) * 60_000;
  const at = (date: string) => day(date) + jitter();
  const used = new Set<string>();
  const sku = (partnerId: string, city: string, t: number) => {
    const s = plainSkuFor(inj, partnerId, city, t, used);
    used.add(s);
    return s;
  };

  // Scenario promotions.
  const promoSku = sku("RS-ZJ-HZ1", "CN-ZJ-HZ", day("2025-03-01"));
  const partnerPromoSku = sku("R-01", "CN-SH-PD", day("2025-09-01"));
  w.promotions.push(
    { id: "PR-2025-SPRING-DEALER", name: "Spring dealer push", skus: [promoSku], channels: ["distributor", "reseller"], maxDiscount: 0.2, from: day("2025-03-01"), to: day("2025-04-01") },
    { id: "PR-2025-R01-AUTUMN", name: "BrightMart autumn audio event", skus: [partnerPromoSku], partnerIds: ["R-01"], maxDiscount: 0.2, from: day("2025-09-01"), to: day("2025-10-01") },
  );
  const below = (floorCents: number, pct: number) => Math.floor(floorCents * (1 - pct));

  // ── below-floor ──
  {
    const t = at("2025-04-03");
    const id = inj.sale("RS-ZJ-HZ1", t, promoSku, "CN-ZJ-HZ", [RULE.floor], { priceCents: below(inj.floor(promoSku, "RS-ZJ-HZ1", t), 0.01), promotionId: "PR-2025-SPRING-DEALER" });
    inj.note("below floor after the promotion ended", "conflict", RULE.floor, [id]);
  }
  {
    const t = at("2025-03-12");
    const id = inj.sale("R-01", t, promoSku, "CN-SH-XH", [RULE.floor], { priceCents: Math.round(inj.list(promoSku, "R-01", t) * 0.82), promotionId: "PR-2025-SPRING-DEALER" });
    inj.note("below floor, the promotion does not cover the retail channel", "conflict", RULE.floor, [id]);
  }
  {
    const s = sku("R-02", "CN-JS-NJ", day("2025-05-01"));
    const ids = ["2025-05-02", "2025-05-20", "2025-06-10"].map((d) => {
      const t = at(d);
      return inj.sale("R-02", t, s, "CN-JS-NJ", [RULE.floor], { priceCents: below(inj.floor(s, "R-02", t), 0.015) });
    });
    inj.note("below floor three times, each less than 30 days after the last (one finding)", "conflict", RULE.floor, ids);
  }
  {
    const s = sku("D-01", "CN-GD-FS", day("2025-07-01"));
    const t1 = day("2025-07-01") + 10 * HOUR;
    const t2 = t1 + GROUP_GAP_DAYS * DAY;
    const a = inj.sale("D-01", t1, s, "CN-GD-FS", [RULE.floor], { priceCents: below(inj.floor(s, "D-01", t1), 0.02) });
    const b = inj.sale("D-01", t2, s, "CN-GD-FS", [RULE.floor], { priceCents: below(inj.floor(s, "D-01", t2), 0.02) });
    inj.note("below floor twice exactly 30 days apart (two findings)", "conflict", RULE.floor, [a, b]);
  }
  {
    const s = w.marketplaceSkus.find((x) => !used.has(x) && (w.plainSkus.get("CNY") as string[]).includes(x)) as string;
    used.add(s);
    const t = at("2025-08-14");
    const general = (w.policy(s, "ecommerce", t, "CNY", "floorCents") as Policy).floorCents as number;
    const specific = inj.floor(s, "M-01", t);
    const price = Math.round((general + specific) / 2);
    const id = inj.sale("M-01", t, s, "CN-BJ-HD", [RULE.floor], { priceCents: price });
    inj.note("below the marketplace-specific floor, above the general one", "conflict", RULE.floor, [id]);
    const t2 = at("2025-08-20");
    const look = inj.sale("W-02", t2, s, "CN-BJ-HD", [], { priceCents: price });
    inj.note("the same price by a web store: the general floor applies", "look-alike", RULE.floor, [look]);
  }
  {
    const t = at("2025-10-21");
    const s = sku("W-03", "US-NY-NYC", t);
    const id = inj.sale("W-03", t, s, "US-NY-NYC", [RULE.floor], { priceCents: below(inj.floor(s, "W-03", t), 0.02) });
    inj.note("below floor in USD", "conflict", RULE.floor, [id]);
  }
  {
    const t = at("2025-09-10");
    const id = inj.sale("R-02", t, partnerPromoSku, "CN-HB-WH", [RULE.floor], { priceCents: Math.round(inj.list(partnerPromoSku, "R-02", t) * 0.82) });
    inj.note("below floor, the promotion is for another partner", "conflict", RULE.floor, [id]);
    const t2 = at("2025-09-15");
    const look = inj.sale("R-01", t2, partnerPromoSku, "CN-SH-PD", [], { priceCents: Math.round(inj.list(partnerPromoSku, "R-01", t2) * 0.82), promotionId: "PR-2025-R01-AUTUMN" });
    inj.note("below floor, allowed by a promotion for this very partner", "look-alike", RULE.floor, [look]);
  }
  {
    const t = at("2025-03-15");
    const a = inj.sale("RS-ZJ-HZ2", t, promoSku, "CN-ZJ-HZ", [], { priceCents: inj.list(promoSku, "RS-ZJ-HZ2", t) * 0.8, promotionId: "PR-2025-SPRING-DEALER" });
    const t2 = at("2025-03-20");
    const b = inj.sale("D-02", t2, promoSku, "CN-ZJ-NB", [], { priceCents: Math.round(inj.list(promoSku, "D-02", t2) * 0.83), promotionId: "PR-2025-SPRING-DEALER" });
    inj.note("below floor, covered by an active promotion (one exactly at its limit)", "look-alike", RULE.floor, [a, b]);
  }
  {
    const t = at("2025-02-11");
    const s = sku("RS-GD-GZ1", "CN-GD-GZ", t);
    const a = inj.sale("RS-GD-GZ1", t, s, "CN-GD-GZ", [], { priceCents: inj.floor(s, "RS-GD-GZ1", t) });
    const ms = w.marketplaceSkus.find((x) => !used.has(x) && (w.plainSkus.get("CNY") as string[]).includes(x)) as string;
    used.add(ms);
    const t2 = at("2025-02-19");
    const b = inj.sale("M-02", t2, ms, "CN-ZJ-WZ", [], { priceCents: inj.floor(ms, "M-02", t2) });
    inj.note("exactly at the floor (general and marketplace-specific)", "look-alike", RULE.floor, [a, b]);
  }
  {
    const s = w.changedSkus[0] as string;
    const change = (w.policiesOf.get(s) as Policy[]).find((p) => p.from !== undefined)?.from as number;
    const t = change + 9 * DAY + jitter();
    const oldFloor = ((w.policiesOf.get(s) as Policy[]).find((p) => p.to !== undefined) as Policy).floorCents as number;
    const newFloor = inj.floor(s, "RS-SH-XH1", t);
    const lowFloor = Math.min(oldFloor, newFloor);
    const highFloor = Math.max(oldFloor, newFloor);
    // Between the two floors: below the one that no longer applies when the floor was lowered,
    // above the one that applies either way.
    const price = oldFloor > newFloor ? Math.round((lowFloor + highFloor) / 2) : highFloor + 100;
    const id = inj.sale("RS-SH-XH1", t, s, "CN-SH-XH", [], { priceCents: price });
    inj.note("price policy changed: the new floor applies", "look-alike", RULE.floor, [id]);
  }
  {
    const s = w.floorlessSkus[0] as string;
    const t = at("2025-05-27");
    const id = inj.sale("RS-BJ-CY1", t, s, "CN-BJ-CY", [], { priceCents: Math.round(inj.list(s, "RS-BJ-CY1", t) * 0.7) });
    inj.note("deep discount on a product whose policy has no floor", "look-alike", RULE.floor, [id]);
  }
  {
    const s = (w.backgroundSkus.get("CNY") as string[]).find((x) => w.productBySku.get(x)?.usdList === undefined && !w.floorlessSkus.includes(x)) as string;
    const t = at("2025-06-24");
    const id = inj.sale("W-04", t, s, "US-FL-MIA", [], { priceCents: 1900 });
    inj.note("sale in USD of a product priced only in CNY (skipped and counted, never compared)", "look-alike", RULE.floor, [id]);
  }

  // ── below-map ──
  {
    const t = at("2025-02-14");
    const s = sku("W-01", "CN-GD-SZ", t);
    const id = inj.listing("W-01", t, s, Math.floor(inj.map(s, "W-01", t) * 0.96), [RULE.map]);
    inj.note("listed below MAP", "conflict", RULE.map, [id]);
    const t2 = at("2025-02-16");
    const look = inj.listing("W-02", t2, s, inj.map(s, "W-02", t2), []);
    inj.note("listed exactly at MAP", "look-alike", RULE.map, [look]);
  }
  {
    const s = w.marketplaceSkus.find((x) => !used.has(x) && (w.plainSkus.get("CNY") as string[]).includes(x)) as string;
    used.add(s);
    const t = at("2025-04-08");
    const general = (w.policy(s, "ecommerce", t, "CNY", "mapCents") as Policy).mapCents as number;
    const specific = inj.map(s, "M-03", t);
    const price = Math.round((general + specific) / 2);
    const id = inj.listing("M-03", t, s, price, [RULE.map]);
    inj.note("listed below the marketplace-specific MAP, above the general one", "conflict", RULE.map, [id]);
    const look = inj.listing("W-01", at("2025-04-09"), s, price, []);
    const exact = inj.listing("M-04", at("2025-04-10"), s, specific, []);
    inj.note("the same price by a web store, and a marketplace listing exactly at its MAP", "look-alike", RULE.map, [look, exact]);
  }
  {
    const s = sku("M-05", "US-WA-SEA", day("2025-11-01"));
    const ids = ["2025-11-03", "2025-11-18", "2025-12-09"].map((d) => {
      const t = at(d);
      return inj.listing("M-05", t, s, Math.floor(inj.map(s, "M-05", t) * 0.93), [RULE.map]);
    });
    inj.note("listed below MAP three times within 30-day gaps (one finding)", "conflict", RULE.map, ids);
  }

  // ── online/offline gap (dedicated skus: one online seller, one offline seller) ──
  {
    const [gapSku, smallSku, fewSku, staleSku] = w.dedicatedSkus as [string, string, string, string];
    const list = (s: string) => (w.policy(s, "retail", START, "CNY", "listCents") as Policy).listCents;
    const series = (s: string, partnerId: string, city: string, start: string, days: number[], lo: number, hi: number) =>
      days.map((d) => inj.sale(partnerId, day(start) + d * DAY + jitter(), s, city, [], { priceCents: Math.round(list(s) * rng.between(lo, hi)) }));
    const offline = series(gapSku, "R-01", "CN-SH-PD", "2025-08-01", [0, 4, 8, 12, 16, 21, 26, 31], 0.97, 1.0);
    const online = series(gapSku, "W-02", "CN-SH-PD", "2025-08-01", [2, 6, 10, 14, 23], 0.7, 0.72);
    inj.note("online about 28% under offline over a month", "conflict", RULE.gap, [...offline, ...online].sort());
    const smallOff = series(smallSku, "R-01", "CN-BJ-CY", "2025-05-05", [0, 5, 10, 15], 0.98, 1.0);
    const smallOn = series(smallSku, "M-01", "CN-BJ-CY", "2025-05-05", [2, 7, 12, 17], 0.84, 0.86);
    inj.note("online about 14% under offline: within the threshold", "look-alike", RULE.gap, [...smallOff, ...smallOn].sort());
    const fewOff = series(fewSku, "R-02", "CN-JS-SU", "2025-10-01", [0, 4, 8, 12, 16], 0.98, 1.0);
    const fewOn = series(fewSku, "W-01", "CN-JS-SU", "2025-10-01", [6, 14], 0.62, 0.64);
    inj.note("a large gap with only two online sales", "look-alike", RULE.gap, [...fewOff, ...fewOn].sort());
    const staleOn = series(staleSku, "W-01", "CN-GD-GZ", "2025-03-02", [0, 3, 6], 0.65, 0.66);
    const staleOff = series(staleSku, "R-01", "CN-GD-GZ", "2025-04-10", [0, 3, 6], 0.98, 1.0);
    inj.note("cheap online sales and offline sales more than 30 days apart", "look-alike", RULE.gap, [...staleOn, ...staleOff].sort());
  }

  // ── exclusive overlap ──
  {
    const usdTexas = (w.territories.find((x) => x.id === "T-D10-TX") as Territory).skus as string[];
    w.addTerritory({ id: "T-D05-ZJ-NB", partnerId: "D-05", region: "CN-ZJ-NB", exclusive: true, from: day("2025-05-01"), to: day("2025-11-01") });
    inj.intendedPairs.push({ ruleId: RULE.overlap, partners: ["D-05", "D-02"] });
    inj.note("exclusive city inside another distributor's exclusive province", "conflict", RULE.overlap, ["T-D05-ZJ-NB", "T-D02-ZJ"]);
    w.addTerritory({ id: "T-D08-JS-HP", partnerId: "D-08", region: "CN-JS", exclusive: true, categories: ["headphones"], from: day("2025-03-01") });
    inj.intendedPairs.push({ ruleId: RULE.overlap, partners: ["D-08", "D-03"] });
    inj.note("same province, categories intersect", "conflict", RULE.overlap, ["T-D08-JS-HP", "T-D03-JS"]);
    const caSkus = (w.backgroundSkus.get("USD") as string[]).filter((s) => !usdTexas.includes(s)).slice(0, 2);
    w.addTerritory({ id: "T-D10-CA-SD", partnerId: "D-10", region: "US-CA-SD", exclusive: true, skus: caSkus, from: day("2025-08-01"), to: day("2025-10-01") });
    inj.intendedPairs.push({ ruleId: RULE.overlap, partners: ["D-10", "D-09"] });
    inj.note("sku-scoped exclusive city inside an all-product exclusive state, for two months", "conflict", RULE.overlap, ["T-D10-CA-SD", "T-D09-CA"]);
    inj.note("handover on the same day (Sichuan)", "look-alike", RULE.overlap, ["T-D06-SC", "T-D07-SC"]);
    inj.note("handover on the same day (Houston, sku-scoped)", "look-alike", RULE.overlap, ["T-D09-TX-HOU", "T-D10-TX"]);
    inj.note("same province, disjoint categories", "look-alike", RULE.overlap, ["T-D03-JS", "T-D04-JS", "T-D08-JS-HP"]);
    inj.note("two exclusive territories of the same partner", "look-alike", RULE.overlap, ["T-D01-GD", "T-D01-GD-SZ-SB"]);
    inj.note("non-exclusive territories inside exclusive ones (resellers, retail chains)", "look-alike", RULE.overlap, ["T-RS-GD-SZ1", "T-R01-GD", "T-R02-JS"]);
    inj.note("a non-exclusive province territory next to exclusive ones", "look-alike", RULE.overlap, ["T-D08-HA"]);
  }

  // ── out of territory ──
  {
    const t1 = at("2025-04-10");
    const s = sku("D-01", "CN-GD-GZ", t1);
    const a = inj.sale("D-01", t1, s, "CN-ZJ-HZ", [RULE.outside], { customerId: inj.open("CN-ZJ-HZ") });
    const b = inj.sale("D-01", at("2025-04-25"), s, "CN-ZJ-HZ", [RULE.outside], { customerId: inj.open("CN-ZJ-HZ") });
    inj.note("distributor ships twice into another distributor's exclusive province", "conflict", RULE.outside, [a, b]);
  }
  {
    const t = at("2025-06-05");
    const s = sku("RS-ZJ-HZ3", "CN-ZJ-HZ", t);
    const id = inj.sale("RS-ZJ-HZ3", t, s, "CN-HA-ZZ", [RULE.outside], { customerId: inj.open("CN-HA-ZZ") });
    inj.note("reseller ships where nobody holds an exclusive", "conflict", RULE.outside, [id]);
  }
  {
    const t = at("2025-05-15");
    const sb = (w.plainSkus.get("CNY") as string[]).find((x) => w.category(x) === "soundbars" && !used.has(x)) as string;
    used.add(sb);
    const id = inj.sale("D-03", t, sb, "CN-JS-NJ", [RULE.outside], { customerId: inj.open("CN-JS-NJ") });
    inj.note("distributor sells a product outside its territory's category scope", "conflict", RULE.outside, [id]);
    const look = inj.sale("D-04", at("2025-05-16"), sb, "CN-JS-WX", [], { customerId: inj.open("CN-JS-WX") });
    inj.note("the same product by the distributor whose scope holds it", "look-alike", RULE.outside, [look]);
  }
  {
    const t = at("2025-07-10");
    const s = sku("D-06", "CN-HB-WH", t);
    const id = inj.sale("D-06", t, s, "CN-SC-CD", [RULE.outside], { customerId: inj.open("CN-SC-CD") });
    inj.note("distributor keeps shipping to a province it handed over", "conflict", RULE.outside, [id]);
    const last = inj.sale("D-06", day("2025-07-01") - HOUR, s, "CN-SC-MY", [], { customerId: inj.open("CN-SC-MY") });
    const first = inj.sale("D-07", day("2025-07-01"), s, "CN-SC-CD", [], { customerId: inj.open("CN-SC-CD") });
    inj.note("the last hour of the old territory and the first instant of the new one", "look-alike", RULE.outside, [last, first]);
  }
  {
    const t1 = at("2025-03-03");
    const s = sku("R-04", "US-CA-LA", t1);
    const a = inj.sale("R-04", t1, s, "US-IL-CHI", [RULE.outside]);
    const b = inj.sale("R-04", t1 + 48 * DAY, s, "US-IL-CHI", [RULE.outside]);
    inj.note("retail chain ships out of its states twice, 48 days apart (two findings)", "conflict", RULE.outside, [a, b]);
  }
  {
    const t = at("2025-09-22");
    const usdTexas = (w.territories.find((x) => x.id === "T-D10-TX") as Territory).skus as string[];
    const s = (w.plainSkus.get("USD") as string[]).find((x) => !usdTexas.includes(x) && !used.has(x)) as string;
    used.add(s);
    const id = inj.sale("D-10", t, s, "US-TX-DAL", [RULE.outside], { customerId: inj.open("US-TX-DAL") });
    inj.note("distributor sells a sku its Texas territory does not include", "conflict", RULE.outside, [id]);
    const look = inj.sale("D-10", at("2025-09-23"), usdTexas[0] as string, "US-TX-AUS", [], { customerId: inj.open("US-TX-AUS") });
    inj.note("the same distributor with a sku its Texas territory includes", "look-alike", RULE.outside, [look]);
  }
  {
    const t = at("2025-04-16");
    const s = sku("P-DIRECT-CN", "CN-ZJ-HZ", t);
    const a = inj.sale("P-DIRECT-CN", t, s, "CN-ZJ-HZ", [], { customerId: inj.open("CN-ZJ-HZ") });
    const b = inj.sale("P-DIRECT-US", at("2025-04-17"), sku("P-DIRECT-US", "US-CA-SF", t), "US-CA-SF", [], { customerId: inj.open("US-CA-SF") });
    inj.note("direct sales into exclusive territories", "look-alike", RULE.outside, [a, b]);
  }
  {
    const t = at("2025-05-19");
    const a = inj.sale("R-05", t, sku("R-05", "CN-GD-SZ", t), "CN-GD-SZ", [], { customerId: inj.open("CN-GD-SZ") });
    const b = inj.sale("R-03", at("2025-05-20"), sku("R-03", "US-NY-BUF", t), "US-NY-BUF", [], { customerId: inj.open("US-NY-BUF") });
    const c = inj.sale("M-04", at("2025-05-21"), sku("M-04", "CN-ZJ-NB", t), "CN-ZJ-NB", [], { customerId: inj.open("CN-ZJ-NB") });
    inj.note("partners without territories ship anywhere", "look-alike", RULE.outside, [a, b, c]);
  }

  // ── lot diversion ──
  {
    const t0 = at("2025-02-01");
    const s = sku("D-02", "CN-ZJ-HZ", t0);
    const alloc = inj.allocation("D-02", t0, s);
    const a = inj.sale("W-01", at("2025-02-10"), s, "CN-GD-SZ", [RULE.lot], { lot: alloc.lot, customerId: inj.open("CN-GD-SZ") });
    const b = inj.sale("W-01", at("2025-02-24"), s, "CN-GD-SZ", [RULE.lot], { lot: alloc.lot, customerId: inj.open("CN-GD-SZ") });
    inj.note("a distributor's lot sold by a web store into another distributor's exclusive province", "conflict", RULE.lot, [alloc.id, a, b]);
    const look = inj.sale("W-02", at("2025-02-26"), s, "CN-ZJ-WZ", [], { lot: alloc.lot, customerId: inj.open("CN-ZJ-WZ") });
    const mine = inj.sale("RS-ZJ-HZ1", at("2025-02-27"), s, "CN-ZJ-HZ", [], { lot: alloc.lot, customerId: inj.open("CN-ZJ-HZ") });
    inj.note("the same lot sold inside the source's territory (by a web store and by its reseller)", "look-alike", RULE.lot, [look, mine]);
  }
  {
    const t0 = at("2025-05-05");
    const s = sku("D-09", "US-CA-LA", t0);
    const alloc = inj.allocation("D-09", t0, s);
    const id = inj.sale("M-05", at("2025-05-20"), s, "US-IL-CHI", [RULE.lot], { lot: alloc.lot, customerId: inj.open("US-IL-CHI") });
    inj.note("a distributor's lot sold by a marketplace seller where nobody holds an exclusive", "conflict", RULE.lot, [alloc.id, id]);
  }
  {
    const t0 = at("2025-10-01");
    const s = sku("D-01", "CN-GD-GZ", t0);
    const alloc = inj.allocation("D-01", t0, s);
    const id = inj.sale("R-05", at("2025-10-08"), s, "CN-HA-ZZ", [RULE.lot], { lot: alloc.lot, customerId: inj.open("CN-HA-ZZ") });
    inj.note("a distributor's lot sold by a retail chain without territories", "conflict", RULE.lot, [alloc.id, id]);
  }
  {
    const t0 = at("2025-06-01");
    const s = sku("W-02", "CN-GD-GZ", t0);
    const alloc = inj.allocation("W-02", t0, s);
    const id = inj.sale("M-02", at("2025-06-09"), s, "CN-GD-GZ", [], { lot: alloc.lot, customerId: inj.open("CN-GD-GZ") });
    inj.note("a lot allocated to a partner without territories, sold anywhere", "look-alike", RULE.lot, [alloc.id, id]);
  }
  {
    const t0 = at("2025-06-02");
    const s = sku("D-01", "CN-GD-GZ", t0);
    const first = inj.allocation("D-01", t0, s);
    const second = inj.allocation("D-02", at("2025-06-10"), s, first.lot);
    const id = inj.sale("M-03", at("2025-06-20"), s, "CN-ZJ-HZ", [], { lot: first.lot, customerId: inj.open("CN-ZJ-HZ") });
    inj.note("a lot re-allocated to another distributor, sold in the new source's territory", "look-alike", RULE.lot, [first.id, second.id, id]);
  }

  // ── protected customer ──
  {
    const c = inj.customer("CN-ZJ-HZ");
    const reg = inj.registration(c, "RS-ZJ-HZ1", "approved", day("2025-01-10"), day("2025-12-31"));
    const t = at("2025-03-18");
    const id = inj.sale("P-DIRECT-CN", t, sku("P-DIRECT-CN", "CN-ZJ-HZ", t), "CN-ZJ-HZ", [RULE.protectedSale], { customerId: c });
    inj.note("direct sales sells to a reseller's registered customer", "conflict", RULE.protectedSale, [reg, id]);
    const own = inj.sale("RS-ZJ-HZ1", at("2025-03-25"), sku("RS-ZJ-HZ1", "CN-ZJ-HZ", t), "CN-ZJ-HZ", [], { customerId: c });
    inj.note("the owner sells to its own customer", "look-alike", RULE.protectedSale, [own]);
  }
  {
    const c = inj.customer("CN-SH-PD");
    const reg = inj.registration(c, "P-DIRECT-CN", "approved", day("2024-11-01"), day("2025-11-01"));
    const s = sku("R-01", "CN-SH-PD", day("2025-05-01"));
    const a = inj.sale("R-01", at("2025-05-06"), s, "CN-SH-PD", [RULE.protectedSale], { customerId: c });
    const b = inj.sale("R-01", at("2025-05-27"), sku("R-01", "CN-SH-PD", day("2025-05-01")), "CN-SH-PD", [RULE.protectedSale], { customerId: c, omitShipTo: true });
    inj.note("retail chain sells twice to a direct key account (one finding)", "conflict", RULE.protectedSale, [reg, a, b]);
  }
  {
    const c = inj.customer("CN-GD-GZ");
    const reg = inj.registration(c, "RS-GD-GZ1", "approved", day("2025-02-01"), day("2026-02-01"));
    const t = at("2025-08-08");
    const id = inj.sale("W-01", t, sku("W-01", "CN-GD-GZ", t), "CN-GD-GZ", [RULE.protectedSale], { customerId: c });
    inj.note("web store sells to a reseller's registered customer", "conflict", RULE.protectedSale, [reg, id]);
  }
  {
    const c = inj.customer("CN-ZJ-NB");
    const reg = inj.registration(c, "RS-ZJ-NB1", "approved", day("2025-01-20"), day("2026-01-20"));
    const t = at("2025-09-09");
    const id = inj.sale("D-02", t, sku("D-02", "CN-ZJ-NB", t), "CN-ZJ-NB", [RULE.protectedSale], { customerId: c });
    inj.note("distributor sells to its own reseller's registered customer", "conflict", RULE.protectedSale, [reg, id]);
  }
  {
    const c = inj.customer("US-NY-NYC");
    const reg = inj.registration(c, "P-DIRECT-US", "approved", day("2025-01-01"));
    const t = at("2025-11-12");
    const id = inj.sale("M-06", t, sku("M-06", "US-NY-NYC", t), "US-NY-NYC", [RULE.protectedSale], { customerId: c });
    inj.note("marketplace seller sells to a US key account (open-ended registration)", "conflict", RULE.protectedSale, [reg, id]);
  }
  {
    const c = inj.customer("CN-FJ-XM");
    const reg = inj.registration(c, "RS-FJ-XM1", "approved", day("2024-10-01"), day("2025-04-01"));
    const t = at("2025-04-15");
    const id = inj.sale("W-01", t, sku("W-01", "CN-FJ-XM", t), "CN-FJ-XM", [], { customerId: c });
    inj.note("the registration had expired before the sale", "look-alike", RULE.protectedSale, [reg, id]);
  }
  {
    const c = inj.customer("CN-HB-WH");
    const reg = inj.registration(c, "RS-HB-WH1", "expired", day("2025-01-01"), day("2025-12-31"));
    const t = at("2025-06-18");
    const id = inj.sale("M-01", t, sku("M-01", "CN-HB-WH", t), "CN-HB-WH", [], { customerId: c });
    inj.note("a registration whose status is `expired` (span still running)", "look-alike", RULE.protectedSale, [reg, id]);
  }
  {
    const c = inj.customer("CN-SD-QD");
    const rejected = inj.registration(c, "RS-SD-QD1", "rejected", day("2025-02-01"), day("2025-08-01"));
    const mine = inj.registration(c, "RS-SD-QD2", "approved", day("2025-02-05"), day("2025-08-05"));
    const t = at("2025-04-02");
    const id = inj.sale("RS-SD-QD2", t, sku("RS-SD-QD2", "CN-SD-QD", t), "CN-SD-QD", [], { customerId: c });
    inj.note("a rejected registration of another partner (and an overlapping approved one)", "look-alike", RULE.protectedSale, [rejected, mine, id]);
  }
  {
    const c = inj.customer("CN-ZJ-WZ");
    const reg = inj.registration(c, "D-02", "pending", day("2025-03-01"), day("2025-09-01"));
    const t = at("2025-05-05");
    const id = inj.sale("W-02", t, sku("W-02", "CN-ZJ-WZ", t), "CN-ZJ-WZ", [], { customerId: c });
    inj.note("only a pending registration", "look-alike", RULE.protectedSale, [reg, id]);
  }
  {
    const c = inj.customer("CN-SH-XH");
    const old = inj.registration(c, "R-01", "approved", day("2024-06-01"), day("2025-06-01"));
    const next = inj.registration(c, "P-DIRECT-CN", "approved", day("2025-06-01"), day("2025-12-01"));
    const t = day("2025-06-01");
    const id = inj.sale("P-DIRECT-CN", t, sku("P-DIRECT-CN", "CN-SH-XH", t), "CN-SH-XH", [], { customerId: c });
    inj.note("ownership handed over at the instant of the sale (touching registration spans)", "look-alike", RULE.protectedSale, [old, next, id]);
  }

  // ── duplicate registration ──
  {
    const c = inj.customer("CN-BJ-HD");
    const a = inj.registration(c, "RS-BJ-HD1", "approved", day("2025-01-10"), day("2025-07-10"));
    const b = inj.registration(c, "D-05", "pending", day("2025-03-04") + 8 * HOUR, day("2025-09-04"));
    inj.intendedPairs.push({ ruleId: RULE.duplicate, partners: ["D-05", "RS-BJ-HD1"] });
    inj.note("approved and pending registrations of two partners overlap", "conflict", RULE.duplicate, [a, b]);
  }
  {
    const c = inj.customer("CN-SH-MH");
    const a = inj.registration(c, "P-DIRECT-CN", "approved", day("2025-02-01"), day("2026-02-01"));
    const b = inj.registration(c, "R-01", "approved", day("2025-04-01"), day("2025-10-01"));
    inj.intendedPairs.push({ ruleId: RULE.duplicate, partners: ["R-01", "P-DIRECT-CN"] });
    inj.note("two approved registrations overlap (direct and retail)", "conflict", RULE.duplicate, [a, b]);
  }
  {
    const c = inj.customer("CN-GD-SZ");
    const a = inj.registration(c, "RS-GD-SZ1", "approved", day("2025-01-01"), day("2025-12-31"));
    const b = inj.registration(c, "RS-GD-SZ2", "pending", day("2025-02-01"));
    const d = inj.registration(c, "W-01", "pending", day("2025-03-01"), day("2025-06-01"));
    inj.intendedPairs.push(
      { ruleId: RULE.duplicate, partners: ["RS-GD-SZ2", "RS-GD-SZ1"] },
      { ruleId: RULE.duplicate, partners: ["W-01", "RS-GD-SZ1"] },
      { ruleId: RULE.duplicate, partners: ["W-01", "RS-GD-SZ2"] },
    );
    inj.note("three live registrations of three partners (three pairs)", "conflict", RULE.duplicate, [a, b, d]);
  }
  {
    const c = inj.customer("CN-SC-CD");
    const a = inj.registration(c, "RS-SC-CD1", "approved", day("2024-11-01"), day("2025-05-01"));
    const b = inj.registration(c, "D-06", "approved", day("2025-05-01"), day("2025-07-01"));
    inj.note("registration spans that only touch", "look-alike", RULE.duplicate, [a, b]);
  }
  {
    const c = inj.customer("CN-HB-YC");
    const a = inj.registration(c, "RS-HB-WH2", "expired", day("2025-01-01"), day("2025-12-31"));
    const b = inj.registration(c, "RS-HB-WH1", "approved", day("2025-03-01"), day("2025-09-01"));
    inj.note("an `expired` registration overlapping an approved one", "look-alike", RULE.duplicate, [a, b]);
  }
  {
    const c = inj.customer("CN-FJ-FZ");
    const a = inj.registration(c, "RS-FJ-FZ1", "approved", day("2024-06-01"), day("2025-06-15"));
    const b = inj.registration(c, "RS-FJ-FZ1", "approved", day("2025-06-01"), day("2026-06-01"));
    inj.note("one partner renewing its own registration early", "look-alike", RULE.duplicate, [a, b]);
  }
  inj.note("a rejected registration overlapping an approved one", "look-alike", RULE.duplicate, inj.cases.find((x) => x.name.startsWith("a rejected registration"))?.records.slice(0, 2) ?? []);
}

/** Random conflicts (and look-alikes) scattered over the year: `n` of each kind. */
function randomScenarios(inj: Injector, n: number): void {
  const { w, rng } = inj;
  const when = () => START + 5 * DAY + Math.floor(rng.next() * (END - START - 40 * DAY));
  const partnersOf = (filter: (p: PartnerRecord) => boolean) => w.partners.filter(filter).map((p) => p.id);
  const sellers = partnersOf(() => true);
  const online = partnersOf((p) => ONLINE.has(p.channel));
  const unrestricted = partnersOf((p) => !w.restricted(p.id) && p.channel !== "direct");
  const distributors = partnersOf((p) => p.channel === "distributor");
  const plainIn = (partnerId: string, t: number) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const place = inj.factory.placeAndSku(rng, partnerId, t);
      if (!place) return undefined;
      const plain = w.plainSkus.get(w.currencyOf(partnerId)) as string[];
      if (plain.includes(place.sku)) return place;
    }
    return undefined;
  };
  const conflict = (name: string, ruleId: string, records: string[]) => inj.note(name, "conflict", ruleId, records);
  const lookAlike = (name: string, ruleId: string, records: string[]) => inj.note(name, "look-alike", ruleId, records);

  for (let i = 0; i < n; i++) {
    // Below floor, mildly (1–4% under), by any partner in its own territory.
    for (;;) {
      const p = rng.pick(sellers);
      const t = when();
      const place = plainIn(p, t);
      if (!place) continue;
      const priceCents = Math.floor(inj.floor(place.sku, p, t) * rng.between(0.96, 0.99));
      // A promotion running then may allow that price (seen at 10M events, seed 1): not a conflict, draw again.
      if (w.promotionAllows(place.sku, w.partner(p).channel, p, t, w.currencyOf(p), priceCents)) continue;
      conflict("random below-floor (1–4% under)", RULE.floor, [inj.sale(p, t, place.sku, place.city, [RULE.floor], { priceCents })]);
      const t2 = when();
      const place2 = plainIn(p, t2);
      if (place2) lookAlike("random sale exactly at the floor", RULE.floor, [inj.sale(p, t2, place2.sku, place2.city, [], { priceCents: inj.floor(place2.sku, p, t2) })]);
      break;
    }
    // Below MAP by an online seller.
    {
      const p = rng.pick(online);
      const t = when();
      const sku = rng.pick(w.backgroundSkus.get(w.currencyOf(p)) as string[]);
      conflict("random listing below MAP", RULE.map, [inj.listing(p, t, sku, Math.floor(inj.map(sku, p, t) * rng.between(0.9, 0.99)), [RULE.map])]);
      const t2 = when();
      lookAlike("random listing exactly at MAP", RULE.map, [inj.listing(p, t2, sku, inj.map(sku, p, t2), [])]);
    }
    // Out of territory: a restricted partner ships to a city none of its territories covers then.
    for (;;) {
      const p = rng.pick(partnersOf((x) => w.restricted(x.id)));
      const t = when();
      const place = inj.factory.placeAndSku(rng, p, t);
      if (!place) continue;
      const outside = w.regions.citiesUnder(w.countryOf(p)).filter((city) => !w.covered(p, city, t, place.sku));
      if (outside.length === 0) continue;
      const city = rng.pick(outside);
      conflict("random shipment outside territory", RULE.outside, [inj.sale(p, t, place.sku, city, [RULE.outside], { customerId: inj.open(city) })]);
      break;
    }
    // Lot diversion: allocated to a distributor, sold by a partner without territories outside it.
    for (;;) {
      const d = rng.pick(distributors);
      const t0 = when();
      const place = inj.factory.placeAndSku(rng, d, t0);
      if (!place) continue;
      const t = t0 + rng.int(2, 25) * DAY + rng.int(0, 23) * HOUR;
      const country = w.countryOf(d);
      const seller = rng.pick(unrestricted.filter((x) => w.countryOf(x) === country));
      const outside = w.regions.citiesUnder(country).filter((city) => !w.covered(d, city, t, place.sku));
      if (outside.length === 0) continue;
      const city = rng.pick(outside);
      const alloc = inj.allocation(d, t0, place.sku);
      conflict("random lot sold outside its source's territory", RULE.lot, [alloc.id, inj.sale(seller, t, place.sku, city, [RULE.lot], { lot: alloc.lot, customerId: inj.open(city) })]);
      break;
    }
    // Protected customer: another partner sells to a background customer while its registration is active.
    for (;;) {
      const owned = [...w.ownerOf.keys()];
      const c = rng.pick(owned);
      const owner = w.ownerOf.get(c) as string;
      const customer = w.customerById.get(c) as CustomerRecord;
      const country = w.regions.country(customer.region);
      const others = [...unrestricted, country === "CN" ? "P-DIRECT-CN" : "P-DIRECT-US"].filter((x) => x !== owner && w.countryOf(x) === country);
      const seller = rng.pick(others);
      const t = when();
      if (w.owner(c, t) !== owner) continue;
      const sku = rng.pick(w.backgroundSkus.get(w.currencyOf(seller)) as string[]);
      conflict("random sale to another partner's registered customer", RULE.protectedSale, [inj.sale(seller, t, sku, customer.region, [RULE.protectedSale], { customerId: c })]);
      break;
    }
    // Duplicate registration: a new customer registered by two partners with overlapping spans.
    {
      const city = rng.pick(w.regions.cities);
      const country = w.regions.country(city);
      const pool = partnersOf((p) => w.countryOf(p.id) === country && p.channel !== "marketplace");
      const a = rng.pick(pool);
      const b = rng.pick(pool.filter((x) => x !== a));
      const c = inj.customer(city);
      const from = when() - 60 * DAY;
      const r1 = inj.registration(c, a, "approved", from, from + 365 * DAY);
      const r2 = inj.registration(c, b, rng.chance(0.5) ? "pending" : "approved", from + rng.int(1, 200) * DAY, from + 400 * DAY);
      inj.intendedPairs.push({ ruleId: RULE.duplicate, partners: [b, a] });
      conflict("random duplicate registration", RULE.duplicate, [r1, r2]);
    }
  }
}

// ───────────────────────────── oracle and grouping ─────────────────────────────

interface OracleCandidate {
  ruleId: string;
  key: string;
  at: number;
  order: number;
  partners: string[];
  eventIds: string[];
}

/** The rules each injected event fires, per the documented semantics, with their grouping keys. */
function oracleForInjected(w: World, events: readonly TimedEvent[]): OracleCandidate[] {
  const out: OracleCandidate[] = [];
  const sorted = [...events].sort(
    (a, b) => a.t - b.t || (a.record.type === "allocation" ? 0 : 1) - (b.record.type === "allocation" ? 0 : 1) || (a.record.id < b.record.id ? -1 : 1),
  );
  const lots = new Map<string, Array<{ partnerId: string; at: number; id: string }>>();
  const key = (...parts: string[]) => JSON.stringify(parts);
  for (const [order, { t, record }] of sorted.entries()) {
    if (record.type === "allocation") {
      const list = lots.get(record.lot) ?? [];
      list.push({ partnerId: record.partnerId, at: t, id: record.id });
      lots.set(record.lot, list);
      continue;
    }
    const partner = w.partner(record.partnerId);
    if (record.type === "listing") {
      const map = w.policy(record.sku, partner.channel, t, record.currency, "mapCents");
      if (map?.mapCents !== undefined && Math.round(record.price * 100) < map.mapCents) {
        out.push({ ruleId: RULE.map, key: key(partner.id, record.sku, record.currency), at: t, order, partners: [partner.id], eventIds: [record.id] });
      }
      continue;
    }
    const price = Math.round(record.unitPrice * 100);
    const floor = w.policy(record.sku, partner.channel, t, record.currency, "floorCents");
    if (floor?.floorCents !== undefined && price < floor.floorCents && !w.promotionAllows(record.sku, partner.channel, partner.id, t, record.currency, price)) {
      out.push({ ruleId: RULE.floor, key: key(partner.id, record.sku, record.currency), at: t, order, partners: [partner.id], eventIds: [record.id] });
    }
    const destination = record.shipTo?.region ?? (record.customerId !== undefined ? w.customerById.get(record.customerId)?.region : undefined);
    if (destination !== undefined && w.restricted(partner.id) && !w.covered(partner.id, destination, t, record.sku)) {
      out.push({
        ruleId: RULE.outside,
        key: key(partner.id, record.sku, record.currency),
        at: t,
        order,
        partners: [partner.id, ...w.holders(destination, t, record.sku, partner.id)],
        eventIds: [record.id],
      });
    }
    if (record.lot !== undefined && destination !== undefined) {
      const source = (lots.get(record.lot) ?? []).filter((a) => a.at <= t).pop();
      if (source && w.restricted(source.partnerId) && source.partnerId !== partner.id && !w.covered(source.partnerId, destination, t, record.sku)) {
        const affected = [...new Set([partner.id, ...w.holders(destination, t, record.sku, source.partnerId)])].sort();
        out.push({ ruleId: RULE.lot, key: key(source.partnerId, record.sku, record.currency), at: t, order, partners: [source.partnerId, ...affected], eventIds: [source.id, record.id] });
      }
    }
    if (record.customerId !== undefined) {
      const owner = w.owner(record.customerId, t);
      if (owner !== undefined && owner !== partner.id) {
        out.push({ ruleId: RULE.protectedSale, key: key(partner.id, record.customerId, record.currency), at: t, order, partners: [partner.id, owner], eventIds: [record.id] });
      }
    }
  }
  return out;
}

/** The online/offline gap over the dedicated skus (only scenario events sell them). */
function oracleGap(w: World, events: readonly TimedEvent[]): OracleCandidate[] {
  const out: OracleCandidate[] = [];
  const dedicated = new Set(w.dedicatedSkus);
  const sales = events
    .filter((e): e is TimedEvent & { record: SaleRecord } => (e.record.type === "order" || e.record.type === "sale") && dedicated.has(e.record.sku))
    .sort((a, b) => a.t - b.t || (a.record.id < b.record.id ? -1 : 1));
  const median = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  };
  for (const [order, { t, record }] of sales.entries()) {
    const live = sales
      .slice(0, order + 1)
      .filter((e) => e.record.sku === record.sku && e.record.currency === record.currency && e.t > t - GAP_WINDOW_DAYS * DAY)
      .map((e) => ({ online: ONLINE.has(w.partner(e.record.partnerId).channel), price: Math.round(e.record.unitPrice * 100), partnerId: e.record.partnerId }));
    const on = live.filter((e) => e.online).map((e) => e.price);
    const off = live.filter((e) => !e.online).map((e) => e.price);
    if (on.length < GAP_MIN_SAMPLES || off.length < GAP_MIN_SAMPLES) continue;
    const onMedian = median(on);
    const offMedian = median(off);
    const gap = offMedian === 0 ? 0 : (Math.abs(onMedian - offMedian) * 100) / offMedian;
    if (!(gap > GAP_THRESHOLD_PCT)) continue;
    const onlineCheaper = onMedian < offMedian;
    const lowest = new Map<string, number>();
    for (const e of live.filter((x) => x.online === onlineCheaper)) lowest.set(e.partnerId, Math.min(lowest.get(e.partnerId) ?? Infinity, e.price));
    const offenders = [...lowest].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
    const affected = [...new Set(live.filter((x) => x.online !== onlineCheaper).map((x) => x.partnerId))].sort();
    out.push({ ruleId: RULE.gap, key: JSON.stringify([record.sku, record.currency]), at: t, order, partners: [...offenders, ...affected], eventIds: [record.id] });
  }
  return out;
}

/** Exclusive overlaps and duplicate registrations, straight from the reference data. */
function oracleReference(w: World): ExpectedFinding[] {
  const out: ExpectedFinding[] = [];
  const exclusive = w.territories.filter((x) => x.exclusive).sort((a, b) => (a.id < b.id ? -1 : 1));
  for (let i = 0; i < exclusive.length; i++) {
    for (let j = i + 1; j < exclusive.length; j++) {
      const a = exclusive[i] as Territory;
      const b = exclusive[j] as Territory;
      if (a.partnerId === b.partnerId) continue;
      if (!(w.regions.covers(a.region, b.region) || w.regions.covers(b.region, a.region))) continue;
      if (!spansMeet(a, b) || !scopesShare(a, b, w.products)) continue;
      const fa = a.from ?? -Infinity;
      const fb = b.from ?? -Infinity;
      const [later, earlier] = fa !== fb ? (fa > fb ? [a, b] : [b, a]) : a.id > b.id ? [a, b] : [b, a];
      out.push({ ruleId: RULE.overlap, partners: [later.partnerId, earlier.partnerId], eventIds: [], count: 1 });
    }
  }
  for (const [, regs] of [...w.registrationsOf].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const live = regs.filter((r) => r.status === "approved" || r.status === "pending").sort((a, b) => a.from - b.from || (a.id < b.id ? -1 : 1));
    for (let i = 0; i < live.length; i++) {
      for (let j = i + 1; j < live.length; j++) {
        const earlier = live[i] as Registration;
        const later = live[j] as Registration;
        if (earlier.partnerId === later.partnerId || !spansMeet(earlier, later)) continue;
        out.push({ ruleId: RULE.duplicate, partners: [later.partnerId, earlier.partnerId], eventIds: [], count: 1 });
      }
    }
  }
  return out;
}

/** Groups candidates per rule and key while less than `groupGapDays` apart, as findings are grouped. */
function groupCandidates(candidates: readonly OracleCandidate[]): ExpectedFinding[] {
  const sorted = [...candidates].sort((a, b) => a.at - b.at || a.order - b.order);
  interface Group {
    lastAt: number;
    offenders: string[];
    affected: Set<string>;
    events: Set<string>;
    count: number;
    ruleId: string;
  }
  const open = new Map<string, Group>();
  const done: Group[] = [];
  for (const c of sorted) {
    const slot = JSON.stringify([c.ruleId, c.key]);
    let group = open.get(slot);
    if (group && c.at >= group.lastAt + GROUP_GAP_DAYS * DAY) {
      done.push(group);
      group = undefined;
    }
    if (!group) {
      group = { lastAt: c.at, offenders: [], affected: new Set(), events: new Set(), count: 0, ruleId: c.ruleId };
      open.set(slot, group);
    }
    group.count++;
    group.lastAt = Math.max(group.lastAt, c.at);
    const [offender, ...affected] = c.partners;
    if (offender !== undefined && !group.offenders.includes(offender)) group.offenders.push(offender);
    for (const id of affected) group.affected.add(id);
    for (const id of c.eventIds) group.events.add(id);
  }
  done.push(...open.values());
  return done.map((g) => {
    const events = [...g.events].sort();
    return {
      ruleId: g.ruleId,
      partners: [...g.offenders, ...[...g.affected].filter((id) => !g.offenders.includes(id)).sort()],
      ...(events.length <= MAX_EVIDENCE ? { eventIds: events } : {}),
      count: g.count,
    };
  });
}

/** A canonical order for expected findings (and a key to compare them by). */
export function findingKey(f: { ruleId: string; partners: readonly string[]; count: number }): string {
  return `${f.ruleId} ${f.partners.join(",")} ×${f.count}`;
}
function sortTruth(truth: ExpectedFinding[]): ExpectedFinding[] {
  return truth.sort((a, b) => {
    const ka = `${findingKey(a)} ${(a.eventIds ?? []).join(",")}`;
    const kb = `${findingKey(b)} ${(b.eventIds ?? []).join(",")}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

// ───────────────────────────── records ─────────────────────────────

function toReference(w: World): ReferenceCollections {
  const span = (s: Span) => ({ ...(s.from !== undefined ? { validFrom: isoDate(s.from) } : {}), ...(s.to !== undefined ? { validTo: isoDate(s.to) } : {}) });
  return {
    partners: w.partners.map((p) => ({ ...p })),
    regions: [...w.regions.parent].map(([code, parent]) => ({ code, name: w.regions.name.get(code) as string, ...(parent ? { parent } : {}) })),
    territories: w.territories.map((x) => ({
      id: x.id,
      partnerId: x.partnerId,
      region: x.region,
      exclusive: x.exclusive,
      ...(x.skus ? { skus: [...x.skus] } : {}),
      ...(x.categories ? { categories: [...x.categories] } : {}),
      ...span(x),
    })),
    products: w.products.map((p) => ({ sku: p.sku, name: p.name, category: p.category, listPrice: p.cnyList, currency: "CNY" })),
    pricePolicies: w.policies.map((p) => ({
      id: p.id,
      sku: p.sku,
      ...(p.channel ? { channel: p.channel } : {}),
      listPrice: money(p.listCents),
      ...(p.floorCents !== undefined ? { floorPrice: money(p.floorCents) } : {}),
      ...(p.mapCents !== undefined ? { map: money(p.mapCents) } : {}),
      currency: p.currency,
      ...span(p),
    })),
    promotions: w.promotions.map((p) => ({
      id: p.id,
      name: p.name,
      ...(p.skus ? { skus: [...p.skus] } : {}),
      ...(p.channels ? { channels: [...p.channels] } : {}),
      ...(p.partnerIds ? { partnerIds: [...p.partnerIds] } : {}),
      maxDiscount: p.maxDiscount,
      validFrom: isoDate(p.from),
      validTo: isoDate(p.to),
    })),
    registrations: w.registrations.map((r) => ({
      id: r.id,
      customerId: r.customerId,
      partnerId: r.partnerId,
      status: r.status,
      registeredAt: isoDate(r.from),
      ...(r.to !== undefined ? { expiresAt: isoDate(r.to) } : {}),
    })),
    customers: w.customers.map((c) => ({ ...c })),
  };
}

// ───────────────────────────── entry points ─────────────────────────────

/** Plans a dataset: reference data, truth and manifest now; events lazily, in time order. */
export function planDataset(options: GenerateOptions): DatasetPlan {
  const { seed } = options;
  const total = Math.max(0, Math.floor(options.events));
  const conflicts = options.conflicts ?? true;
  const customerCount = Math.max(2000, Math.min(25_000, Math.round(total / 40)));
  const w = buildWorld(new Rng(subSeed(seed, 1)), customerCount);

  const inj = new Injector(w, new Rng(subSeed(seed, 3)));
  let truth: ExpectedFinding[] = [];
  if (conflicts) {
    fixedScenarios(inj);
    randomScenarios(inj, options.randomConflicts ?? Math.floor(total / 25_000));
    // Self-check 1: every injected event fires exactly the rules it was meant to.
    const candidates = [...oracleForInjected(w, inj.events), ...oracleGap(w, inj.events)];
    const fired = new Map<string, string[]>();
    for (const c of candidates) for (const id of c.eventIds) if (!id.startsWith("A-")) fired.set(id, [...(fired.get(id) ?? []), c.ruleId]);
    const gapSku = w.dedicatedSkus[0] as string;
    for (const intent of inj.intents) {
      const record = inj.events.find((e) => e.record.id === intent.eventId)?.record;
      const got = (fired.get(intent.eventId) ?? []).filter((r) => r !== RULE.gap).sort();
      if (got.join() !== [...intent.rules].sort().join()) {
        throw new Error(`generator self-check: ${intent.eventId} (${JSON.stringify(record)}) should fire [${intent.rules}] but fires [${got}]`);
      }
    }
    const gapSkus = new Set(candidates.filter((c) => c.ruleId === RULE.gap).map((c) => JSON.parse(c.key)[0] as string));
    if (gapSkus.size !== 1 || !gapSkus.has(gapSku)) throw new Error(`generator self-check: the gap fires on [${[...gapSkus]}], expected [${gapSku}]`);
    // Self-check 2: the reference conflicts are exactly the intended ones.
    const reference = oracleReference(w);
    const intended = inj.intendedPairs.map((p) => findingKey({ ...p, count: 1 })).sort();
    const found = reference.map((f) => findingKey(f)).sort();
    if (intended.join("\n") !== found.join("\n")) {
      throw new Error(`generator self-check: reference conflicts differ\nintended:\n${intended.join("\n")}\nfound:\n${found.join("\n")}`);
    }
    truth = [...groupCandidates(candidates), ...reference];
  } else {
    // Without conflicts the base world must be clean too.
    const reference = oracleReference(w);
    if (reference.length > 0) throw new Error(`generator self-check: the base world has conflicts: ${reference.map(findingKey).join("; ")}`);
  }
  sortTruth(truth);

  const injected = [...inj.events].sort((a, b) => a.t - b.t || (a.record.id < b.record.id ? -1 : 1));
  const backgroundCount = Math.max(0, total - injected.length);
  const reference = toReference(w);

  const counts: Record<string, number> = { events: backgroundCount + injected.length };
  for (const [name, list] of Object.entries(reference)) counts[name] = (list as unknown[]).length;
  const expectedByRule: Record<string, number> = {};
  for (const f of truth) expectedByRule[f.ruleId] = (expectedByRule[f.ruleId] ?? 0) + 1;
  const tally = (kind: InjectedCase["kind"]) => {
    const out: Record<string, number> = {};
    for (const c of inj.cases.filter((x) => x.kind === kind)) out[c.ruleId] = (out[c.ruleId] ?? 0) + 1;
    return out;
  };
  const manifest: Manifest = {
    seed,
    events: backgroundCount + injected.length,
    backgroundEvents: backgroundCount,
    injectedEvents: injected.length,
    conflicts,
    period: { from: iso(START), to: iso(END) },
    counts,
    expectedFindings: truth.length,
    expectedByRule,
    injected: { conflicts: tally("conflict"), lookAlikes: tally("look-alike") },
    cases: inj.cases,
  };

  function* events(): Generator<EventRecord> {
    let next = 0;
    for (const bg of backgroundEvents(w, seed, backgroundCount)) {
      while (next < injected.length && (injected[next] as TimedEvent).t <= bg.t) yield (injected[next++] as TimedEvent).record;
      yield bg.record;
    }
    while (next < injected.length) yield (injected[next++] as TimedEvent).record;
  }
  return { reference, truth, manifest, events };
}

/** Generates a whole dataset in memory: collections ready for `scan`, the truth and a manifest. */
export function generateDataset(options: GenerateOptions): GeneratedDataset {
  const plan = planDataset(options);
  return { collections: { ...plan.reference, events: [...plan.events()] }, truth: plan.truth, manifest: plan.manifest };
}

const EVENTS_PER_PART = 250_000;

/**
 * Writes a dataset folder: one JSON file per reference collection, events as NDJSON in
 * `events/part-0001.ndjson`, … (250,000 lines each), `truth.json` and `manifest.json`. Events are
 * streamed with backpressure, so a plan's lazy events are never held in memory at once.
 */
export async function writeDataset(
  dir: string,
  generated: GeneratedDataset | DatasetPlan,
  options: { eventsPerPart?: number; onProgress?: (events: number) => void } = {},
): Promise<{ events: number; parts: number }> {
  const perPart = options.eventsPerPart ?? EVENTS_PER_PART;
  const reference: ReferenceCollections = "reference" in generated ? generated.reference : generated.collections;
  const events: Iterable<EventRecord> = "reference" in generated ? generated.events() : generated.collections.events;
  await mkdir(dir, { recursive: true });
  const eventsDir = join(dir, "events");
  await mkdir(eventsDir, { recursive: true });
  // Old parts of an earlier, larger dataset would be read as events: remove them.
  for (const name of await readdir(eventsDir)) if (/^part-\d+\.ndjson$/.test(name)) await rm(join(eventsDir, name));
  for (const name of Object.keys(reference) as Array<keyof ReferenceCollections>) {
    await writeFile(join(dir, `${name}.json`), `${JSON.stringify(reference[name], null, 1)}\n`);
  }
  let count = 0;
  let parts = 0;
  let stream: ReturnType<typeof createWriteStream> | undefined;
  let buffer: string[] = [];
  const flush = async () => {
    if (!stream || buffer.length === 0) return;
    const chunk = buffer.join("");
    buffer = [];
    if (!stream.write(chunk)) await once(stream, "drain");
  };
  const close = async () => {
    if (!stream) return;
    await flush();
    const s = stream;
    stream = undefined;
    await new Promise<void>((resolve, reject) => s.end((error?: Error | null) => (error ? reject(error) : resolve())));
  };
  for (const event of events) {
    if (count % perPart === 0) {
      await close();
      parts++;
      stream = createWriteStream(join(eventsDir, `part-${String(parts).padStart(4, "0")}.ndjson`));
    }
    buffer.push(`${JSON.stringify(event)}\n`);
    count++;
    if (buffer.length >= 2000) await flush();
    if (options.onProgress && count % 100_000 === 0) options.onProgress(count);
  }
  await close();
  await writeFile(join(dir, "truth.json"), `${JSON.stringify(generated.truth, null, 1)}\n`);
  await writeFile(join(dir, "manifest.json"), `${JSON.stringify(generated.manifest, null, 1)}\n`);
  return { events: count, parts };
}
