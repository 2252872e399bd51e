import type { Territory } from "../../schema/dataset.js";
import { scopesIntersect } from "../../reference/productScope.js";
import { spansIntersect } from "../../core/time.js";
import type { MessageOf } from "../../messages/types.js";
import { groupKey, namedPartner, pairEvidence } from "../shared.js";
import { territoryOverlapTexts, type GrantScope, type TerritoryOverlapMessages } from "./messages.js";
import type { Candidate, Detector, DetectorContext, DetectorRun } from "../types.js";
import { referenceOnly } from "../whyNot.js";
import { territoryOverlapWhyNotTexts } from "./whyNot.js";

/** The later grant first (later start, then larger id): it is the one that broke exclusivity. */
function laterFirst(a: Territory, b: Territory): [Territory, Territory] {
  const startA = a.validFrom ?? -Infinity;
  const startB = b.validFrom ?? -Infinity;
  if (startA !== startB) return startA > startB ? [a, b] : [b, a];
  return a.id > b.id ? [a, b] : [b, a];
}

function createRun(context: DetectorContext): DetectorRun {
  const { index } = context;
  function overlaps(): Candidate[] {
    const exclusive = index.territories.filter((t) => t.exclusive);
    const out: Candidate[] = [];
    for (let i = 0; i < exclusive.length; i++) {
      for (let j = i + 1; j < exclusive.length; j++) {
        const a = exclusive[i] as Territory;
        const b = exclusive[j] as Territory;
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
            openEnded: overlapTo === Infinity,
          },
          at: overlapFrom === -Infinity ? 0 : overlapFrom,
          magnitude: sameRegion ? 80 : 50,
          amount: 0,
          evidence: () => pairEvidence("territory", groupKey(a.id, b.id), later, earlier),
        });
      }
    }
    return out;
  }
  return { start: overlaps, onEvent: () => undefined, whyNot: () => [referenceOnly("exclusive-overlap", "territories")] };
}

const CHECKS = ["exclusive-overlap"] as const;

/** Territory overlap: exclusive grants of different partners over the same ground, products and time. */
export const territoryOverlap: Detector = {
  kind: "territory-overlap",
  checks: CHECKS,
  params: [],
  facts: [
    { name: "check", type: "string", values: CHECKS, description: "`exclusive-overlap`" },
    { name: "partnerId", type: "string", description: "the partner of the later grant" },
    { name: "otherPartnerId", type: "string", description: "the partner of the earlier grant" },
    { name: "region", type: "string", description: "the later grant's region" },
    { name: "otherRegion", type: "string", description: "the earlier grant's region" },
    { name: "sameRegion", type: "boolean", description: "both grants are for the same region" },
    { name: "overlapRegion", type: "string", description: "the smaller of the two regions: the ground both claim" },
    { name: "overlapFrom", type: "string", nullable: true, description: "ISO start of the common span, or null when both are open" },
    { name: "overlapTo", type: "string", nullable: true, description: "ISO end of the common span, or null when open" },
    { name: "openEnded", type: "boolean", description: "the common span has no end" },
  ],
  refTypes: ["territory"],
  messages: territoryOverlapTexts,
  whyNotMessages: territoryOverlapWhyNotTexts,
  create: createRun,
  describe(group, context): MessageOf<TerritoryOverlapMessages> {
    const facts = group.worst.facts;
    const [laterRef, earlierRef] = group.worstEvidence.refs;
    const grantOf = (id: string | undefined): GrantScope | null => {
      const territory = context.index.territories.find((t) => t.id === id);
      return territory ? { id: territory.id, skus: territory.skus ?? [], categories: territory.categories ?? [] } : null;
    };
    return {
      code: "territory-overlap.exclusive-overlap",
      args: {
        partner: namedPartner(context.index, String(facts.partnerId)),
        region: String(facts.region),
        grant: grantOf(laterRef?.id),
        otherPartner: namedPartner(context.index, String(facts.otherPartnerId)),
        otherRegion: String(facts.otherRegion),
        otherGrant: grantOf(earlierRef?.id),
        overlapRegion: String(facts.overlapRegion),
        from: facts.overlapFrom === null ? null : group.firstAt,
        to: facts.overlapTo === null ? null : Date.parse(String(facts.overlapTo)),
      },
    };
  },
};
