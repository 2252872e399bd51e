import type { Channel } from "../schema/primitives.js";
import type {
  Customer,
  Partner,
  PricePolicy,
  Product,
  Promotion,
  Registration,
  Territory,
} from "../schema/dataset.js";
import type { CollectionName, ReferenceRecords } from "../schema/dataset.js";
import { spanContains } from "../core/time.js";
import { RegionTree } from "./regionTree.js";
import { SpanEpochs } from "./spanEpochs.js";
import { scopeIncludes, type ProductKey } from "./productScope.js";

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Earlier registration first; equal times by id. */
export function byRegistration(a: Registration, b: Registration): number {
  return a.registeredAt - b.registeredAt || byId(a, b);
}

function territorySpan(t: Territory) {
  return { from: t.validFrom, to: t.validTo };
}

/** Which price a policy lookup needs: a policy that does not set it is passed over. */
export type PolicyField = "floorPrice" | "map" | "listPrice";

/**
 * Indexes over the reference data, built once per scan, so each event costs a few map lookups.
 * Every lookup respects half-open validity spans.
 */
export class ReferenceIndex {
  readonly regions: RegionTree;
  readonly partners = new Map<string, Partner>();
  readonly products = new Map<string, Product>();
  readonly customers = new Map<string, Customer>();
  readonly territories: readonly Territory[];
  private readonly territoriesByPartner = new Map<string, Territory[]>();
  private readonly exclusiveByRegion = new Map<string, Territory[]>();
  private readonly policiesBySku = new Map<string, PricePolicy[]>();
  private readonly promotions: readonly Promotion[];
  private readonly registrationsByCustomer = new Map<string, Registration[]>();
  readonly registrations: readonly Registration[];
  /** Epochs in which the set of valid territories stays the same. */
  readonly territoryEpochs: SpanEpochs;
  /** Epochs in which the set of valid price policies stays the same. */
  readonly policyEpochs: SpanEpochs;
  private readonly approvedByCustomer = new Map<string, Registration[]>();

  constructor(reference: ReferenceRecords, present: ReadonlySet<CollectionName>) {
    this.regions = new RegionTree(reference.regions, present.has("regions"));
    for (const partner of reference.partners) this.partners.set(partner.id, partner);
    for (const product of reference.products) this.products.set(product.sku, product);
    for (const customer of reference.customers) this.customers.set(customer.id, customer);
    // Sorted copies: every lookup below returns records in id order, whatever the input order.
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
  protectingRegistration(customerId: string, t: number): Registration | undefined {
    const approved = this.approvedByCustomer.get(customerId);
    if (approved === undefined) return undefined;
    for (const registration of approved) {
      if (registration.registeredAt <= t && (registration.expiresAt === undefined || t < registration.expiresAt)) return registration;
    }
    return undefined;
  }

  /** The product as scopes see it (its category when the catalogue knows it). */
  productKey(sku: string): ProductKey {
    return { sku, category: this.products.get(sku)?.category };
  }

  categoryOf = (sku: string): string | undefined => this.products.get(sku)?.category;

  /** True when the partner holds any territory at all (at any time). */
  hasTerritories(partnerId: string): boolean {
    return this.territoriesByPartner.has(partnerId);
  }

  /**
   * The partner's territories valid at `t` whose region covers `region` and whose scope includes the
   * product (any scope when `product` is undefined), in id order.
   */
  coveringTerritories(partnerId: string, region: string, t: number, product?: ProductKey): Territory[] {
    return (this.territoriesByPartner.get(partnerId) ?? []).filter(
      (territory) =>
        spanContains(territorySpan(territory), t) &&
        (product === undefined || scopeIncludes(territory, product)) &&
        this.regions.covers(territory.region, region),
    );
  }

  /**
   * Exclusive territories of any partner valid at `t` whose region covers `region` and whose scope
   * includes the product (any scope when `product` is undefined), in id order.
   */
  exclusiveHolders(region: string, t: number, product?: ProductKey): Territory[] {
    const result: Territory[] = [];
    for (const code of this.regions.ancestors(region)) {
      for (const territory of this.exclusiveByRegion.get(code) ?? []) {
        if (spanContains(territorySpan(territory), t) && (product === undefined || scopeIncludes(territory, product))) result.push(territory);
      }
    }
    return result.sort(byId);
  }

  /**
   * The price policy that applies to a sku for a channel at `t`, in `currency`, and sets `field`: a
   * policy for that channel beats a general one; among equals the latest start wins, then the smallest
   * id. `mismatch` is true when no policy in that currency applies but one in another currency does.
   */
  applicablePolicy(
    sku: string,
    channel: Channel,
    t: number,
    field: PolicyField,
    currency: string,
  ): { policy?: PricePolicy; mismatch: boolean } {
    let best: PricePolicy | undefined;
    let bestRank = -1;
    let mismatch = false;
    for (const policy of this.policiesBySku.get(sku) ?? []) {
      if (policy[field] === undefined) continue;
      if (policy.channel !== undefined && policy.channel !== channel) continue;
      if (!spanContains({ from: policy.validFrom, to: policy.validTo }, t)) continue;
      if (policy.currency !== currency) {
        mismatch = true;
        continue;
      }
      const rank = policy.channel === undefined ? 0 : 1;
      if (
        best === undefined ||
        rank > bestRank ||
        (rank === bestRank && (policy.validFrom ?? -Infinity) > (best.validFrom ?? -Infinity))
      ) {
        best = policy;
        bestRank = rank;
      }
    }
    return best ? { policy: best, mismatch: false } : { mismatch };
  }

  /** Promotions running at `t` that cover the sku, the channel and the partner, largest discount first. */
  activePromotions(sku: string, channel: Channel, partnerId: string, t: number): Promotion[] {
    return this.promotions
      .filter(
        (promotion) =>
          promotion.validFrom <= t &&
          t < promotion.validTo &&
          (promotion.skus === undefined || promotion.skus.includes(sku)) &&
          (promotion.channels === undefined || promotion.channels.includes(channel)) &&
          (promotion.partnerIds === undefined || promotion.partnerIds.includes(partnerId)),
      )
      .sort((a, b) => b.maxDiscount - a.maxDiscount || byId(a, b));
  }

  /** The customer's registrations, in id order. */
  registrationsOf(customerId: string): readonly Registration[] {
    return this.registrationsByCustomer.get(customerId) ?? [];
  }

  /** Customer ids with at least one registration, in sorted order. */
  registeredCustomers(): string[] {
    return [...this.registrationsByCustomer.keys()].sort();
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
