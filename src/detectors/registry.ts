import { crossRegionShipping } from "./cross-region-shipping/crossRegionShipping.js";
import { customerPoaching } from "./customer-poaching/customerPoaching.js";
import { priceDeviation } from "./price-deviation/priceDeviation.js";
import { territoryOverlap } from "./territory-overlap/territoryOverlap.js";
import type { Detector } from "./types.js";

/** Every detector, by the kind it detects: the one list of kinds (a new kind is one line here). */
export const DETECTORS = {
  "price-deviation": priceDeviation,
  "territory-overlap": territoryOverlap,
  "cross-region-shipping": crossRegionShipping,
  "customer-poaching": customerPoaching,
} as const satisfies Readonly<Record<string, Detector>>;

/** The kinds of channel conflict: the keys of `DETECTORS`. */
export type ConflictKind = keyof typeof DETECTORS;

/** The kinds of channel conflict, in registry order. */
export const CONFLICT_KINDS = Object.keys(DETECTORS) as readonly ConflictKind[];
