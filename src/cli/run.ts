import { LANGS, type Lang } from "../messages/types.js";
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { type Rejection } from "../core/records.js";
import { formatRejection } from "../messages/rejections/renderRejection.js";
import type { ScanWarning } from "../core/warnings.js";
import { ChannelConflictError, DatasetError, formatRuleProblem, RuleSetError } from "../core/errors.js";
import { applyBaseline } from "../findings/applyBaseline.js";
import { applySuppressions } from "../findings/applySuppressions.js";
import { rankFindings } from "../findings/rankFindings.js";
import { compareSeverity, SEVERITIES, type Severity } from "../core/types.js";
import type { Finding } from "../findings/types.js";
import { readBaseline, readSuppressions } from "../io/readBaseline.js";
import { listDataset } from "../io/sources.js";
import { readNdjsonStreamBatches } from "../io/readRecords.js";
import { readRuleSources } from "../io/readRuleFiles.js";
import { packageVersion } from "../io/packageRoot.js";
import { formatJson } from "../report/formatJson.js";
import { formatJunit } from "../report/formatJunit.js";
import { formatMarkdown } from "../report/formatMarkdown.js";
import { formatCsv } from "../report/formatCsv.js";
import { formatHtml } from "../report/formatHtml.js";
import { formatNdjson, formatNdjsonLine } from "../report/formatNdjson.js";
import { formatSarif, sarifRecordsWanted } from "../report/formatSarif.js";
import { locateRecords } from "../report/locateRecords.js";
import { formatTable } from "../report/formatTable.js";
import { reportLabels } from "../report/labels.js";
import { printable } from "../report/printable.js";
import { loadRules, noRuleFilesProblem } from "../rules/loadRules.js";
import type { RuleSet } from "../rules/types.js";
import { validateRuleDocuments } from "../rules/validateRules.js";
import type { ScanReport } from "../findings/report.js";
import type { ScanProgress } from "../scan/options.js";
import { scan, summarize } from "../scan/scan.js";
import { openStreamScanner, type StreamScanner, type StreamScannerInternals, type StreamUpdate } from "../scan/createStreamScanner.js";
import { EventReaderThread, eventWorkerPath } from "../dataset/readEventsInWorker.js";
import { runRuleTests } from "../testing/runRuleTests.js";
import { explain, type ExplainTarget } from "../explain/explain.js";
import { formatExplanation } from "../explain/formatExplanation.js";
import { scanOnQueue, startQueueWorker } from "../queue/queue.js";

/** Where the CLI reads and writes: the process's streams, or test doubles. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: AsyncIterable<Buffer | string>;
}

const FORMATS = ["table", "json", "ndjson", "markdown", "junit", "sarif", "html", "csv"] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `Usage:
  channel-conflict scan <dataset> [--rules <file|dir>]... [--format table|json|ndjson|markdown|junit|sarif|html|csv]
                        [--fail-on low|medium|high|critical] [--baseline <report.json>] [--suppressions <file>] [--out <file>]
                        [--max-rejected <count|percent%>] [--time-zone <IANA zone>] [--max-memory <MB>] [--lang en|zh-CN]
  channel-conflict scan <dataset> --events -     events as NDJSON on stdin, reference data from <dataset>
                        [--allowed-lateness <duration>]   e.g. 2h: events up to that late are put back in order
  channel-conflict scan <dataset> --queue redis://host:port [--shards N]
                                                 run the scan on queue workers, print the merged report
  channel-conflict worker --queue redis://host:port [--concurrency N] [--lock-duration <ms>]
                                                 scan shards from the queue until SIGINT or SIGTERM
  channel-conflict explain <dataset> --finding <id> | --event <id> [--rule <id>] [--format text|json]
                        [--rules <file|dir>]... [--time-zone <IANA zone>] [--lang en|zh-CN]
                                                 why a finding's rule fired, or what every rule made of an event
  channel-conflict validate <rules>...            check rule files, print every problem
  channel-conflict test <rules>...                run each rule's own test cases
  channel-conflict --help | --version

Exit status: 0 done and nothing at or above --fail-on; 1 findings at or above --fail-on
(or a failing rule test); 2 the run could not be done as asked (bad arguments, unreadable dataset,
invalid rules, no events, a collection whose every record was rejected, more rejected records than
--max-rejected, no rule enabled). Warnings (files and columns not read) go to stderr.

--time-zone Asia/Shanghai reads bare dates and times without an offset as local times there, and shows
dates in it (default: the dataset's channel-conflict.yaml timeZone, else UTC).

--max-memory 64 is the memory, in MB, an event file that is not in time order may hold while it is sorted
(default 64); beyond it, sorted runs go to a temporary folder (TMPDIR), removed when the scan ends.

--lang zh-CN writes titles, messages and remediation in simplified Chinese (default en); ids, codes,
order and JSON keys are the same in every language.
`;

class UsageError extends Error {}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Respect back-pressure: wait for drain before writing more.
    const ok = stream.write(text, (error) => (error ? reject(error) : undefined));
    if (ok) resolve();
    else stream.once("drain", resolve);
  });
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name}: unknown value "${value}"; expected one of ${allowed.join(", ")}`);
  }
  return value as T;
}

async function scanCommand(positionals: string[], values: Record<string, unknown>, io: CliIo): Promise<number> {
  const dataset = positionals[0];
  if (dataset === undefined || positionals.length > 1) throw new UsageError("scan: expected exactly one <dataset> folder");
  const format = oneOf<Format>("format", values.format as string | undefined, FORMATS) ?? "table";
  const failOn = oneOf<Severity>("fail-on", values["fail-on"] as string | undefined, SEVERITIES);
  const maxRejected = maxRejectedOf(values["max-rejected"] as string | undefined);
  const timeZone = values["time-zone"] as string | undefined;
  const lang = oneOf<Lang>("lang", values.lang as string | undefined, LANGS);
  // The time zone and the language: both change only how texts meant for people read.
  const zoneOption = { ...(timeZone !== undefined ? { timeZone } : {}), ...(lang !== undefined ? { lang } : {}) };
  const maxMemory = values["max-memory"] as string | undefined;
  if (maxMemory !== undefined && !/^\d+$/.test(maxMemory)) throw new UsageError(`--max-memory: expected megabytes (e.g. 256), got "${maxMemory}"`);
  const rulePaths = (values.rules as string[] | undefined) ?? [];
  const rules: RuleSet = rulePaths.length > 0 ? await loadRules(rulePaths) : await loadRules();
  const baselinePath = values.baseline as string | undefined;
  const baseline = baselinePath !== undefined ? await readBaseline(baselinePath) : undefined;
  const suppressionsPath = values.suppressions as string | undefined;
  const suppressions = suppressionsPath !== undefined ? await readSuppressions(suppressionsPath) : undefined;
  const afterScan = (scanned: ScanReport): ScanReport => {
    let out = scanned;
    if (suppressions) out = applySuppressions(out, suppressions, { source: suppressionsPath ?? "suppressions" });
    if (baseline) out = applyBaseline(out, baseline);
    return out;
  };
  const out = values.out as string | undefined;
  const events = values.events as string | undefined;
  if (events !== undefined && events !== "-") throw new UsageError(`--events: expected "-" (NDJSON on stdin), got "${events}"`);
  const allowedLateness = values["allowed-lateness"] as string | undefined;
  if (allowedLateness !== undefined && events !== "-") throw new UsageError("--allowed-lateness: only with --events - (a stream)");
  const queue = values.queue as string | undefined;
  if (queue !== undefined && events !== undefined) throw new UsageError("--queue and --events - cannot be used together: a stream is scanned in one process");
  if (values.shards !== undefined && queue === undefined) throw new UsageError("--shards: needs --queue");

  // A table on the terminal shows the warnings itself; anywhere else they also go to stderr, where CI logs keep them.
  const tableOnTerminal = format === "table" && out === undefined && io.stdout.isTTY === true;
  let report: ScanReport;
  if (events === "-") {
    // Streaming: with ndjson each update goes out as it happens (a finding as it opens, changes, closes);
    // other formats report the last update of each finding.
    const streamed = new Map<string, Finding>();
    const rejected: Rejection[] = [];
    const direct = format === "ndjson" && out === undefined && baseline === undefined && suppressions === undefined;
    const scanner = await openStreamScanner({
      reference: dataset,
      rules,
      sourceName: "stdin",
      ...(allowedLateness !== undefined ? { allowedLateness } : {}),
      ...(maxRejected !== undefined ? { maxRejected } : {}),
      ...zoneOption,
      onRejected: (r) => {
        io.stderr.write(printable(formatRejection(r, lang)) + "\n");
        if (!direct) rejected.push(r);
      },
    });
    // Writing each finding as it comes keeps memory bounded: only whether one reached --fail-on is kept.
    let reachedFailOn = false;
    const take = async (updates: readonly StreamUpdate[]) => {
      for (const { finding } of updates) {
        if (failOn !== undefined && compareSeverity(finding.severity, failOn) >= 0) reachedFailOn = true;
        if (direct) await write(io.stdout, formatNdjsonLine(finding));
        else streamed.set(finding.id, finding);
      }
    };
    for await (const updates of streamUpdates(scanner, io.stdin)) await take(updates);
    await take(await scanner.finish());
    const summary = scanner.summary();
    if (direct) {
      warn(summary.warnings, io, lang);
      return reachedFailOn ? 1 : 0;
    }
    const ranked = rankFindings([...streamed.values()]);
    report = afterScan({ findings: ranked, summary: { ...summary, ...summarize(ranked, summary) }, rejected });
    if (!tableOnTerminal) warn(report.summary.warnings, io, lang);
    await emit(report, format, failOn, rules, dataset, out, io, zoneOption, true);
  } else {
    const common = {
      rules,
      ...(maxRejected !== undefined ? { maxRejected } : {}),
      ...zoneOption,
      ...(maxMemory !== undefined ? { maxMemoryMB: Number(maxMemory) } : {}),
    };
    report =
      queue !== undefined
        ? await scanOnQueue(dataset, { ...common, queue, shards: positiveOf("shards", values.shards as string | undefined) ?? 4 })
        : await scan(dataset, { ...common, ...(io.stderr.isTTY ? { onProgress: progressLine(io.stderr, lang) } : {}) });
    report = afterScan(report);
    if (!tableOnTerminal) warn(report.summary.warnings, io, lang);
    await emit(report, format, failOn, rules, dataset, out, io, zoneOption);
  }
  if (failOn !== undefined && report.findings.some((f) => compareSeverity(f.severity, failOn) >= 0)) return 1;
  return 0;
}

/**
 * The updates of a stream of NDJSON `chunks` (stdin) pushed through `scanner`, a batch at a time: read,
 * parsed and checked against the schema in the reader thread with the byte scanner, as the batch scan
 * reads files (in the main thread, line by line, when the worker's script is not there).
 */
async function* streamUpdates(scanner: StreamScanner & StreamScannerInternals, chunks: AsyncIterable<Buffer | string>): AsyncGenerator<readonly StreamUpdate[]> {
  const path = eventWorkerPath();
  const { maxRecordBytes, maxJsonFileBytes, timeZone } = scanner.readSettings;
  if (path === undefined) {
    for await (const batch of readNdjsonStreamBatches(chunks, "stdin", { maxRecordBytes, maxJsonFileBytes })) yield await scanner.pushRecords(batch);
    return;
  }
  const reader = new EventReaderThread(path, [], { maxRecordBytes, maxJsonFileBytes }, timeZone, undefined, { name: "stdin", chunks });
  for await (const batch of reader.validated()) yield await scanner.pushValidated(batch);
}

/** A whole number of 1 or more given to `--<name>`. */
function positiveOf(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`--${name}: expected a whole number of 1 or more, got "${value}"`);
  return Number(value);
}

/** `channel-conflict worker`: scans shards from the queue until SIGINT or SIGTERM, then finishes what it holds. */
async function workerCommand(positionals: string[], values: Record<string, unknown>, io: CliIo): Promise<number> {
  if (positionals.length > 0) throw new UsageError("worker: takes no <dataset>; the jobs name theirs");
  const queue = values.queue as string | undefined;
  if (queue === undefined) throw new UsageError("worker: expected --queue redis://host:port");
  const concurrency = positiveOf("concurrency", values.concurrency as string | undefined) ?? 1;
  const lockDurationMs = positiveOf("lock-duration", values["lock-duration"] as string | undefined);
  const worker = await startQueueWorker({ queue, concurrency, ...(lockDurationMs !== undefined ? { lockDurationMs } : {}) });
  io.stderr.write(`channel-conflict worker: scanning shards from ${printable(queue)} (concurrency ${concurrency})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await worker.close();
  io.stderr.write("channel-conflict worker: stopped\n");
  return 0;
}

/** `--max-rejected`: a count (`10`) or a share of the records read (`5%`). */
function maxRejectedOf(value: string | undefined): number | `${number}%` | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^\d+(\.\d+)?%$/.test(value) && Number.parseFloat(value) <= 100) return value as `${number}%`;
  throw new UsageError(`--max-rejected: expected a count (e.g. 10) or a percentage from 0% to 100% (e.g. 5%), got "${value}"`);
}

/** Each warning on its own stderr line: data that is not read must never go unsaid. */
function warn(warnings: readonly ScanWarning[], io: CliIo, lang: Lang = "en"): void {
  const { colon, stderrWarning } = reportLabels(lang);
  for (const warning of warnings) io.stderr.write(`channel-conflict${colon}${stderrWarning}${printable(warning.message)}\n`);
}

/** Draws progress on one terminal line: records read, rate, findings so far; clears it when done. */
function progressLine(stderr: NodeJS.WritableStream, lang: Lang = "en"): (p: ScanProgress) => void {
  const labels = reportLabels(lang);
  const started = performance.now();
  return (p) => {
    if (p.phase === "done") {
      stderr.write("\r\u001b[K");
      return;
    }
    const seconds = (performance.now() - started) / 1000;
    const count = p.phase === "reading" ? p.read : p.scanned;
    const rate = seconds > 0 ? Math.round(count / seconds) : 0;
    stderr.write(`\r\u001b[K${labels.progress(p.phase, count.toLocaleString("en-US"), rate.toLocaleString("en-US"), p.findings)}`);
  };
}

async function emit(
  report: ScanReport,
  format: Format,
  failOn: Severity | undefined,
  rules: RuleSet,
  dataset: string,
  out: string | undefined,
  io: CliIo,
  view: { readonly lang?: Lang; readonly timeZone?: string },
  eventsFromStdin = false,
): Promise<void> {
  const lang = view.lang ?? "en";
  const context = { rules: rules.rules, dataset, version: packageVersion(), ...(failOn ? { failOn } : {}), lang };
  // SARIF locates each result at its evidence: the dataset's files are read once more to find their lines.
  const sarifContext = async () => ({
    ...context,
    eventsFromStdin,
    locations: await locateRecords(dataset, sarifRecordsWanted(report.findings, { eventsFromStdin }), { rejected: report.rejected }),
  });
  const toTerminal = out === undefined && io.stdout.isTTY === true;
  const text =
    format === "json"
      ? formatJson(report)
      : format === "ndjson"
        ? formatNdjson(report.findings)
        : format === "markdown"
          ? formatMarkdown(report, { lang })
          : format === "junit"
            ? formatJunit(report, context)
            : format === "sarif"
              ? formatSarif(report, await sarifContext())
              : format === "html"
                ? await formatHtml(report, { ...context, ...view, timeZone: view.timeZone ?? (await datasetTimeZone(dataset)) })
                : format === "csv"
                ? formatCsv(report)
                : formatTable(report, { color: toTerminal, truncate: toTerminal, width: toTerminal ? (io.stdout.columns ?? 120) : 120, lang });
  if (out !== undefined) await writeFile(out, text);
  else await write(io.stdout, text);
}

/** The time zone the scan read the dataset in when `--time-zone` is not given: its manifest's, else UTC. */
async function datasetTimeZone(dataset: string): Promise<string> {
  return (await listDataset(dataset)).manifest?.timeZone ?? "UTC";
}

async function explainCommand(positionals: string[], values: Record<string, unknown>, io: CliIo): Promise<number> {
  const dataset = positionals[0];
  if (dataset === undefined || positionals.length > 1) throw new UsageError("explain: expected exactly one <dataset> folder");
  const format = oneOf("format", values.format as string | undefined, ["text", "json"] as const) ?? "text";
  const finding = values.finding as string | undefined;
  const event = values.event as string | undefined;
  if ((finding === undefined) === (event === undefined)) throw new UsageError("explain: expected either --finding <id> or --event <id>");
  const rule = values.rule as string | undefined;
  const ruleOption = rule !== undefined ? { rule } : {};
  const target: ExplainTarget = finding !== undefined ? { finding, ...ruleOption } : { event: event as string, ...ruleOption };
  const rulePaths = (values.rules as string[] | undefined) ?? [];
  const rules = rulePaths.length > 0 ? await loadRules(rulePaths) : await loadRules();
  const timeZone = values["time-zone"] as string | undefined;
  const lang = oneOf<Lang>("lang", values.lang as string | undefined, LANGS);
  const explanation = await explain(dataset, target, { rules, ...(timeZone !== undefined ? { timeZone } : {}), ...(lang !== undefined ? { lang } : {}) });
  const text = format === "json" ? `${JSON.stringify(explanation, null, 2)}\n` : printable(formatExplanation(explanation, lang !== undefined ? { lang } : {}));
  const out = values.out as string | undefined;
  if (out !== undefined) await writeFile(out, text);
  else await write(io.stdout, text);
  return 0;
}

async function validateCommand(positionals: string[], io: CliIo): Promise<number> {
  if (positionals.length === 0) throw new UsageError("validate: expected at least one rule file or folder");
  const read = await readRuleSources(positionals);
  // A file `{ extends: shipped, rules: [...] }` is validated on top of the shipped rules (read along with it).
  const validated = validateRuleDocuments(read.documents, read);
  const { rules } = validated;
  // A folder holding no rule file validates nothing: that is a problem, not "0 rules valid".
  const problems = [...read.empty.map(noRuleFilesProblem), ...validated.problems];
  for (const p of problems) io.stderr.write(printable(formatRuleProblem(p)) + "\n");
  if (problems.length > 0) {
    io.stderr.write(`${reportLabels("en").ruleProblems(problems.length)}\n`);
    return 2;
  }
  await write(io.stdout, `${rules.length} rule${rules.length === 1 ? "" : "s"} valid.\n`);
  return 0;
}

async function testCommand(positionals: string[], io: CliIo): Promise<number> {
  if (positionals.length === 0) throw new UsageError("test: expected at least one rule file or folder");
  const rules = await loadRules(positionals);
  const results = await runRuleTests(rules.rules);
  let failed = 0;
  for (const r of results) {
    if (!r.passed) failed++;
    await write(io.stdout, `${r.passed ? "PASS" : "FAIL"} ${r.ruleId} › ${printable(r.name)}${r.passed ? "" : ` — ${printable(r.detail)}`}\n`);
  }
  await write(io.stdout, `${results.length - failed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

/** The `--lang` of the arguments when it is a known language (for the lines written after an error), else English. */
function langOf(argv: readonly string[]): Lang {
  const at = argv.findIndex((arg) => arg === "--lang" || arg.startsWith("--lang="));
  const value = at < 0 ? undefined : argv[at]?.includes("=") ? argv[at]?.slice("--lang=".length) : argv[at + 1];
  return (LANGS as readonly string[]).includes(value ?? "") ? (value as Lang) : "en";
}

/** Runs the command line; returns the exit status (CONTRACT §5). Never calls process.exit. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        rules: { type: "string", multiple: true },
        format: { type: "string", short: "f" },
        "fail-on": { type: "string" },
        baseline: { type: "string" },
        suppressions: { type: "string" },
        out: { type: "string", short: "o" },
        events: { type: "string" },
        "allowed-lateness": { type: "string" },
        "max-rejected": { type: "string" },
        "time-zone": { type: "string" },
        finding: { type: "string" },
        event: { type: "string" },
        rule: { type: "string" },
        queue: { type: "string" },
        shards: { type: "string" },
        concurrency: { type: "string" },
        "lock-duration": { type: "string" },
        "max-memory": { type: "string" },
        lang: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
    if (values.version) {
      await write(io.stdout, `${packageVersion()}\n`);
      return 0;
    }
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === "help") {
      await write(values.help || command === "help" ? io.stdout : io.stderr, USAGE);
      return values.help || command === "help" ? 0 : 2;
    }
    switch (command) {
      case "scan":
        return await scanCommand(rest, values, io);
      case "explain":
        return await explainCommand(rest, values, io);
      case "worker":
        return await workerCommand(rest, values, io);
      case "validate":
        return await validateCommand(rest, io);
      case "test":
        return await testCommand(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"; expected scan, explain, worker, validate or test`);
    }
  } catch (error) {
    if (error instanceof RuleSetError && error.code === "NO_ENABLED_RULE") {
      // Nothing would run: one line naming the rules, not a list of problems.
      io.stderr.write(`channel-conflict: ${printable(error.message.split("\n").join("; "))}\n`);
    } else if (error instanceof RuleSetError) {
      for (const p of error.problems) io.stderr.write(printable(formatRuleProblem(p)) + "\n");
      io.stderr.write(`${reportLabels(langOf(argv)).ruleProblems(error.problems.length)}\n`);
    } else if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr.write(`channel-conflict: ${printable((error as Error).message)}\nRun channel-conflict --help for usage.\n`);
    } else if (error instanceof ChannelConflictError) {
      // The warnings first: a file that was not read is often why the run failed.
      if (error instanceof DatasetError) warn(error.warnings, io, langOf(argv));
      io.stderr.write(`channel-conflict: ${printable(error.message)}\n`);
    } else {
      io.stderr.write(`channel-conflict: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    }
    return 2;
  }
}
