// channel-conflict — the public entry. Named exports only, grouped by area.

// Scanning
export { scan, type ScanOptions } from "./scan/scan.js";
export { scanStream, type ScanStreamOptions } from "./scan/scanStream.js";
export type { ScanReport, ScanSummary } from "./scan/report.js";

// Input
export { loadDataset, openDataset, type DatasetSource } from "./dataset/loadDataset.js";
export type { Dataset, Rejection, RecordCounts, ReferenceRecords } from "./dataset/types.js";
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
  type ChannelEventInput,
  type SaleEvent,
  type ListingEvent,
  type AllocationEvent,
  type CollectionsInput,
} from "./schema/dataset.js";

// Rules
export { loadRules, shippedRulesPath } from "./rules/loadRules.js";
export { validateRuleDocuments } from "./rules/validateRules.js";
export type { Rule, RuleSet, Condition } from "./rules/types.js";
export { DETECTORS } from "./detectors/registry.js";
export type { Detector, FactDoc, ParamDoc } from "./detectors/types.js";

// Findings
export { rankFindings } from "./findings/rankFindings.js";
export {
  SEVERITIES,
  CONFLICT_KINDS,
  compareSeverity,
  type Finding,
  type FindingRef,
  type Severity,
  type ConflictKind,
  type Facts,
  type FactValue,
} from "./findings/types.js";

// Errors
export {
  ChannelConflictError,
  DatasetError,
  RuleSetError,
  OptionsError,
  LimitError,
  type RuleProblem,
} from "./errors.js";
