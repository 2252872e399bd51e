import type { Severity } from "../core/types.js";
import type { ScanReport } from "../findings/report.js";
import type { RenderContext } from "./context.js";
import { formatRejection } from "../core/records.js";

const LEVEL: Readonly<Record<Severity, "note" | "warning" | "error">> = {
  low: "note",
  medium: "warning",
  high: "error",
  critical: "error",
};

/** How many rejected records become notifications; the JSON report lists them all. */
const MAX_REJECTION_NOTIFICATIONS = 1000;

/** Where a file named by a rejection or warning is: inside the dataset folder, or the stream itself. */
function artifactUri(dataset: string, file: string): string {
  if (file === "stdin") return file;
  return `${dataset.replace(/\/+$/, "")}/${file.replace(/\/+$/, "")}`;
}

/**
 * The records that were not used and the warnings, as SARIF tool execution notifications: they are
 * not findings, but a dashboard that shows only results would otherwise hide that data was not read.
 */
function notificationsOf(report: ScanReport, uri: string): object[] {
  const notifications: object[] = [];
  for (const rejection of report.rejected.slice(0, MAX_REJECTION_NOTIFICATIONS)) {
    notifications.push({
      descriptor: { id: "rejected_record" },
      level: "warning",
      message: { text: formatRejection(rejection) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(uri, rejection.file) },
            ...(rejection.line !== undefined ? { region: { startLine: rejection.line } } : {}),
          },
        },
      ],
      ...(rejection.index !== undefined ? { properties: { index: rejection.index } } : {}),
    });
  }
  const rest = report.rejected.length - MAX_REJECTION_NOTIFICATIONS;
  if (rest > 0) {
    notifications.push({
      descriptor: { id: "rejected_record" },
      level: "note",
      message: { text: `…and ${rest} more rejected records; the JSON report (--format json) lists them all` },
    });
  }
  for (const warning of report.summary.warnings) {
    notifications.push({
      descriptor: { id: warning.code },
      level: "warning",
      message: { text: warning.message },
      ...(warning.file !== undefined ? { locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(uri, warning.file) } } }] } : {}),
    });
  }
  return notifications;
}

/**
 * SARIF 2.1.0 for code-scanning dashboards: the rules as `tool.driver.rules`, the findings as
 * `results`, each located at the scanned dataset and fingerprinted by its stable id; rejected records
 * and warnings as `invocations[0].toolExecutionNotifications`.
 */
export function formatSarif(report: ScanReport, context: RenderContext): string {
  const rules = [...context.rules];
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  const uri = context.dataset.replace(/\\/g, "/");
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
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.description ?? rule.title },
              help: { text: rule.remediation ?? rule.description ?? rule.title },
              defaultConfiguration: { level: LEVEL[rule.severity], enabled: rule.enabled },
              properties: { kind: rule.kind, severity: rule.severity, tags: [...(rule.tags ?? []), rule.kind] },
            })),
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notificationsOf(report, uri) }],
        results: report.findings.map((finding) => ({
          ruleId: finding.ruleId,
          ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId) } : {}),
          level: LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri } },
              logicalLocations: finding.partners.map((partner, i) => ({
                name: partner,
                kind: i === 0 ? "offender" : "affected",
              })),
            },
          ],
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
          },
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
