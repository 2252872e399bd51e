// Child process of boundedMemory.test.ts: streams synthetic events through scanStream and prints the
// heap (with array buffers) after a forced GC at checkpoints, as one JSON line.
import { scanStream } from "../../src/index.js";

const total = Number(process.argv[2] ?? 400_000);
const checkpoints = [total / 4, total];
const start = Date.UTC(2025, 0, 1);
const regions = ["CN-GD", "CN-ZJ", "CN-SH"];
const reference = {
  regions: [{ code: "CN" }, ...regions.map((code) => ({ code, parent: "CN" }))],
  partners: [
    { id: "D1", channel: "distributor" },
    { id: "D2", channel: "distributor" },
    { id: "W1", channel: "ecommerce" },
    { id: "R1", channel: "retail" },
  ],
  territories: [
    { id: "T1", partnerId: "D1", region: "CN-GD", exclusive: true },
    { id: "T2", partnerId: "D2", region: "CN-ZJ", exclusive: true },
  ],
  products: Array.from({ length: 20 }, (_, i) => ({ sku: `S${i}`, category: "c" })),
  pricePolicies: Array.from({ length: 20 }, (_, i) => ({ id: `P${i}`, sku: `S${i}`, floorPrice: 90, map: 95, currency: "CNY" })),
  registrations: Array.from({ length: 100 }, (_, i) => ({ id: `G${i}`, customerId: `C${i}`, partnerId: "D1", status: "approved", registeredAt: "2025-01-01" })),
};

async function* events() {
  for (let i = 0; i < total; i++) {
    // A year and more of events, one every 2 minutes.
    const at = new Date(start + i * 120_000).toISOString();
    const sku = `S${i % 20}`;
    const kind = i % 20;
    if (kind === 0) yield { id: `a${i}`, type: "allocation", occurredAt: at, partnerId: i % 40 === 0 ? "D1" : "D2", sku, lot: `L${i}`, quantity: 10 };
    else if (kind === 1) yield { id: `l${i}`, type: "listing", occurredAt: at, partnerId: "W1", sku, price: i % 7 === 0 ? 80 : 100, currency: "CNY" };
    else {
      const partnerId = ["D1", "D2", "W1", "R1"][i % 4] as string;
      yield {
        id: `o${i}`, type: "order", occurredAt: at, partnerId, sku, quantity: 1, unitPrice: i % 13 === 0 ? 85 : 100, currency: "CNY",
        shipTo: { region: regions[i % 3] }, customerId: `C${i % 500}`, ...(i % 5 === 0 ? { lot: `L${i - (i % 20)}` } : {}),
      };
    }
    if (checkpoints.includes(i + 1)) {
      (globalThis as { gc?: () => void }).gc?.();
      // The heap and what lives off it in typed arrays (windows, lots, recent ids).
      const memory = process.memoryUsage();
      heap.push(memory.heapUsed + memory.arrayBuffers);
    }
  }
}
const heap: number[] = [];
let findings = 0;
const generator = scanStream(events() as never, { reference: reference as never });
let next = await generator.next();
while (!next.done) {
  findings++;
  next = await generator.next();
}
console.log(JSON.stringify({ heap, findings, events: next.value.events }));
