import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { it } from "vitest";

/** Whether this process runs in UTC: @date-fns/tz's `TZDate` (what the zone tests are held to) reads the machine's zone. */
export const MACHINE_IS_UTC = new Intl.DateTimeFormat().resolvedOptions().timeZone === "UTC";

/**
 * On a machine not in UTC, one test that runs the test file `fileUrl` again under `TZ=UTC` and passes on its
 * output: the comparisons with `TZDate` skip themselves here and run there (skipped on a UTC machine, where
 * they ran already).
 */
export function rerunUnderUtc(fileUrl: string, holdsTo: string): void {
  it.skipIf(MACHINE_IS_UTC)(`holds to ${holdsTo} on a UTC machine (this file, re-run under TZ=UTC)`, () => {
    try {
      execFileSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", fileURLToPath(fileUrl)], { env: { ...process.env, TZ: "UTC" }, encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      throw new Error(`the re-run under TZ=UTC failed:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
    }
  });
}
