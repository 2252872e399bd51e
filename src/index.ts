// channel-conflict — the public entry. Named exports only, grouped by area.

// Scanning
export { scan } from "./scan/scan.js";
export { scanStream } from "./scan/scanStream.js";
export { createStreamScanner, type StreamScanner, type StreamUpdate } from "./scan/createStreamScanner.js";
export type { ScanOptions, ScanStreamOptions, ScanProgress } from "./scan/options.js";
export type { ScanReport, ScanSummary } from "./findings/report.js";
export type { ScanWarning, ScanWarningCode } from "./core/warnings.js";

// Shards and queue mode
export { mergeReports } from "./findings/mergeReports.js";
export { scanOnQueue, startQueueWorker, type QueueScanOptions, type QueueWorkerOptions, type QueueWorker } from "./queue/queue.js";

// Explaining
export { explain } from "./explain/explain.js";
export { formatExplanation } from "./explain/formatExplanation.js";
export type {
  ExplainTarget,
  Explanation,
  FindingExplanation,
  EventExplanation,
  EventKindVerdict,
  EventRuleVerdict,
  RuleTrace,
  ExplainedCondition,
} from "./explain/explain.js";

// Reports for people
export { formatHtml, type HtmlOptions } from "./report/formatHtml.js";

// Input
export { loadDataset, openDataset, type DatasetSource } from "./dataset/loadDataset.js";
export type { Dataset, RecordCounts } from "./dataset/types.js";
export type { Rejection } from "./core/records.js";
export type { FieldIssue, GivenValue, RejectionCode, RejectionMessages, RejectionReason } from "./core/rejectionReasons.js";
export { formatRejection, rejectionReason } from "./messages/rejections/renderRejection.js";
export {
  partnerSchema,
  regionSchema,
  territorySchema,
  productSchema,
  pricePolicySchema,
  promotionSchema,
  registrationSchema,
  customerSchema,
  eventSchema,
  saleEventSchema,
  listingEventSchema,
  allocationEventSchema,
  type Partner,
  type Region,
  type Territory,
  type Product,
  type PricePolicy,
  type Promotion,
  type Registration,
  type Customer,
  type ChannelEvent,
  type SaleEvent,
  type ListingEvent,
  type AllocationEvent,
  // What a caller writes (times as ISO 8601 strings or Dates), beside each validated type above.
  type PartnerInput,
  type RegionInput,
  type TerritoryInput,
  type ProductInput,
  type PricePolicyInput,
  type PromotionInput,
  type RegistrationInput,
  type CustomerInput,
  type ChannelEventInput,
  type SaleEventInput,
  type ListingEventInput,
  type AllocationEventInput,
  type CollectionsInput,
  type ReferenceRecords,
} from "./schema/dataset.js";

// Rules
export { loadRules, shippedRulesPath } from "./rules/loadRules.js";
export { validateRuleDocuments } from "./rules/validateRules.js";
export type { Rule, RuleSet } from "./rules/types.js";
export { DETECTORS } from "./detectors/registry.js";
export type { Detector, FactDoc, ParamDoc } from "./detectors/types.js";

// Findings
export { rankFindings } from "./findings/rankFindings.js";
export { applyBaseline, type Baseline, type BaselineFinding } from "./findings/applyBaseline.js";
export { applySuppressions, type Suppression, type SuppressionOptions } from "./findings/applySuppressions.js";
export type { SuppressedFinding } from "./findings/report.js";
export type { Finding } from "./findings/types.js";
export { DEFAULT_SCORECARD_POLICY, type PartnerScore, type PartnerTier, type ScorecardPolicy } from "./findings/scorePartners.js";
export { LANGS, type Lang, type MessageArg } from "./messages/types.js";
export { CONFLICT_KINDS, type ConflictKind } from "./detectors/registry.js";
export { skipText } from "./detectors/skipReasons.js";
export {
  SEVERITIES,
  compareSeverity,
  type Condition,
  type FindingRef,
  type Severity,
  type Facts,
  type FactValue,
} from "./core/types.js";

// Errors
export {
  ChannelConflictError,
  DatasetError,
  RuleSetError,
  OptionsError,
  LimitError,
  CheckpointError,
  formatRuleProblem,
  type RuleProblem,
  type RuleProblemCode,
  type DatasetErrorCode,
  type RuleSetErrorCode,
  type CheckpointErrorCode,
} from "./core/errors.js";
