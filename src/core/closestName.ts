/**
 * A name as it is compared with another: lower case, without separators (`_`, `-`, `.`, `/`, spaces),
 * so `ship_to_region`, `shipTo.region` and `Ship To Region` are one name.
 * @example
 * normalizeName("partner_ID"); // "partnerid"
 */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[\s._\-/]+/g, "");
}

/**
 * The optimal-string-alignment distance between two strings: insertions, deletions, substitutions and
 * swaps of two neighbours, one edit each (a swap is the commonest typing slip, so it costs one, not two).
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rows of the dynamic-programming table are all a swap needs.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (before[j - 2] as number) + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] as number;
}

/** How far a name may be from a candidate and still be taken for it. */
export interface ClosestNameOptions {
  /**
   * Edits allowed, as a share of the longer normalised name (default 1/3; at least one edit is always
   * allowed): `partner` is one edit from `partners`, `territory` three from `territories`.
   */
  readonly tolerance?: number;
}

/**
 * The candidate `name` most resembles — case and separators ignored (`normalizeName`), then the fewest
 * edits (`editDistance`) — or undefined when none is close enough. Ties go to the earlier candidate, so
 * the answer does not depend on anything but the arguments.
 * @example
 * closestName("partner", ["partners", "regions"]); // "partners"
 * closestName("ship_to_region", ["shipTo.region", "sku"]); // "shipTo.region"
 * closestName("expected", ["partners", "events"]); // undefined
 */
export function closestName(name: string, candidates: Iterable<string>, options: ClosestNameOptions = {}): string | undefined {
  const tolerance = options.tolerance ?? 1 / 3;
  const wanted = normalizeName(name);
  if (wanted === "") return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const normal = normalizeName(candidate);
    if (normal === "") continue;
    const distance = editDistance(wanted, normal);
    const allowed = Math.max(1, Math.floor(Math.max(wanted.length, normal.length) * tolerance));
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
