import type { Severity } from "../core/types.js";
import type { Lang } from "../messages/types.js";
import type { Rule } from "../rules/types.js";
import type { RecordLocation } from "./locateRecords.js";

/** What renderers beyond JSON need to know about the run. */
export interface RenderContext {
  /** The rules that ran (JUnit's test cases, SARIF's `tool.driver.rules`). */
  readonly rules: readonly Rule[];
  /** Findings at or above this severity are failures (JUnit) — none when absent. */
  readonly failOn?: Severity;
  /** The scanned dataset folder, as the user named it (relative to `workingDirectory`, or absolute). */
  readonly dataset: string;
  /** The package version, for SARIF's tool driver. */
  readonly version: string;
  /**
   * SARIF: where the findings' evidence records are, by `recordKey` (see `locateRecords`). Without it,
   * results have no physical location.
   */
  readonly locations?: ReadonlyMap<string, RecordLocation>;
  /**
   * SARIF: the folder artifact URIs are relative to (`%SRCROOT%`); files outside it get absolute `file:` URIs.
   * Default: the process's working directory.
   */
  readonly workingDirectory?: string;
  /** SARIF: the events were read from stdin (`--events -`), so rejections of file `stdin` have no artifact. */
  readonly eventsFromStdin?: boolean;
  /**
   * The language of the texts for people the renderer writes itself (default `en`): JUnit's failure messages
   * and bodies, SARIF's rule descriptions, notifications and related locations. Findings' messages are in
   * the scan's language already; names, ids, codes and property keys never change.
   */
  readonly lang?: Lang;
}
