import type { NamedRecord, Texts } from "../../messages/types.js";

/** A territory grant as messages describe it: its id and its product scope (none: every product). */
export type GrantScope = {
  readonly id: string;
  readonly skus: readonly string[];
  readonly categories: readonly string[];
};

/** What territory-overlap findings say, by code. */
export interface TerritoryOverlapMessages {
  "territory-overlap.exclusive-overlap": {
    /** The partner of the later grant, its region and grant (null when the grant is not known). */
    readonly partner: NamedRecord;
    readonly region: string;
    readonly grant: GrantScope | null;
    readonly otherPartner: NamedRecord;
    readonly otherRegion: string;
    readonly otherGrant: GrantScope | null;
    /** The ground both claim, and the common span (null ends are open). */
    readonly overlapRegion: string;
    readonly from: number | null;
    readonly to: number | null;
  };
}

function grantEn(grant: GrantScope | null): string {
  if (grant === null) return "?, ";
  const parts = [...grant.skus, ...grant.categories.map((c) => `category ${c}`)];
  return `${grant.id}, ${parts.length === 0 ? "all products" : parts.join(", ")}`;
}

export const territoryOverlapTexts: Texts<TerritoryOverlapMessages> = {
  en: {
    "territory-overlap.exclusive-overlap": (a, w) =>
      `${w.named(a.partner)} was granted ${a.region} exclusively (${grantEn(a.grant)}) ` +
      `while ${w.named(a.otherPartner)} holds ${a.otherRegion} exclusively (${grantEn(a.otherGrant)}); ` +
      `both claim ${a.overlapRegion} ${a.from === null ? "with no start date" : `from ${w.day(a.from)}`}${a.to === null ? "" : ` until ${w.day(a.to)}`}.`,
  },
};
