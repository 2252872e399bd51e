import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { chromium, type Browser } from "playwright-core";

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH`, else Debian's (`/usr/bin/chromium`, which CI
 * installs — see .ci/run), else one on the PATH; undefined when this machine has none.
 */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  return undefined;
}

/** Launches headless Chromium; throws, saying what to install, when it cannot. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === undefined) {
    throw new Error("no Chromium on this machine: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH");
  }
  try {
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    return await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  } catch (error) {
    throw new Error(`Chromium at ${executablePath} did not start: ${(error as Error).message}`);
  }
}
