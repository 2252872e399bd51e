import { isNode, LineCounter, parseDocument, visit, type Document } from "yaml";

/** A YAML document read as plain data, with the line each path of it starts on. */
export interface YamlData {
  readonly data: unknown;
  /** The line (from 1) of the node at `path`, or of its nearest ancestor that exists; undefined for the document root. */
  readonly lineOf: (path: readonly (string | number)[]) => number | undefined;
}

/**
 * Parses YAML as plain JSON data: the core schema, no tags at all (no `!!binary`, `!!set`, `!!js/…` or
 * custom tags: configuration is data), aliases capped, and every error or warning a reason to refuse the
 * text (thrown as an Error whose message starts with the line).
 */
export function parseYamlData(text: string): YamlData {
  const lines = new LineCounter();
  const doc: Document.Parsed = parseDocument(text, {
    schema: "core",
    resolveKnownTags: false,
    uniqueKeys: true,
    prettyErrors: false,
    logLevel: "silent",
    lineCounter: lines,
  });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const line = problem.linePos?.[0]?.line ?? (problem.pos?.[0] !== undefined ? lines.linePos(problem.pos[0]).line : undefined);
    throw new Error(line === undefined ? problem.message : `line ${line}: ${problem.message.split("\n")[0]}`);
  }
  let tag: string | undefined;
  let tagAt: number | undefined;
  visit(doc, (_key, node) => {
    if (isNode(node) && node.tag !== undefined) {
      tag = node.tag;
      tagAt = node.range?.[0];
      return visit.BREAK;
    }
    return undefined;
  });
  if (tag !== undefined) {
    const where = tagAt === undefined ? "" : `line ${lines.linePos(tagAt).line}: `;
    throw new Error(`${where}the tag ${tag} is not allowed; plain data only (strings, numbers, booleans, lists, maps)`);
  }
  return {
    data: doc.toJS({ maxAliasCount: 100 }),
    lineOf: (path) => {
      for (let length = path.length; length > 0; length--) {
        const node = doc.getIn(path.slice(0, length), true);
        const offset = isNode(node) ? node.range?.[0] : undefined;
        if (offset !== undefined) return lines.linePos(offset).line;
      }
      return undefined;
    },
  };
}
