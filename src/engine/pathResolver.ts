/** The only `path` syntax rules may use: `$.a.b`, `$.list[0]` — no filters, no scripts. */
export const SAFE_PATH_PATTERN = /^\$(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/;

const SEGMENT = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]/g;

/**
 * Resolves a safe path against a fact value using own properties only, so a path can never
 * reach a prototype, a getter on the environment, or run an expression.
 */
export function resolveSafePath(value: unknown, path: string): unknown {
  if (!SAFE_PATH_PATTERN.test(path)) return undefined;
  let current: unknown = value;
  for (const match of path.slice(1).matchAll(SEGMENT)) {
    if (current === null || typeof current !== "object") return undefined;
    const key = match[1] ?? Number(match[2]);
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
