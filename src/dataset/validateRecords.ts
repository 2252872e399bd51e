import type { z } from "zod";
import { type RecordOrigin, type Rejection } from "../core/records.js";
import { rejectionOf } from "../messages/rejections/renderRejection.js";
import type { RawRecord } from "../io/readRecords.js";
import { fieldIssuesOf } from "../schema/formatIssues.js";
import { reason, type RejectionReason } from "../core/rejectionReasons.js";
import {
  collectionSchemas,
  collectionSchemasIn,
  type ChannelEvent,
  type CollectionName,
  type CollectionRecords,
  type ReferenceName,
} from "../schema/dataset.js";
import { FastEventReader } from "../fast/FastEventReader.js";
import { DuplicateIds } from "../fast/DuplicateIds.js";
import { StringSet } from "../fast/StringSet.js";
import type { RecentIdsState } from "../fast/RecentIds.js";
import type { ReferenceRecords } from "../schema/dataset.js";
import { emptyCounts, type RecordCounts } from "./types.js";
import type { EventAdmission } from "./admission.js";
import { acceptBatch, validateBatch, type BatchValidator, type EventBatch } from "./eventBatches.js";
import { UTC_ZONE, type TimeZone } from "../core/zonedTime.js";

type Schemas = typeof collectionSchemas;

type Validated<K extends CollectionName> = { record: CollectionRecords[K][number]; origin: RecordOrigin };

const ID_FIELD: { [K in CollectionName]: string } = {
  partners: "id",
  regions: "code",
  territories: "id",
  products: "sku",
  pricePolicies: "id",
  promotions: "id",
  registrations: "id",
  customers: "id",
  events: "id",
};

function where(origin: RecordOrigin): string {
  if (origin.line !== undefined) return `${origin.file}:${origin.line}`;
  if (origin.index !== undefined) return `${origin.file}[${origin.index}]`;
  return origin.file;
}

/** Validates one raw record against its collection's schema (of `schemas`: `collectionSchemasIn` a zone). */
export function parseRecord<K extends CollectionName>(
  collection: K,
  raw: RawRecord,
  schemas: Schemas = collectionSchemas,
): { ok: true; record: CollectionRecords[K][number] } | { ok: false; reason: RejectionReason } {
  if ("error" in raw) return { ok: false, reason: raw.error };
  return parseValue(collection, raw.value, schemas);
}

/** Validates one parsed value against its collection's schema. */
function parseValue<K extends CollectionName>(
  collection: K,
  value: unknown,
  schemas: Schemas,
): { ok: true; record: CollectionRecords[K][number] } | { ok: false; reason: RejectionReason } {
  const schema = schemas[collection] as z.ZodType;
  const result = schema.safeParse(value);
  if (!result.success) {
    // Parse again, reporting inputs, only for the message: asking for inputs slows zod's fast path.
    const detailed = schema.safeParse(value, { reportInput: true });
    return { ok: false, reason: reason("invalid_fields", { issues: fieldIssuesOf((detailed.error ?? result.error).issues) }) };
  }
  return { ok: true, record: result.data as CollectionRecords[K][number] };
}

/** Accumulates validated records of the reference collections, rejecting duplicates by id. */
export class ReferenceCollector {
  readonly rejected: Rejection[] = [];
  readonly counts: RecordCounts = emptyCounts();
  readonly present = new Set<CollectionName>();
  private readonly accepted = new Map<ReferenceName, Validated<ReferenceName>[]>();
  private readonly firstSeen = new Map<ReferenceName, Map<string, RecordOrigin>>();
  private readonly schemas: Schemas;

  /** `zone`: the dataset's time zone, of bare dates and times without an offset (UTC when absent). */
  constructor(zone: TimeZone = UTC_ZONE) {
    this.schemas = collectionSchemasIn(zone);
  }

  markPresent(collection: CollectionName): void {
    this.present.add(collection);
  }

  add(collection: ReferenceName, raw: RawRecord): void {
    this.present.add(collection);
    const counts = this.counts[collection];
    counts.read++;
    const parsed = parseRecord(collection, raw, this.schemas);
    if (!parsed.ok) {
      this.reject(collection, raw.origin, parsed.reason);
      return;
    }
    const id = (parsed.record as Record<string, unknown>)[ID_FIELD[collection]] as string;
    let seen = this.firstSeen.get(collection);
    if (!seen) this.firstSeen.set(collection, (seen = new Map()));
    const first = seen.get(id);
    if (first) {
      this.reject(collection, raw.origin, reason("duplicate_id", { field: ID_FIELD[collection], id, first: where(first) }));
      return;
    }
    seen.set(id, raw.origin);
    let list = this.accepted.get(collection);
    if (!list) this.accepted.set(collection, (list = []));
    list.push({ record: parsed.record, origin: raw.origin });
  }

  private reject(collection: CollectionName, origin: RecordOrigin, problem: RejectionReason): void {
    this.counts[collection].rejected++;
    this.rejected.push(rejectionOf(origin, problem));
  }

  /**
   * Resolves references between collections and returns the reference records. A record whose
   * reference cannot be resolved in a way that would change results is rejected, naming the reference.
   */
  finish(): ReferenceRecords {
    const get = <K extends ReferenceName>(name: K) => (this.accepted.get(name) ?? []) as Validated<K>[];
    const keep = <K extends ReferenceName>(name: K, check: (record: CollectionRecords[K][number]) => RejectionReason | undefined) => {
      const kept: CollectionRecords[K] = [];
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
      // Walk up to the root: a cycle or a broken chain would make coverage undefined, and a region
      // kept under a rejected ancestor would silently stop being covered by that ancestor's ancestors.
      const visited = new Set<string>([region.code]);
      let child = region.code;
      let current: string | undefined = region.parent;
      while (current !== undefined) {
        if (!regionParents.has(current)) {
          return child === region.code
            ? reason("unknown_reference", { field: "parent", collection: "regions", id: current })
            : reason("unknown_ancestor", { field: "parent", collection: "regions", ancestor: child, parent: current });
        }
        if (visited.has(current)) {
          return current === region.code
            ? reason("own_ancestor", { field: "parent", id: region.code, through: child })
            : reason("parent_cycle", { field: "parent", collection: "regions", through: current });
        }
        visited.add(current);
        child = current;
        current = regionParents.get(current);
      }
      return undefined;
    });
    const knownRegions = new Set(regions.map((r) => r.code));

    // A partner is kept when its chain of parents ends at a partner without one: a rejected parent
    // counts as absent, so its children are rejected too.
    const partnerParents = new Map(get("partners").map((p) => [p.record.id, p.record.parentId]));
    const partners = keep("partners", (partner) => {
      const visited = new Set<string>([partner.id]);
      let child = partner.id;
      let current = partner.parentId;
      while (current !== undefined) {
        if (!partnerParents.has(current)) {
          return child === partner.id
            ? reason("unknown_reference", { field: "parentId", collection: "partners", id: current })
            : reason("unknown_ancestor", { field: "parentId", collection: "partners", ancestor: child, parent: current });
        }
        if (visited.has(current)) return reason("parent_cycle", { field: "parentId", collection: "partners", through: current });
        visited.add(current);
        child = current;
        current = partnerParents.get(current);
      }
      return undefined;
    });
    const knownPartners = new Set(partners.map((p) => p.id));
    const unknownPartner = (id: string) =>
      knownPartners.has(id) ? undefined : reason("unknown_reference", { field: "partnerId", collection: "partners", id });

    const territories = keep("territories", (territory) => {
      if (regionsPresent && !knownRegions.has(territory.region)) {
        return reason("unknown_reference", { field: "region", collection: "regions", id: territory.region });
      }
      if (territory.validFrom !== undefined && territory.validTo !== undefined && territory.validTo < territory.validFrom) {
        return reason("end_before_start", { field: "validTo", start: "validFrom" });
      }
      return unknownPartner(territory.partnerId);
    });
    const registrations = keep("registrations", (registration) => {
      if (registration.expiresAt !== undefined && registration.expiresAt < registration.registeredAt) {
        return reason("end_before_start", { field: "expiresAt", start: "registeredAt" });
      }
      return unknownPartner(registration.partnerId);
    });
    const spanCheck = (span: { validFrom?: number | undefined; validTo?: number | undefined }) =>
      span.validFrom !== undefined && span.validTo !== undefined && span.validTo < span.validFrom
        ? reason("end_before_start", { field: "validTo", start: "validFrom" })
        : undefined;
    const pricePolicies = keep("pricePolicies", spanCheck);
    const promotions = keep("promotions", spanCheck);
    const products = keep("products", () => undefined);
    const customers = keep("customers", () => undefined);

    for (const name of Object.keys(this.counts) as CollectionName[]) {
      if (name !== "events") this.counts[name].accepted = this.counts[name].read - this.counts[name].rejected;
    }
    return { partners, regions, territories, products, pricePolicies, promotions, registrations, customers };
  }
}

/** Reads event records against the event schema: the fast reader where it is sure, zod for the rest. */
export class EventSchemaReader {
  readonly fast: FastEventReader;
  private readonly schemas: Schemas;

  /** `zone`: the dataset's time zone, of times without an offset (UTC when absent). */
  constructor(zone: TimeZone = UTC_ZONE) {
    this.fast = new FastEventReader(zone);
    this.schemas = collectionSchemasIn(zone);
  }

  /** The event, or the reason the value is rejected. */
  check(value: unknown): ChannelEvent | RejectionReason {
    return this.fast.read(value) ?? this.zod(value);
  }

  /** `check` by zod alone (for what the fast reader leaves to it). */
  zod(value: unknown): ChannelEvent | RejectionReason {
    const parsed = parseValue("events", value, this.schemas);
    return parsed.ok ? parsed.record : parsed.reason;
  }
}

/**
 * What accepts events that passed the schema against the reference data (known partner, known sku when
 * the dataset has products, new id): the one interface both readers, the worker's and this thread's, judge through.
 */
export interface EventAcceptance {
  /**
   * Why the event is rejected, or undefined when it is accepted. `repeat`: whether an earlier event the
   * reader read had the same id (`EventPacker` with `markRepeats`), so the acceptance need not keep every
   * id; absent when the reader does not say, and the acceptance keeps the ids itself. One acceptance is
   * judged either way throughout, never both.
   */
  judge(event: ChannelEvent, repeat?: boolean): RejectionReason | undefined;
}

/** Types of events for which an unknown reference is no reason to reject, or undefined for none. */
function admittedTypes(types: readonly ChannelEvent["type"][] | undefined): ReadonlySet<string> | undefined {
  return types !== undefined && types.length > 0 ? new Set(types) : undefined;
}

/** Accepts events that passed the schema when their partner and sku are known (or admitted unknown) and their id is new. */
export class EventAcceptor implements EventAcceptance {
  private readonly partners: ReadonlySet<string>;
  private readonly skus: ReadonlySet<string> | undefined;
  private readonly unknownPartners: ReadonlySet<string> | undefined;
  private readonly unknownSkus: ReadonlySet<string> | undefined;
  /** How the events are judged, fixed by the first: with the ids kept here, or with the reader's marks. */
  private mode: "ids" | "marks" | undefined;
  /** The ids seen, when they are kept here (made on the first event judged so). */
  private seen: DuplicateIds | undefined;
  /** With the reader's marks: ids whose first event was rejected, and ids accepted on a repeat. */
  private rejectedFirsts: StringSet | undefined;
  private acceptedRepeats: StringSet | undefined;

  /**
   * `duplicateWindowMs`: how far back (in event time) duplicates are caught; every id when absent.
   * `admission`: the types of events not rejected for an unknown partner or sku (none when absent).
   */
  constructor(
    reference: ReferenceRecords,
    productsPresent: boolean,
    private readonly duplicateWindowMs?: number,
    admission?: EventAdmission,
  ) {
    this.partners = new Set(reference.partners.map((p) => p.id));
    this.skus = productsPresent ? new Set(reference.products.map((p) => p.sku)) : undefined;
    this.unknownPartners = admittedTypes(admission?.unknownPartners);
    this.unknownSkus = admittedTypes(admission?.unknownSkus);
  }

  judge(event: ChannelEvent, repeat?: boolean): RejectionReason | undefined {
    return repeat === undefined ? this.judgeKeepingIds(event) : this.judgeMarked(event, repeat);
  }

  private judgeKeepingIds(event: ChannelEvent): RejectionReason | undefined {
    if (this.mode !== "ids") this.enter("ids");
    const unknown = this.unknownReference(event);
    if (unknown !== undefined) return unknown;
    this.seen ??= new DuplicateIds(this.duplicateWindowMs);
    if (!this.seen.add(event.id, event.occurredAt)) return duplicateIdReason(event);
    return undefined;
  }

  /**
   * Judging with the reader's marks (every id, no window) keeps only the ids of rejected first events and
   * of accepted repeats, not every id. An id was accepted before when its first event was (that one
   * could only be rejected for its partner or sku) or when a repeat of it was.
   */
  private judgeMarked(event: ChannelEvent, repeat: boolean): RejectionReason | undefined {
    if (this.mode !== "marks") this.enter("marks");
    const unknown = this.unknownReference(event);
    if (unknown !== undefined) {
      if (!repeat) (this.rejectedFirsts ??= new StringSet()).add(event.id);
      return unknown;
    }
    if (!repeat) return undefined;
    const acceptedBefore = !(this.rejectedFirsts?.has(event.id) ?? false) || (this.acceptedRepeats?.has(event.id) ?? false);
    if (acceptedBefore) return duplicateIdReason(event);
    (this.acceptedRepeats ??= new StringSet()).add(event.id);
    return undefined;
  }

  private enter(mode: "ids" | "marks"): void {
    // Each way keeps only its own ids: switching would miss the duplicates of the events judged before.
    if (this.mode !== undefined) throw new Error(`EventAcceptor.judge: events were judged ${this.mode === "ids" ? "without" : "with"} repeat marks, and cannot be judged ${mode === "ids" ? "without" : "with"} them now`);
    if (mode === "marks" && this.duplicateWindowMs !== undefined) {
      throw new Error("EventAcceptor.judge: the repeat marks cover every id; an acceptor with a duplicate window must judge without them");
    }
    this.mode = mode;
  }

  /**
   * The ids remembered, as plain data (for a stream's checkpoint): only an acceptor with a duplicate
   * window, judging without repeat marks, can be saved.
   */
  toState(): { readonly seen: RecentIdsState | null } {
    if (this.mode === "marks" || this.duplicateWindowMs === undefined) throw new Error("EventAcceptor.toState: only an acceptor with a duplicate window can be saved");
    return { seen: this.seen ? this.seen.toState() : null };
  }

  /** Remembers the ids of `state` (from `toState` of an acceptor of the same window) instead of its own. */
  fromState(state: { readonly seen: RecentIdsState | null }): void {
    if (this.duplicateWindowMs === undefined) throw new Error("EventAcceptor.fromState: only an acceptor with a duplicate window can be restored");
    this.mode = "ids";
    this.seen = state.seen ? DuplicateIds.fromState(this.duplicateWindowMs, state.seen) : undefined;
  }

  private unknownReference(event: ChannelEvent): RejectionReason | undefined {
    if (!this.partners.has(event.partnerId) && !this.unknownPartners?.has(event.type)) {
      return reason("unknown_reference", { field: "partnerId", collection: "partners", id: event.partnerId });
    }
    if (this.skus && !this.skus.has(event.sku) && !this.unknownSkus?.has(event.type)) {
      return reason("unknown_reference", { field: "sku", collection: "products", id: event.sku });
    }
    return undefined;
  }
}

const duplicateIdReason = (event: ChannelEvent) => reason("duplicate_event", { id: event.id });

/**
 * Validates batches of event records in this thread: the schema (`EventSchemaReader`), then the
 * reference data (`EventAcceptor`, through `acceptBatch` as the worker's events are).
 */
export class EventValidator implements BatchValidator {
  private readonly schema: EventSchemaReader;
  private readonly acceptance: EventAcceptance;

  /**
   * `duplicateWindowMs`: how far back (in event time) duplicates are caught; every id when absent.
   * `admission`: the types of events not rejected for an unknown partner or sku (none when absent).
   * `zone`: the dataset's time zone, of times without an offset (UTC when absent).
   */
  constructor(reference: ReferenceRecords, productsPresent: boolean, duplicateWindowMs?: number, admission?: EventAdmission, zone: TimeZone = UTC_ZONE) {
    this.schema = new EventSchemaReader(zone);
    this.acceptance = new EventAcceptor(reference, productsPresent, duplicateWindowMs, admission);
  }

  /** The batch's events that pass, with their origins, and the records rejected, in read order. */
  validate(raws: readonly RawRecord[]): EventBatch {
    const checked = validateBatch(raws, this.schema);
    const origins = checked.origins as RecordOrigin[];
    return acceptBatch(checked, this.acceptance, (i) => origins[i] as RecordOrigin);
  }
}
