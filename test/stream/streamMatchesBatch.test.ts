import { describe, expect, it } from "vitest";
import { scan, scanStream, type Finding } from "../../src/index.js";
import { readRawCollections } from "../helpers.js";

const unranked = (findings: Iterable<Finding>) =>
  [...findings].map((f) => ({ ...f, rank: 0 })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe("scanStream", () => {
  it("yields the same findings as a batch scan of the same input", async () => {
    const collections = await readRawCollections("fixtures/demo");
    const { events, ...reference } = collections;
    const batch = await scan(collections);
    const streamed: Finding[] = [];
    const ordered = [...(events ?? [])].sort((a, b) => {
      const ta = Date.parse(String((a as { occurredAt: string }).occurredAt));
      const tb = Date.parse(String((b as { occurredAt: string }).occurredAt));
      return ta - tb;
    });
    const generator = scanStream(ordered as never, { reference });
    let next = await generator.next();
    while (!next.done) {
      expect(next.value.rank).toBe(0);
      streamed.push(next.value);
      next = await generator.next();
    }
    // A finding is yielded as it opens, changes and closes: its last yield is what the batch reports.
    const last = new Map(streamed.map((f) => [f.id, f]));
    expect(streamed.length).toBeGreaterThan(last.size);
    expect(unranked(last.values())).toEqual(unranked(batch.findings));
    expect(next.value.events).toBe(batch.summary.events);
    expect(next.value.findings).toBe(batch.findings.length);
  });

  it("rejects an event earlier than one already read, and keeps going", async () => {
    const collections = await readRawCollections("fixtures/demo");
    const { events, ...reference } = collections;
    const rejected: string[] = [];
    const late = { ...(events?.[0] as object), id: "LATE-1", occurredAt: "2024-01-01" };
    const input = [events?.[events.length - 1], late];
    const findings: Finding[] = [];
    const generator = scanStream(input as never, { reference, onRejected: (r) => rejected.push(`${r.file}:${r.line}: ${r.reason}`) });
    let next = await generator.next();
    while (!next.done) {
      findings.push(next.value);
      next = await generator.next();
    }
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(/^stream:2: occurredAt: 2024-01-01T00:00:00.000Z is earlier than an event already read/);
    expect(next.value.events + next.value.rejected).toBe(2);
  });

  it("yields a finding when it opens, and closes it once its group has been quiet for groupGapDays", async () => {
    const reference = {
      partners: [{ id: "R1", channel: "reseller" }],
      products: [{ sku: "S1" }],
      pricePolicies: [{ id: "PP", sku: "S1", floorPrice: 100, currency: "USD" }],
    };
    const sale = (id: string, at: string, price: number) => ({
      id, type: "sale", occurredAt: at, partnerId: "R1", sku: "S1", quantity: 1, unitPrice: price, currency: "USD",
    });
    async function* events() {
      yield sale("e1", "2025-01-01", 90);
      // Events of one instant are held until a later event comes: e1 is judged now, and opens a finding.
      yield sale("e2", "2025-01-05", 150);
      expect(seen).toEqual(["price.below-floor:open"]);
      // 40 days after the violation: the below-floor group (30-day gap) closes as the sweep reaches e3's day.
      yield sale("e3", "2025-02-10", 150);
      yield sale("e4", "2025-02-11", 150);
      expect(seen).toEqual(["price.below-floor:open", "price.below-floor:closed"]);
    }
    const seen: string[] = [];
    for await (const finding of scanStream(events() as never, { reference: reference as never })) seen.push(`${finding.ruleId}:${finding.status}`);
    expect(seen).toEqual(["price.below-floor:open", "price.below-floor:closed"]);
  });
});
