import type { ConflictKind } from "../findings/types.js";
import { crossRegionShipping } from "./cross-region-shipping/crossRegionShipping.js";
import { customerPoaching } from "./customer-poaching/customerPoaching.js";
import { priceDeviation } from "./price-deviation/priceDeviation.js";
import { territoryOverlap } from "./territory-overlap/territoryOverlap.js";
import type { Detector } from "./types.js";

/** Every detector, by the kind it detects. */
export const DETECTORS: Readonly<Record<ConflictKind, Detector>> = {
  "price-deviation": priceDeviation,
  "territory-overlap": territoryOverlap,
  "cross-region-shipping": crossRegionShipping,
  "customer-poaching": customerPoaching,
};
