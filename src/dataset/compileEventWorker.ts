// Running from sources (tests, `node --import tsx`), the event reader's worker is compiled from
// `eventWorker.ts` as tsup builds `dist/eventWorker.js` (esbuild, one ESM file, dependencies left to
// node_modules), once per process: a worker running the sources through tsx's hooks instead takes three
// to four times as long to start (~0.6–0.9 s against ~0.2 s), and tests start one per dataset folder.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { threadId } from "node:worker_threads";

/** The part of esbuild's API used here (esbuild, a dependency of tsup, is not one of this package's). */
interface Esbuild {
  buildSync(options: Record<string, unknown>): { outputFiles: { text: string }[] };
}

const compiled = new Map<string, string>();

/**
 * The path of `source` (the sources' `eventWorker.ts`) compiled to one ESM file under the package's
 * `node_modules/.cache`, where the file's imports of dependencies resolve; compiled once per process.
 */
export function compileEventWorker(source: string): string {
  const known = compiled.get(source);
  if (known !== undefined) return known;
  // The esbuild tsup builds with; its name in a variable, so that bundling this module leaves it out.
  const packageRequire = createRequire(import.meta.url);
  const name = "esbuild";
  const esbuild = createRequire(packageRequire.resolve("tsup"))(name) as Esbuild;
  const result = esbuild.buildSync({
    entryPoints: [source],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    write: false,
    outfile: "eventWorker.mjs",
    logLevel: "silent",
  });
  const text = (result.outputFiles[0] as { text: string }).text;
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const dir = join(root, "node_modules", ".cache", "channel-conflict");
  // Named by its content, so processes compiling other sources at the same time never overwrite it, and
  // written whole under another name first, so none starts a worker from half a file. `.mjs`: a package
  // scope ends at node_modules, so a `.js` file there would be CommonJS.
  const path = join(dir, `eventWorker-${createHash("sha256").update(text).digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${path}.${process.pid}-${threadId}.tmp`;
    writeFileSync(partial, text);
    renameSync(partial, path);
  }
  compiled.set(source, path);
  return path;
}
