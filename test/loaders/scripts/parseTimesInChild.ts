// Run by time.test.ts in a child process with TZ set: prints, as JSON on stdout, how the loader reads times there.
import { loadDataset } from "../../../src/dataset/loadDataset.js";
import { parseIsoTime } from "../../../src/core/time.js";

const inputs = process.argv.slice(2);
const dataset = await loadDataset({
  partners: [{ id: "P1", channel: "retail" }],
  events: inputs.map((occurredAt, i) => ({
    id: `e-${i}`,
    type: "listing",
    occurredAt,
    partnerId: "P1",
    sku: "S",
    price: 1,
    currency: "CNY",
  })),
});
process.stdout.write(
  JSON.stringify({
    timezoneOffsetMinutes: new Date(Date.UTC(2025, 2, 1)).getTimezoneOffset(),
    parsed: inputs.map((text) => parseIsoTime(text) ?? null),
    loaded: dataset.events.map((event) => event.occurredAt),
  }),
);
