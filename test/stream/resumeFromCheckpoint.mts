// Child process of createStreamScanner.test.ts: a scanner created from a checkpoint file, fed the batches
// after it, prints every update it yields (one JSON line), as a restarted consumer would.
import { readFileSync } from "node:fs";
import { createStreamScanner } from "../../src/index.js";
import { batchesOf, feed, generatedStream } from "./streamFixture.js";

const [checkpointFile, from, count, seed] = process.argv.slice(2);
const stream = generatedStream(Number(count), Number(seed));
const scanner = await createStreamScanner({ reference: stream.reference, checkpoint: new Uint8Array(readFileSync(checkpointFile as string)) });
const updates = await feed(scanner, batchesOf(stream.events).slice(Number(from)));
process.stdout.write(`${JSON.stringify({ updates, summary: scanner.summary() })}\n`);
