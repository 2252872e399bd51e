import type { Severity } from "../core/types.js";
import type { Rule } from "../rules/types.js";

/** What renderers beyond JSON need to know about the run. */
export interface RenderContext {
  /** The rules that ran (JUnit's test cases, SARIF's `tool.driver.rules`). */
  readonly rules: readonly Rule[];
  /** Findings at or above this severity are failures (JUnit) — none when absent. */
  readonly failOn?: Severity;
  /** The scanned dataset, as the user named it (SARIF's artifact location). */
  readonly dataset: string;
  /** The package version, for SARIF's tool driver. */
  readonly version: string;
}
