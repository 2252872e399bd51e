// The generated benchmark dataset of `count` events and `seed`, in bench/out/, generated when missing:
// every benchmark script measures on the same files.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** The folder of the benchmark dataset of `count` events and `seed`, generating it first when it is not there. */
export function benchDataset(count: number, seed: string): string {
  const dir = `bench/out/${count}-${seed}`;
  if (!existsSync(`${dir}/events`)) {
    process.stderr.write(`generating ${count} events into ${dir}…\n`);
    execFileSync(process.execPath, ["--import", "tsx", "bench/generate-cli.ts", "--events", String(count), "--seed", seed, "--out", dir], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  return dir;
}
