// Invariant: a folder made here is removed on every way out — `remove` (success and errors), the
// process exiting, and SIGINT / SIGTERM / SIGHUP, after which the signal is raised again so the process
// ends as it would have.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const live = new Set<string>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function removeAll(): void {
  for (const path of live) rmSync(path, { recursive: true, force: true });
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeAll();
  unhook();
  // Ends the process as the signal would have (unless the program listens for it itself).
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function hook(): void {
  process.on("exit", removeAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function unhook(): void {
  process.off("exit", removeAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/**
 * A temporary folder for the runs of an external sort, under the system's temporary folder (`TMPDIR`),
 * removed by `remove` and, failing that, when the process exits or is stopped by a signal.
 */
export class SortFolder {
  readonly path: string;

  constructor() {
    this.path = mkdtempSync(join(tmpdir(), "channel-conflict-sort-"));
    if (live.size === 0) hook();
    live.add(this.path);
  }

  /** Removes the folder and everything in it (again, harmlessly). */
  remove(): void {
    if (!live.delete(this.path)) return;
    rmSync(this.path, { recursive: true, force: true });
    if (live.size === 0) unhook();
  }
}
