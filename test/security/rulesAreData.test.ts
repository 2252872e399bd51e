// Rules are data, never code (CONTRACT §4, §8): hostile rule files are refused at validation with a
// clear problem, or are inert. JSONPath expressions, facts and operators named after Object.prototype
// members, YAML tags and alias bombs; and nothing from the environment ever reaches the output.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadRules, RuleSetError, scan, type RuleSet } from "../../src/index.js";
import { DEMO, removeTempDirs, runCli, runCliAsync, tempDir, writeFiles, type JsonRecord } from "./support.js";

afterAll(() => removeTempDirs());
afterEach(() => {
  expect((globalThis as Record<string, unknown>).__ccExecuted).toBeUndefined();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

const rule = (extra: JsonRecord, kind = "price-deviation", check = "below-floor"): JsonRecord => ({
  id: "hostile.rule",
  kind,
  severity: "high",
  title: "Hostile",
  conditions: { all: [{ fact: "check", operator: "equal", value: check }, extra] },
});

/** Writes a rule file and loads it: the rule set, or the problems of its RuleSetError as `path: message`. */
async function load(name: string, text: string): Promise<{ rules?: RuleSet; problems?: string[]; file: string }> {
  const dir = tempDir("cc-rules-");
  writeFiles(dir, { [name]: text });
  const file = `${dir}/${name}`;
  try {
    return { rules: await loadRules(file), file };
  } catch (error) {
    if (error instanceof RuleSetError) return { problems: error.problems.map((p) => `${p.path}: ${p.message}`), file };
    throw error;
  }
}

async function refused(name: string, text: string): Promise<string[]> {
  const result = await load(name, text);
  expect(result.rules, `${name} is refused`).toBeUndefined();
  return result.problems ?? [];
}

/** Runs `fn` with process warnings captured instead of printed (the yaml library warns on unknown tags). */
async function capturingWarnings<T>(fn: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  const original = process.emitWarning;
  const warnings: string[] = [];
  process.emitWarning = ((warning: string | Error) => {
    warnings.push(String(warning instanceof Error ? warning.message : warning));
  }) as typeof process.emitWarning;
  try {
    return { value: await fn(), warnings };
  } finally {
    process.emitWarning = original;
  }
}

/** Every value in a loaded rule set is JSON data: no functions, regexps, dates, sets, byte arrays. */
function expectJsonData(value: unknown, path = "rules"): void {
  if (value === null || ["string", "number", "boolean", "undefined"].includes(typeof value)) return;
  expect(typeof value, path).toBe("object");
  const proto = Object.getPrototypeOf(value);
  expect(proto === Object.prototype || proto === Array.prototype || proto === null, `${path} is a plain object or array`).toBe(true);
  for (const [key, child] of Object.entries(value as object)) expectJsonData(child, `${path}.${key}`);
}

describe("paths are plain, never expressions", () => {
  const EXPRESSIONS = [
    "$..[?(@.constructor.constructor('return process')().exit())]",
    "$[?(@.constructor.constructor('globalThis.__ccExecuted = 1')())]",
    "$.constructor.constructor('return process')()",
    "$[(@.length-1)]",
    "$..*",
    "$.*",
    "$['constructor']",
    '$["__proto__"]',
    "$.a[-1:]",
    "$.a[0,1]",
    "$..price",
    "@.price",
    "price",
    "$.a.b()",
    "$.a;process.exit(1)",
    "",
  ];

  it("JSONPath filters, scripts, wildcards, recursion and bracketed names are refused at validation, naming the path", async () => {
    for (const path of EXPRESSIONS) {
      const problems = await refused("path.json", JSON.stringify(rule({ fact: "belowFloor", operator: "equal", value: true, path })));
      expect(problems, path).toEqual([
        path === ""
          ? expect.stringMatching(/^conditions\.all\[1\]\.path: /)
          : `conditions.all[1].path: unsupported path "${path}"; expected a plain path such as $.field or $.list[0] (no filters or expressions)`,
      ]);
    }
  });

  it("the CLI validate refuses them too: exit 2, one line per problem on stderr, nothing run", () => {
    const dir = tempDir("cc-rules-");
    writeFiles(dir, {
      "a.json": JSON.stringify(rule({ fact: "belowFloor", operator: "equal", value: true, path: EXPRESSIONS[0] as string })),
      "b.yaml": `id: b\nkind: price-deviation\nseverity: low\ntitle: t\nconditions:\n  all:\n    - { fact: belowFloor, operator: equal, value: true, path: "$[?(@.x)]" }\n`,
    });
    const result = runCli(["validate", dir]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    // file:line: rule <id>: path: message (a JSON file on one line is all line 1).
    expect(lines[0]).toMatch(/a\.json:1: rule hostile\.rule: conditions\.all\[1\]\.path: unsupported path "\$\.\.\[\?\(@\.constructor/);
    expect(lines[1]).toMatch(/b\.yaml:7: rule b: conditions\.all\[0\]\.path: unsupported path "\$\[\?\(@\.x\)\]"/);
    expect(lines[2]).toBe("2 problems; the rule set is refused.");
  });

  it("plain paths to prototype members are inert: they resolve over own properties only", async () => {
    // exclusiveHolders is a string[] fact of cross-region-shipping; the demo has candidates with and without holders.
    const fires = async (path: string, operator: string, value: unknown) => {
      const { rules, problems } = await load(
        "p.json",
        JSON.stringify(rule({ fact: "exclusiveHolders", operator, value: value as JsonRecord, path }, "cross-region-shipping", "out-of-territory")),
      );
      expect(problems, path).toBeUndefined();
      return (await scan(DEMO, { rules: rules as RuleSet })).findings.length;
    };
    // Control: own properties (length, [0]) resolve, so the zeros below are not an accident.
    expect(await fires("$.length", "greaterThan", 0)).toBeGreaterThan(0);
    expect(await fires("$[0]", "equal", "D-QIANTANG")).toBeGreaterThan(0);
    for (const path of ["$.constructor.name", "$.__proto__.constructor.name", "$.constructor.constructor.name"]) {
      expect(await fires(path, "equal", "Array"), path).toBe(0);
      expect(await fires(path, "equal", "Function"), path).toBe(0);
    }
    expect(await fires("$.toString.name", "equal", "toString")).toBe(0);
    expect(await fires("$.__proto__.length", "equal", 0)).toBe(0);
  });
});

describe("facts and operators named after prototype members", () => {
  const NAMES = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "__defineGetter__", "prototype"];

  it("a fact named constructor, __proto__, toString … is an unknown fact", async () => {
    for (const fact of NAMES) {
      const problems = await refused("fact.json", JSON.stringify(rule({ fact, operator: "equal", value: 1 })));
      expect(problems, fact).toEqual([expect.stringMatching(new RegExp(`^conditions\\.all\\[1\\]\\.fact: unknown fact "${fact}" for kind price-deviation; expected one of `))]);
    }
  });

  it("value: { fact: constructor | __proto__ | toString … } is an unknown fact", async () => {
    for (const fact of NAMES) {
      const problems = await refused("vfact.json", JSON.stringify(rule({ fact: "unitPrice", operator: "lessThan", value: { fact } })));
      expect(problems, fact).toEqual([`conditions.all[1].value.fact: unknown fact ${JSON.stringify(fact)} for kind price-deviation`]);
    }
  });

  it("an operator or decorator named constructor, __proto__, toString, valueOf … is an unknown operator", async () => {
    for (const name of NAMES) {
      expect(await refused("op.json", JSON.stringify(rule({ fact: "unitPrice", operator: name, value: 1 }))), name).toEqual([
        expect.stringMatching(new RegExp(`^conditions\\.all\\[1\\]\\.operator: unknown operator "${name.replace(/\$/g, "\\$")}"; expected one of equal, `)),
      ]);
      expect(await refused("dec.json", JSON.stringify(rule({ fact: "unitPrice", operator: `${name}:lessThan`, value: 1 }))), name).toEqual([
        expect.stringMatching(new RegExp(`^conditions\\.all\\[1\\]\\.operator: unknown operator decorator "${name}"; expected one of someFact, `)),
      ]);
      expect(await refused("dec2.json", JSON.stringify(rule({ fact: "unitPrice", operator: `not:${name}`, value: 1 }))), name).toEqual([
        expect.stringMatching(/^conditions\.all\[1\]\.operator: unknown operator "/),
      ]);
    }
  });

  it("a rule file that is one big bag of such names lists every problem and runs nothing", async () => {
    const text = JSON.stringify([
      rule({ fact: "constructor", operator: "constructor", value: { fact: "__proto__" } }),
      { ...rule({ fact: "toString", operator: "valueOf", value: 1 }), id: "hostile.two" },
    ]);
    const problems = await refused("bag.json", text);
    expect(problems).toEqual([
      expect.stringMatching(/^\[0\]\.conditions\.all\[1\]\.fact: unknown fact "constructor"/),
      expect.stringMatching(/^\[0\]\.conditions\.all\[1\]\.operator: unknown operator "constructor"/),
      '[0].conditions.all[1].value.fact: unknown fact "__proto__" for kind price-deviation',
      expect.stringMatching(/^\[1\]\.conditions\.all\[1\]\.fact: unknown fact "toString"/),
      expect.stringMatching(/^\[1\]\.conditions\.all\[1\]\.operator: unknown operator "valueOf"/),
    ]);
  });
});

describe("YAML is read as data", () => {
  const TAGGED: Array<[string, string]> = [
    ["!!js/function", `title: !!js/function "function () { globalThis.__ccExecuted = 1; process.exit(9) }"`],
    ["!!js/regexp", "title: !!js/regexp /.*/"],
    ["!!js/undefined", "title: !!js/undefined ''"],
    ["!!binary", "title: !!binary aGVsbG8="],
    ["!!set", "title: !!set { a, b }"],
    ["!!omap", "title: !!omap [ a: 1 ]"],
    ["!!timestamp", "title: !!timestamp 2025-01-01"],
    ["!custom", "title: !custom hello"],
    ["verbatim", "title: !<tag:yaml.org,2002:js/function> 'function () { globalThis.__ccExecuted = 1 }'"],
  ];
  const taggedRule = (line: string, valueTag?: string) =>
    `id: tagged\nkind: price-deviation\nseverity: high\n${line.startsWith("title") ? line : "title: t"}\nconditions:\n  all:\n    - { fact: check, operator: equal, value: ${valueTag ?? "below-floor"} }\n`;

  it("tags never run code: a tagged script loads, if at all, as inert text", async () => {
    await capturingWarnings(async () => {
      for (const [, line] of TAGGED) {
        const result = await load("tagged.yaml", taggedRule(line));
        if (result.rules) {
          for (const r of result.rules.rules) expect(typeof r.title).toBe("string");
          await scan(DEMO, { rules: result.rules });
        }
      }
      for (const tag of ["!!js/function 'function () { globalThis.__ccExecuted = 1 }'", "!!js/regexp /below/"]) {
        const result = await load("tagged-value.yaml", taggedRule("title: t", tag));
        if (result.rules) expect((await scan(DEMO, { rules: result.rules })).findings, tag).toEqual([]);
      }
    });
    expect((globalThis as Record<string, unknown>).__ccExecuted).toBeUndefined();
  });

  // BUG: YAML 1.1 tags !!binary, !!set, !!omap and !!timestamp are resolved by the yaml library into
  // Uint8Array / Set / Map / Date values and accepted into rules (titles fail the string check, but a
  // condition's `value` takes them) — rules then hold values that are not JSON data, which the
  // compiled evaluator documents as out of scope. Repro: `value: !!binary YmVsb3ctZmxvb3I=` in a leaf.
  it("what loads from YAML is plain JSON data: no byte arrays, sets, maps or dates", async () => {
    await capturingWarnings(async () => {
      for (const tag of ["!!binary YmVsb3ctZmxvb3I=", "!!set { below-floor }", "!!timestamp 2025-01-01", "!!omap [ a: 1 ]"]) {
        const result = await load("tagged-value.yaml", taggedRule("title: t", tag));
        if (result.rules) expectJsonData(result.rules.rules.map((r) => ({ ...r })), tag);
      }
    });
  });

  // BUG: YAML tags are not refused. Unknown tags (!!js/function, !!js/regexp, !!js/undefined, !custom,
  // verbatim tags) are silently dropped — the tagged text loads as a plain string — and the yaml
  // library prints a process warning ("[TAG_RESOLVE_FAILED] YAMLWarning: Unresolved tag …") to
  // stderr; YAML 1.1 tags (!!binary, !!set, !!omap, !!timestamp) build Uint8Array / Set / Map / Date
  // values, which are not JSON data. Repro: `title: !!js/function "function(){}"` in a rule file →
  // `channel-conflict validate` says "1 rule valid." (exit 0) after the warning.
  it("every YAML tag is refused with a problem naming the file and the tag, and nothing is printed", async () => {
    const { warnings } = await capturingWarnings(async () => {
      for (const [name, line] of TAGGED) {
        const problems = await refused("tagged.yaml", taggedRule(line));
        expect(problems.join("\n"), name).toMatch(/tag/i);
      }
      for (const tag of ["!!binary YmVsb3ctZmxvb3I=", "!!set { below-floor }", "!!timestamp 2025-01-01"]) {
        expect((await refused("tagged-value.yaml", taggedRule("title: t", tag))).join("\n"), tag).toMatch(/tag/i);
      }
    });
    expect(warnings).toEqual([]);
  });

  // BUG: (the same, seen from the CLI) validate accepts a !!js/function tag with exit 0, and stderr
  // carries Node's multi-line YAMLWarning instead of one clear problem line.
  it("the CLI validate refuses a tagged rule file with one clear line on stderr", () => {
    const dir = tempDir("cc-rules-");
    writeFiles(dir, { "tagged.yaml": taggedRule(TAGGED[0]?.[1] as string) });
    const result = runCli(["validate", `${dir}/tagged.yaml`]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain("YAMLWarning");
    expect(result.stderr.trimEnd().split("\n")[0]).toMatch(/tagged\.yaml:.*tag/i);
  });

  const laughs = (levels: number, width: number) => {
    const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(", ")}]`];
    for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(", ")}]`);
    return `${lines.join("\n")}\nid: bomb\nkind: price-deviation\nseverity: high\ntitle: t\nconditions:\n  all:\n    - { fact: check, operator: equal, value: *l${levels - 1} }\n`;
  };

  it("a billion-laughs alias bomb is refused quickly with a problem, never expanded", async () => {
    for (const [levels, width] of [
      [10, 10],
      [40, 2],
      [5, 60],
    ] as const) {
      const started = performance.now();
      const rssBefore = process.memoryUsage().rss;
      const problems = await refused("bomb.yaml", laughs(levels, width));
      expect(performance.now() - started, `${levels}×${width}`).toBeLessThan(2000);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 << 20);
      expect(problems, `${levels}×${width}`).toEqual([expect.stringMatching(/^\(file\): not valid YAML: .*(?:alias|resource exhaustion)/i)]);
    }
  });

  it("the CLI validate refuses the bomb too, quickly, with exit 2", () => {
    const dir = tempDir("cc-rules-");
    writeFiles(dir, { "bomb.yaml": laughs(12, 10) });
    const started = performance.now();
    const result = runCli(["validate", dir]);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bomb\.yaml:\(file\): not valid YAML: .*resource exhaustion/);
  });

  it("a few aliases used as plain reuse are fine (they are shared, not expanded)", async () => {
    const yaml = `- id: a\n  kind: price-deviation\n  severity: high\n  title: t\n  conditions: &c\n    all:\n      - { fact: check, operator: equal, value: below-floor }\n      - { fact: belowFloor, operator: equal, value: true }\n      - { fact: promotionAllowed, operator: equal, value: false }\n${["b", "c", "d"].map((id) => `- id: ${id}\n  kind: price-deviation\n  severity: high\n  title: t\n  conditions: *c\n`).join("")}`;
    const { rules, problems } = await load("reuse.yaml", yaml);
    expect(problems).toBeUndefined();
    expect((await scan(DEMO, { rules: rules as RuleSet })).findings).toHaveLength(12);
  });

  it("YAML merge keys (<<) are not a way around validation: they are unknown keys", async () => {
    const problems = await refused(
      "merge.yaml",
      "base: &b { kind: price-deviation, severity: high }\nid: m\n<<: *b\ntitle: t\nconditions:\n  all:\n    - { fact: check, operator: equal, value: below-floor }\n",
    );
    expect(problems.some((p) => /^base: unknown key/.test(p))).toBe(true);
  });
});

describe("nothing from the environment reaches the output", () => {
  const SECRET = "sk_live_7f3a9c1e-secret-do-not-print";
  const env = { CC_SECRET_TOKEN: SECRET, SECRET_TOKEN: SECRET, API_KEY: SECRET, HOME_SECRET: SECRET };
  const PLACEHOLDERS = "${CC_SECRET_TOKEN} $CC_SECRET_TOKEN %CC_SECRET_TOKEN% {{CC_SECRET_TOKEN}} {{env.CC_SECRET_TOKEN}} process.env.CC_SECRET_TOKEN #{ENV['API_KEY']}";

  it("scan, validate and test, in every format and on errors, never print an environment variable", async () => {
    const dir = tempDir("cc-env-");
    const rules = [
      {
        id: "env.below-floor",
        kind: "price-deviation",
        severity: "high",
        title: `Below floor ${PLACEHOLDERS}`,
        description: PLACEHOLDERS,
        remediation: `Call ${PLACEHOLDERS}`,
        tags: [PLACEHOLDERS],
        conditions: {
          all: [
            { fact: "check", operator: "equal", value: "below-floor" },
            { fact: "belowFloor", operator: "equal", value: true },
            { fact: "promotionAllowed", operator: "equal", value: false },
          ],
        },
        tests: [{ name: `case ${PLACEHOLDERS}`, expectFindings: 1, dataset: "$CC_SECRET_TOKEN/${CC_SECRET_TOKEN}" }],
      },
    ];
    writeFiles(dir, {
      "rules/env.json": JSON.stringify(rules),
      "broken/env.yaml": `id: "\${CC_SECRET_TOKEN}"\nkind: $CC_SECRET_TOKEN\nseverity: "{{CC_SECRET_TOKEN}}"\ntitle: t\nconditions:\n  all:\n    - { fact: "\${CC_SECRET_TOKEN}", operator: "%CC_SECRET_TOKEN%", value: 1, path: "$.env.CC_SECRET_TOKEN" }\n`,
      "data/partners.json": JSON.stringify([
        { id: "R1", name: `Reseller ${PLACEHOLDERS}`, channel: "reseller" },
      ]),
      "data/pricePolicies.json": JSON.stringify([{ id: "PP1", sku: "S1", floorPrice: 100, currency: "USD" }]),
      "data/events.ndjson": `${JSON.stringify({ id: "e1", type: "sale", occurredAt: "2025-03-01", partnerId: "R1", sku: "S1", quantity: 2, unitPrice: 90, currency: "USD" })}\n${JSON.stringify({ id: "e2", type: "sale", occurredAt: "2025-03-02", partnerId: "${CC_SECRET_TOKEN}", sku: "S1", quantity: 2, unitPrice: 90, currency: "USD", lot: "$CC_SECRET_TOKEN" })}\n`,
    });
    const runs = [
      ...["json", "table", "markdown", "junit"].map((format) => ["scan", `${dir}/data`, "--rules", `${dir}/rules`, "--format", format]),
      ["scan", `${dir}/data`, "--rules", `${dir}/broken`],
      ["scan", "$CC_SECRET_TOKEN", "--format", "json"],
      ["scan", `${dir}/data`, "--format", "${CC_SECRET_TOKEN}"],
      ["validate", `${dir}/broken`],
      ["validate", `${dir}/rules`],
      ["test", `${dir}/rules`],
      ["${CC_SECRET_TOKEN}"],
    ];
    let sawPlaceholder = 0;
    let jsonOut = "";
    for (let i = 0; i < runs.length; i += 2) {
      const pair = runs.slice(i, i + 2);
      const results = await Promise.all(pair.map((args) => runCliAsync(args, { env })));
      results.forEach((result, j) => {
        const label = (pair[j] as string[]).join(" ");
        const stdout = result.stdout.toString("utf8");
        expect(stdout, label).not.toContain(SECRET);
        expect(result.stderr, label).not.toContain(SECRET);
        expect([0, 1, 2], label).toContain(result.code);
        if ((stdout + result.stderr).includes("CC_SECRET_TOKEN")) sawPlaceholder++;
        if (j === 0 && i === 0) jsonOut = stdout;
      });
    }
    // The placeholders were printed as the literal text they are, not expanded.
    expect(sawPlaceholder).toBeGreaterThanOrEqual(8);
    const report = JSON.parse(jsonOut) as { findings: Array<{ title: string; remediation: string; message: string }>; rejected: Array<{ reason: string }> };
    expect(report.findings.map((f) => [f.title, f.remediation])).toEqual([[`Below floor ${PLACEHOLDERS}`, `Call ${PLACEHOLDERS}`]]);
    expect(report.findings[0]?.message).toContain(PLACEHOLDERS);
    expect(report.rejected[0]?.reason).toContain("${CC_SECRET_TOKEN}");
  });

  it("the library does not read the environment either: scanning with a changed environment gives the same bytes", async () => {
    const before = JSON.stringify(await scan(DEMO));
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { TZ: "Pacific/Kiritimati", LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8", NODE_ENV: "production", CC_SECRET_TOKEN: SECRET });
      expect(JSON.stringify(await scan(DEMO))).toBe(before);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});

describe("strings are data: control characters in the input do not reach a terminal", () => {
  // BUG: text from the dataset is printed raw. A partner name (or an unknown partner id in a rejection
  // reason on stderr) holding terminal escapes — ESC[2J clears the screen, ESC]0;…BEL retitles the
  // window — reaches the terminal unchanged in `--format table` and in `--events -` rejection lines.
  // Repro: a partner name "Bright\u001b[2J" in fixtures/demo/partners.json, then
  // `channel-conflict scan fixtures/demo` prints the ESC byte (JSON output escapes it; table does not).
  it("table output and stderr carry no C0 control characters from the data", () => {
    const dir = tempDir("cc-esc-");
    const evil = "Bright\u001b[2J\u001b]0;pwned\u0007\u0008\u0000";
    writeFiles(dir, {
      "partners.json": JSON.stringify([{ id: "R1", name: evil, channel: "reseller" }]),
      "pricePolicies.json": JSON.stringify([{ id: "PP1", sku: "S1", floorPrice: 100, currency: "USD" }]),
      "events.ndjson": `${JSON.stringify({ id: "e1", type: "sale", occurredAt: "2025-03-01", partnerId: "R1", sku: "S1", quantity: 2, unitPrice: 90, currency: "USD" })}\n`,
    });
    const table = runCli(["scan", dir, "--format", "table"]);
    expect(table.stdout).toContain("Bright");
    expect(table.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    const stream = runCli(["scan", dir, "--events", "-", "--format", "ndjson"], {
      input: `${JSON.stringify({ id: "e9", type: "sale", occurredAt: "2025-03-01", partnerId: evil, sku: "S1", quantity: 1, unitPrice: 1, currency: "USD" })}\n`,
    });
    expect(stream.stderr).toContain("unknown partner");
    expect(stream.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});

