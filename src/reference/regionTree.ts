import type { Region } from "../schema/dataset.js";

/** The region tree: a region covers itself and all its descendants. */
export class RegionTree {
  private readonly parents = new Map<string, string | undefined>();
  private readonly chains = new Map<string, readonly string[]>();
  /** False when the dataset has no regions collection: codes are then only compared for equality. */
  readonly known: boolean;

  constructor(regions: readonly Region[], present: boolean) {
    for (const region of regions) this.parents.set(region.code, region.parent);
    this.known = present;
  }

  /** True when the code is a region of the tree (always true when the dataset has no regions). */
  has(code: string): boolean {
    return !this.known || this.parents.has(code);
  }

  /** The region and its ancestors, nearest first. */
  ancestors(code: string): readonly string[] {
    let chain = this.chains.get(code);
    if (!chain) {
      const list: string[] = [];
      let current: string | undefined = code;
      while (current !== undefined && !list.includes(current)) {
        list.push(current);
        current = this.parents.get(current);
      }
      chain = list;
      this.chains.set(code, chain);
    }
    return chain;
  }

  /** True when region `a` covers region `b` (b is a or one of its descendants). */
  covers(a: string, b: string): boolean {
    return this.ancestors(b).includes(a);
  }

  /** True when one of the two regions covers the other. */
  overlap(a: string, b: string): boolean {
    return this.covers(a, b) || this.covers(b, a);
  }
}
