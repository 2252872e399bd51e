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

function grantZh(grant: GrantScope | null): string {
  if (grant === null) return "?";
  const parts = [...grant.skus, ...grant.categories.map((c) => `类目 ${c}`)];
  return `${grant.id}，${parts.length === 0 ? "全部产品" : parts.join("、")}`;
}

export const territoryOverlapTexts: Texts<TerritoryOverlapMessages> = {
  en: {
    "territory-overlap.exclusive-overlap": (a, w) =>
      `${w.named(a.partner)} was granted ${w.region(a.region)} exclusively (${grantEn(a.grant)}) ` +
      `while ${w.named(a.otherPartner)} holds ${w.region(a.otherRegion)} exclusively (${grantEn(a.otherGrant)}); ` +
      `both claim ${w.region(a.overlapRegion)} ${a.from === null ? "with no start date" : `from ${w.day(a.from)}`}${a.to === null ? "" : ` until ${w.day(a.to)}`}.`,
  },
  "zh-CN": {
    "territory-overlap.exclusive-overlap": (a, w) =>
      `${w.named(a.partner)}获授${w.region(a.region)}的独家经营权（${grantZh(a.grant)}），` +
      `而${w.named(a.otherPartner)}已独家持有${w.region(a.otherRegion)}（${grantZh(a.otherGrant)}）；` +
      `双方的独家区域在${w.region(a.overlapRegion)}重叠，${a.from === null ? "无起始日期" : `自${w.day(a.from)}起`}${a.to === null ? "" : `至${w.day(a.to)}止`}。`,
  },
};
