import { differenceInCalendarDays } from "date-fns/differenceInCalendarDays";
import { utc } from "@date-fns/utc";
import type { ChannelEvent, Registration, SaleEvent } from "../../schema/dataset.js";
import { round } from "../../core/money.js";
import { channelSchema } from "../../schema/primitives.js";
import type { MessageOf } from "../../messages/types.js";
import { spansIntersect, utcDayIndex } from "../../core/time.js";
import { groupKey, isSale, namedPartner, occurrencesOf, pairEvidence } from "../shared.js";
import { customerPoachingTexts, type CustomerPoachingMessages } from "./messages.js";
import type { Candidate, Detector, DetectorContext, DetectorRun, Unjudged } from "../types.js";
import { otherEvents, referenceOnly } from "../whyNot.js";
import { customerPoachingWhyNotTexts } from "./whyNot.js";
import { byRegistration } from "../../reference/referenceIndex.js";

const LIVE = ["approved", "pending"] as const;
const LIVE_STATUSES: ReadonlySet<Registration["status"]> = new Set(LIVE);
const CHECKS = ["protected-customer", "duplicate-registration"] as const;

function registrationSpan(registration: Registration) {
  return { from: registration.registeredAt, to: registration.expiresAt };
}


function createRun(context: DetectorContext): DetectorRun {
  const { index } = context;
  // The facts the prefilter reads, set for every sale.
  const probe = { check: "protected-customer", protectedByOther: false };
  const mayFire = context.prefilter(probe);

  function duplicates(): Candidate[] {
    const out: Candidate[] = [];
    for (const customerId of index.registeredCustomers()) {
      const live = index.registrationsOf(customerId).filter((r) => LIVE_STATUSES.has(r.status)).sort(byRegistration);
      for (let i = 0; i < live.length; i++) {
        for (let j = i + 1; j < live.length; j++) {
          const earlier = live[i] as Registration;
          const later = live[j] as Registration;
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
              overlapDays:
                overlapEnd === Infinity ? null : differenceInCalendarDays(overlapEnd, later.registeredAt, { in: utc }),
              laterIsDirect: index.partners.get(later.partnerId)?.channel === "direct",
            },
            at: later.registeredAt,
            magnitude: earlier.status === "approved" && later.status === "approved" ? 60 : 30,
            amount: 0,
            evidence: () => pairEvidence("registration", groupKey(earlier.id, later.id), later, earlier),
          });
        }
      }
    }
    return out;
  }

  function protectedCustomer(event: SaleEvent): Candidate | undefined {
    const customerId = event.customerId;
    if (customerId === undefined) return undefined;
    const owner = index.protectingRegistration(customerId, event.occurredAt);
    if (!owner) return undefined;
    probe.protectedByOther = owner.partnerId !== event.partnerId;
    if (!mayFire()) return undefined;
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
        currency: event.currency,
      },
      at: event.occurredAt,
      magnitude: 50,
      amount,
      currency: event.currency,
      evidence: () => ({
        groupKey: groupKey(event.partnerId, customerId, event.currency),
        partners: [event.partnerId, owner.partnerId],
        eventIds: [event.id],
        refs: [{ type: "registration", id: owner.id }],
      }),
    };
  }

  return {
    start: duplicates,
    onEvent(event: ChannelEvent, out: Candidate[]): void {
      if (!isSale(event)) return;
      const candidate = protectedCustomer(event);
      if (candidate) out.push(candidate);
    },
    whyNot(event: ChannelEvent, made: ReadonlySet<string>): Unjudged[] {
      const reasons = [referenceOnly("duplicate-registration", "registrations")];
      if (made.has("protected-customer")) return reasons;
      const check = "protected-customer";
      if (!isSale(event)) reasons.unshift(otherEvents(check, ["order", "sale"], event));
      else if (event.customerId === undefined) reasons.unshift({ check, message: { code: "customer-poaching.no-customer", args: {} } });
      else reasons.unshift({ check, message: { code: "customer-poaching.unprotected", args: { customerId: event.customerId, at: event.occurredAt } } });
      return reasons;
    },
  };
}

/** Customer poaching: selling to another partner's registered customer, or registering one twice. */
export const customerPoaching: Detector = {
  kind: "customer-poaching",
  checks: CHECKS,
  params: [],
  facts: [
    { name: "check", type: "string", values: CHECKS, description: "`protected-customer` or `duplicate-registration`" },
    { name: "customerId", type: "string", description: "the customer" },
    { name: "partnerId", type: "string", description: "the selling partner, or the partner of the later registration" },
    { name: "sku", type: "string", checks: ["protected-customer"], description: "the product sold" },
    { name: "channel", type: "string", checks: ["protected-customer"], values: channelSchema.options, nullable: true, description: "the seller's channel" },
    { name: "ownerPartnerId", type: "string", checks: ["protected-customer"], description: "the partner of the earliest approved registration active at the sale" },
    { name: "ownerChannel", type: "string", checks: ["protected-customer"], values: channelSchema.options, nullable: true, description: "the owner's channel" },
    { name: "protectedByOther", type: "boolean", checks: ["protected-customer"], description: "the owner is not the seller" },
    { name: "registrationAgeDays", type: "number", checks: ["protected-customer"], description: "calendar days from the registration to the sale" },
    { name: "quantity", type: "number", checks: ["protected-customer"], description: "units sold" },
    { name: "amount", type: "number", checks: ["protected-customer"], description: "unitPrice × quantity" },
    { name: "currency", type: "string", checks: ["protected-customer"], description: "the sale's currency" },
    { name: "earlierPartnerId", type: "string", checks: ["duplicate-registration"], description: "the partner of the earlier registration" },
    { name: "status", type: "string", checks: ["duplicate-registration"], values: LIVE, description: "status of the later registration (`approved` or `pending`)" },
    { name: "earlierStatus", type: "string", checks: ["duplicate-registration"], values: LIVE, description: "status of the earlier registration" },
    { name: "bothApproved", type: "boolean", checks: ["duplicate-registration"], description: "both registrations are approved" },
    { name: "overlapDays", type: "number", checks: ["duplicate-registration"], nullable: true, description: "calendar days both are live, or null when open-ended" },
    { name: "laterIsDirect", type: "boolean", checks: ["duplicate-registration"], description: "the later registration belongs to the direct channel" },
  ],
  refTypes: ["registration"],
  // A sale is judged alone, and grouped by partner and customer: one shard per customer.
  shardKey: (event) => (isSale(event) ? (event.customerId ?? "") : ""),
  messages: customerPoachingTexts,
  whyNotMessages: customerPoachingWhyNotTexts,
  create: createRun,
  describe(group, context): MessageOf<CustomerPoachingMessages> {
    const facts = group.worst.facts;
    const customerId = String(facts.customerId);
    const customer = { id: customerId, name: context.index.customers.get(customerId)?.name };
    if (group.check === "duplicate-registration") {
      return {
        code: "customer-poaching.duplicate-registration",
        args: {
          partner: namedPartner(context.index, String(facts.partnerId)),
          customer,
          registeredAt: group.firstAt,
          status: String(facts.status),
          earlierPartner: namedPartner(context.index, String(facts.earlierPartnerId)),
          earlierStatus: String(facts.earlierStatus),
        },
      };
    }
    return {
      code: "customer-poaching.protected-customer",
      args: {
        seller: namedPartner(context.index, String(facts.partnerId)),
        customer,
        owner: namedPartner(context.index, String(facts.ownerPartnerId)),
        occurrences: occurrencesOf(group),
        amount: group.amount,
        currency: String(facts.currency),
      },
    };
  },
};
