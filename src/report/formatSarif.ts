import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Severity } from "../core/types.js";
import type { Lang } from "../messages/types.js";
import type { Rule } from "../rules/types.js";
import type { Finding } from "../findings/types.js";
import type { ScanReport } from "../findings/report.js";
import type { RenderContext } from "./context.js";
import { formatRejection } from "../messages/rejections/renderRejection.js";
import { recordKey, type RecordLocation, type WantedRecords } from "./locateRecords.js";
import { reportLabels, type ReportLabels } from "./labels.js";
import { ruleText } from "../rules/ruleText.js";

const LEVEL: Readonly<Record<Severity, "note" | "warning" | "error">> = {
  low: "note",
  medium: "warning",
  high: "error",
  critical: "error",
};

/**
 * GitHub code scanning's `security-severity` of each severity (a score from 0 to 10 as a string: above 9.0
 * critical, 7.0–8.9 high, 4.0–6.9 medium, below 4.0 low); it reads it only on rules tagged `security`.
 */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  low: "3.0",
  medium: "5.5",
  high: "8.0",
  critical: "9.5",
};

/** CodeQL's `problem.severity` of each severity. */
const PROBLEM_SEVERITY: Readonly<Record<Severity, "recommendation" | "warning" | "error">> = {
  low: "recommendation",
  medium: "warning",
  high: "error",
  critical: "error",
};

/** How many rejected records become notifications; the JSON report lists them all. */
const MAX_REJECTION_NOTIFICATIONS = 1000;

/** How many evidence events besides the first each result lists as related locations. */
const MAX_RELATED_EVENTS = 10;

/** The base of the artifact URIs relative to the working directory. */
const SRCROOT = "%SRCROOT%";

/**
 * The records `formatSarif` locates its results at: each finding's evidence events (the first, and up to
 * `MAX_RELATED_EVENTS` more as related locations) and its refs; no events when they came from stdin, where
 * they have no file. Give them to `locateRecords` and its answer to the context's `locations`.
 */
export function sarifRecordsWanted(findings: readonly Finding[], options: { readonly eventsFromStdin?: boolean } = {}): WantedRecords {
  const events = new Set<string>();
  const refs = new Map<string, { type: string; id: string }>();
  for (const finding of findings) {
    if (!options.eventsFromStdin) for (const id of finding.eventIds.slice(0, 1 + MAX_RELATED_EVENTS)) events.add(id);
    for (const ref of finding.refs) refs.set(recordKey(ref.type, ref.id), ref);
  }
  return { events, refs: [...refs.values()] };
}

/** Percent-encodes a relative path's segments (spaces, `#`, `%`, non-ASCII…) into a relative URI reference. */
function relativeUri(path: string): string {
  return path
    .split(/[\\/]/)
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

/** Builds SARIF artifact locations: relative to `%SRCROOT%` (the working directory) when inside it, else absolute `file:` URIs. */
class Artifacts {
  readonly root: string;
  readonly dataset: string;

  constructor(context: RenderContext) {
    this.root = resolve(context.workingDirectory ?? process.cwd());
    this.dataset = resolve(this.root, context.dataset);
  }

  /** The `originalUriBaseIds` of the run: `%SRCROOT%` as the working directory's `file:` URI, ending in `/`. */
  baseIds(): object {
    const href = pathToFileURL(this.root).href;
    return { [SRCROOT]: { uri: href.endsWith("/") ? href : `${href}/` } };
  }

  /** The artifact location of a file (or folder) named relative to the dataset folder, as rejections and warnings name them. */
  of(file: string): { uri: string; uriBaseId?: string } {
    const path = resolve(this.dataset, ...file.replace(/\/+$/, "").split("/"));
    const rel = relative(this.root, path);
    if (rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) return { uri: relativeUri(rel), uriBaseId: SRCROOT };
    return { uri: pathToFileURL(path).href };
  }

  /** A physical location: the file, and the line as `region.startLine` when known. */
  physical(location: { readonly file: string; readonly line?: number | undefined }): object {
    return {
      artifactLocation: this.of(location.file),
      ...(location.line !== undefined ? { region: { startLine: location.line } } : {}),
    };
  }
}

/**
 * The records that were not used and the warnings, as SARIF tool execution notifications: they are
 * not findings, but a dashboard that shows only results would otherwise hide that data was not read.
 * A rejected line of stdin (`--events -`) has no artifact: its message names it.
 */
function notificationsOf(report: ScanReport, artifacts: Artifacts, eventsFromStdin: boolean, lang: Lang): object[] {
  const notifications: object[] = [];
  for (const rejection of report.rejected.slice(0, MAX_REJECTION_NOTIFICATIONS)) {
    const fromStdin = eventsFromStdin && rejection.file === "stdin";
    notifications.push({
      descriptor: { id: "rejected_record" },
      level: "warning",
      message: { text: formatRejection(rejection, lang) },
      ...(fromStdin ? {} : { locations: [{ physicalLocation: artifacts.physical(rejection) }] }),
      ...(rejection.index !== undefined || fromStdin
        ? { properties: { ...(fromStdin && rejection.line !== undefined ? { line: rejection.line } : {}), ...(rejection.index !== undefined ? { index: rejection.index } : {}) } }
        : {}),
    });
  }
  const rest = report.rejected.length - MAX_REJECTION_NOTIFICATIONS;
  if (rest > 0) {
    notifications.push({
      descriptor: { id: "rejected_record" },
      level: "note",
      message: { text: reportLabels(lang).moreRejections(rest) },
    });
  }
  for (const warning of report.summary.warnings) {
    notifications.push({
      descriptor: { id: warning.code },
      level: "warning",
      message: { text: warning.message },
      ...(warning.file !== undefined ? { locations: [{ physicalLocation: { artifactLocation: artifacts.of(warning.file) } }] } : {}),
    });
  }
  return notifications;
}

/** A finding's records with a location: its evidence events first (in the finding's order), then its refs. */
function locatedRecords(finding: Finding, context: RenderContext): Array<{ label: string; location: RecordLocation }> {
  const out: Array<{ label: string; location: RecordLocation }> = [];
  const labels: ReportLabels = reportLabels(context.lang);
  const named = (type: string, id: string) => `${labels.recordType[type] ?? type} ${id}`;
  const locations = context.locations;
  if (!locations) return out;
  if (!context.eventsFromStdin) {
    for (const id of finding.eventIds.slice(0, 1 + MAX_RELATED_EVENTS)) {
      const location = locations.get(recordKey("event", id));
      if (location) out.push({ label: named("event", id), location });
    }
  }
  for (const ref of finding.refs) {
    const location = locations.get(recordKey(ref.type, ref.id));
    if (location) out.push({ label: named(ref.type, ref.id), location });
  }
  return out;
}

/**
 * The result of a finding: located at the file and line of its first evidence event, or for a finding of
 * reference data alone (no events) of its first ref that has a record; its other located records as
 * `relatedLocations`. A finding whose first event has no file (stdin) has no physical location.
 */
function resultOf(finding: Finding, context: RenderContext, artifacts: Artifacts, ruleIndex: ReadonlyMap<string, number>): object {
  const records = locatedRecords(finding, context);
  const firstEvent = finding.eventIds[0];
  // With evidence events the result is where the first of them is, or nowhere: never at a mere reference.
  const primary =
    firstEvent !== undefined
      ? records.find((r) => r.label === `${reportLabels(context.lang).recordType.event} ${firstEvent}`)
      : records[0];
  const related = records.filter((r) => r !== primary);
  const logicalLocations = finding.partners.map((partner, i) => ({ name: partner, kind: i === 0 ? "offender" : "affected" }));
  const location = {
    ...(primary ? { physicalLocation: artifacts.physical(primary.location) } : {}),
    ...(logicalLocations.length > 0 ? { logicalLocations } : {}),
  };
  return {
    ruleId: finding.ruleId,
    ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId) } : {}),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: Object.keys(location).length > 0 ? [location] : [],
    ...(related.length > 0
      ? {
          relatedLocations: related.map((r, i) => ({
            id: i + 1,
            physicalLocation: artifacts.physical(r.location),
            message: { text: r.label },
          })),
        }
      : {}),
    partialFingerprints: { "channelConflictFindingId/v1": finding.id },
    properties: {
      findingId: finding.id,
      rank: finding.rank,
      score: finding.score,
      severity: finding.severity,
      kind: finding.kind,
      partners: finding.partners,
      eventIds: finding.eventIds,
      refs: finding.refs,
      count: finding.count,
      firstSeen: finding.firstSeen,
      lastSeen: finding.lastSeen,
      ...(primary?.location.index !== undefined ? { index: primary.location.index } : {}),
    },
  };
}

/**
 * SARIF 2.1.0 for code-scanning dashboards: the rules as `tool.driver.rules` (with GitHub's
 * `security-severity`), the findings as `results`, each located at the file and line of its first evidence
 * record (`context.locations`, from `locateRecords`) by a URI relative to `%SRCROOT%` — the working
 * directory, given in `originalUriBaseIds` — or an absolute `file:` URI for a dataset outside it, and
 * fingerprinted by its stable id; rejected records and warnings as `invocations[0].toolExecutionNotifications`.
 */
export function formatSarif(report: ScanReport, context: RenderContext): string {
  const rules = [...context.rules];
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  const artifacts = new Artifacts(context);
  const lang = context.lang ?? "en";
  const title = (rule: Rule) => ruleText(rule, "title", lang) ?? rule.title;
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "channel-conflict",
            version: context.version,
            informationUri: "https://www.npmjs.com/package/channel-conflict",
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : "")),
              shortDescription: { text: title(rule) },
              fullDescription: { text: ruleText(rule, "description", lang) ?? title(rule) },
              help: { text: ruleText(rule, "remediation", lang) ?? ruleText(rule, "description", lang) ?? title(rule) },
              defaultConfiguration: { level: LEVEL[rule.severity], enabled: rule.enabled },
              properties: {
                kind: rule.kind,
                severity: rule.severity,
                "security-severity": SECURITY_SEVERITY[rule.severity],
                "problem.severity": PROBLEM_SEVERITY[rule.severity],
                tags: [...new Set([...(rule.tags ?? []), rule.kind, "security"])],
              },
            })),
          },
        },
        originalUriBaseIds: artifacts.baseIds(),
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notificationsOf(report, artifacts, context.eventsFromStdin === true, lang) }],
        results: report.findings.map((finding) => resultOf(finding, context, artifacts, ruleIndex)),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
