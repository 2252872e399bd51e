import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The folders of `src/` in the order data flows through them (README, "Working on channel-conflict"):
 * a folder may import itself and the folders before it, never one after it. `src/index.ts`, the public
 * entry, gathers everything.
 */
export const LAYERS = [
  "core",
  "messages",
  "schema",
  "fast",
  "io",
  "dataset",
  "reference",
  "detectors",
  "engine",
  "rules",
  "findings",
  "scan",
  "explain",
  "report",
  "testing",
  "queue",
  "cli",
] as const;

const SRC = resolve("src");

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (entry.endsWith(".ts") && !entry.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

/** Every relative module a file imports, type-only imports and re-exports included. */
export function importsOf(text: string): string[] {
  const specifiers: string[] = [];
  const pattern = /(?:^|[\s;])(?:import|export)\s[^;'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier?.startsWith(".")) specifiers.push(specifier);
  }
  return specifiers;
}

/** The layer a file of `src/` belongs to: its first folder, or "index" for the entry. */
function layerOf(path: string): string {
  const parts = relative(SRC, path).split(/[\\/]/);
  return parts.length === 1 ? (parts[0] === "index.ts" ? "index" : `(root file ${parts[0]})`) : (parts[0] as string);
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly fromLayer: string;
  readonly toLayer: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      const target = resolve(dirname(file), specifier).replace(/\.js$/, ".ts");
      out.push({ from: relative(".", file), to: relative(".", target), fromLayer: layerOf(file), toLayer: layerOf(target) });
    }
  }
  return out;
}

describe("the folders of src/", () => {
  const all = edges();

  it("finds the imports it checks (the pattern reads this project's import forms)", () => {
    expect(importsOf(`import type { A } from "./a.js";\nexport { b } from "../b.js";\nimport {\n  c,\n} from "./c.js";\nconst d = await import("./d.js");`)).toEqual([
      "./a.js",
      "../b.js",
      "./c.js",
      "./d.js",
    ]);
    expect(all.length).toBeGreaterThan(100);
  });

  it("are each a known layer, and only src/index.ts sits at the root", () => {
    const unknown = [...new Set(all.flatMap((e) => [e.fromLayer, e.toLayer]))].filter(
      (layer) => layer !== "index" && !(LAYERS as readonly string[]).includes(layer),
    );
    expect(unknown, "folders missing from LAYERS (add them in flow order, and to the README)").toEqual([]);
  });

  it("import only themselves and the folders before them in the flow", () => {
    const rank = (layer: string) => (layer === "index" ? Infinity : (LAYERS as readonly string[]).indexOf(layer));
    const against = all
      .filter((e) => e.fromLayer !== e.toLayer && rank(e.toLayer) > rank(e.fromLayer))
      .map((e) => `${e.from} imports ${e.to} (${e.fromLayer} → ${e.toLayer}, against the flow)`);
    expect(against).toEqual([]);
  });

  it("leave the public entry to src/index.ts: no folder imports it", () => {
    expect(all.filter((e) => e.toLayer === "index").map((e) => e.from)).toEqual([]);
  });
});
