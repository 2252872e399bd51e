import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: { index: "src/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    shims: true,
    sourcemap: false,
    target: "node20",
    external: ["bullmq", "ioredis"],
  },
  {
    // Queue mode's sandboxed processor: BullMQ loads it by path in a child process of each worker.
    entry: { queueProcessor: "src/queue/processor.ts" },
    format: ["esm"],
    dts: false,
    clean: false,
    target: "node20",
    external: ["bullmq", "ioredis"],
  },
  {
    // The event reader's worker thread: ESM, loaded by path from both the ESM and the CommonJS build.
    entry: { eventWorker: "src/dataset/eventWorker.ts" },
    format: ["esm"],
    dts: false,
    clean: false,
    target: "node20",
  },
  {
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    dts: false,
    clean: false,
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    external: ["bullmq", "ioredis"],
  },
]);
