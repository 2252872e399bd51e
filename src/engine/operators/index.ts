import type { RegionTree } from "../../reference/regionTree.js";
import { coveredBy } from "./coveredBy.js";

/** What custom operators may see: reference data, never the environment. */
export interface OperatorEnvironment {
  readonly regions: RegionTree;
}

/** The custom operators channel-conflict adds to json-rules-engine, by name, each made from what it may see. */
const CUSTOM_OPERATORS: Readonly<Record<string, (env: OperatorEnvironment) => (fact: unknown, value: unknown) => boolean>> = {
  coveredBy: (env) => coveredBy(env.regions),
};

/** Custom operators channel-conflict adds to json-rules-engine, by name. */
export function customOperators(env: OperatorEnvironment): ReadonlyMap<string, (fact: unknown, value: unknown) => boolean> {
  return new Map(Object.entries(CUSTOM_OPERATORS).map(([name, make]) => [name, make(env)]));
}

/** json-rules-engine's built-in operators. */
export const BUILT_IN_OPERATORS: readonly string[] = [
  "equal",
  "notEqual",
  "in",
  "notIn",
  "contains",
  "doesNotContain",
  "lessThan",
  "lessThanInclusive",
  "greaterThan",
  "greaterThanInclusive",
];

/** json-rules-engine's built-in operator decorators, written `decorator:operator`. */
export const OPERATOR_DECORATORS: readonly string[] = ["someFact", "someValue", "everyFact", "everyValue", "swap", "not"];

/** Every operator name a rule may use (decorators aside). */
export const KNOWN_OPERATORS: readonly string[] = [...BUILT_IN_OPERATORS, ...Object.keys(CUSTOM_OPERATORS)];
