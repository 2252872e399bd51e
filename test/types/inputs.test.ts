// Type tests of the input types: `npm test` type-checks this file first (`pretest` runs `tsc --noEmit`
// over test/), so each `@ts-expect-error` below must meet an error and each `expectTypeOf` must hold, or
// the run stops before vitest starts. Each line expected to fail has a twin that compiles, so it fails
// for the reason named, not for another.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  scan,
  scanStream,
  type AllocationEventInput,
  type ChannelEvent,
  type ChannelEventInput,
  type CollectionsInput,
  type CustomerInput,
  type ListingEventInput,
  type PartnerInput,
  type PricePolicyInput,
  type ProductInput,
  type PromotionInput,
  type RegionInput,
  type RegistrationInput,
  type SaleEventInput,
  type Territory,
  type TerritoryInput,
} from "../../src/index.js";
import type { CollectionName } from "../../src/schema/dataset.js";
import type { Channel } from "../../src/schema/primitives.js";

const partner = (value: PartnerInput) => value;
const territory = (value: TerritoryInput) => value;
const registration = (value: RegistrationInput) => value;
const event = (value: ChannelEventInput) => value;

describe("input types", () => {
  it("refuse a typo'd field, required or optional", () => {
    registration({ id: "G1", customerId: "C1", partnerId: "P1", status: "approved", registeredAt: "2025-01-01" });
    // @ts-expect-error — `partnerID` is no field of a registration (and its `partnerId` is missing)
    registration({ id: "G1", customerId: "C1", partnerID: "P1", status: "approved", registeredAt: "2025-01-01" });
    event({ id: "e1", type: "sale", occurredAt: "2025-03-01", partnerId: "P1", sku: "S1", quantity: 1, unitPrice: 10, currency: "CNY" });
    // @ts-expect-error — `partnerID` is no field of an event
    event({ id: "e1", type: "sale", occurredAt: "2025-03-01", partnerID: "P1", sku: "S1", quantity: 1, unitPrice: 10, currency: "CNY" });
    territory({ id: "T1", partnerId: "P1", region: "CN", validFrom: "2025-01-01" });
    // @ts-expect-error — `validFomr` is no field of a territory (every required field is there)
    territory({ id: "T1", partnerId: "P1", region: "CN", validFomr: "2025-01-01" });
    const dataset = { partners: [{ id: "P1", channel: "retail" }], territories: [{ id: "T1", partnerId: "P1", region: "CN" }] } satisfies CollectionsInput;
    // @ts-expect-error — `validFomr` inside the collections handed to scan
    void ({ ...dataset, territories: [{ id: "T1", partnerId: "P1", region: "CN", validFomr: "2025-01-01" }] } satisfies CollectionsInput);
  });

  it("refuse a channel, type or status that does not exist", () => {
    partner({ id: "P1", channel: "distributor" });
    // @ts-expect-error — "wholesale" is not a channel
    partner({ id: "P1", channel: "wholesale" });
    // @ts-expect-error — "refund" is not an event type
    event({ id: "e1", type: "refund", occurredAt: "2025-03-01", partnerId: "P1", sku: "S1", quantity: 1, unitPrice: 10, currency: "CNY" });
    // @ts-expect-error — "won" is not a registration status
    registration({ id: "G1", customerId: "C1", partnerId: "P1", status: "won", registeredAt: "2025-01-01" });
    expectTypeOf<PartnerInput["channel"]>().toEqualTypeOf<Channel>();
  });

  it("take a time as an ISO 8601 string or a Date, and nothing else", () => {
    territory({ id: "T1", partnerId: "P1", region: "CN", validFrom: "2025-01-01", validTo: new Date("2026-01-01T00:00:00Z") });
    event({ id: "e1", type: "listing", occurredAt: new Date(), partnerId: "P1", sku: "S1", price: 10, currency: "CNY" });
    // @ts-expect-error — epoch milliseconds are what validation makes of a time, not what a caller writes
    territory({ id: "T1", partnerId: "P1", region: "CN", validFrom: 1735689600000 });
    expectTypeOf<TerritoryInput["validFrom"]>().toEqualTypeOf<string | Date | undefined>();
    expectTypeOf<ChannelEventInput["occurredAt"]>().toEqualTypeOf<string | Date>();
    expectTypeOf<PricePolicyInput["validTo"]>().toEqualTypeOf<string | Date | undefined>();
    expectTypeOf<PromotionInput["validFrom"]>().toEqualTypeOf<string | Date>();
    expectTypeOf<RegistrationInput["registeredAt"]>().toEqualTypeOf<string | Date>();
    expectTypeOf<RegistrationInput["expiresAt"]>().toEqualTypeOf<string | Date | undefined>();
  });

  it("are what a caller writes, beside the validated types (times as numbers, defaults filled in)", () => {
    expectTypeOf<TerritoryInput>().toEqualTypeOf<{
      id: string;
      partnerId: string;
      region: string;
      exclusive?: boolean | undefined;
      skus?: string[] | undefined;
      categories?: string[] | undefined;
      validFrom?: string | Date | undefined;
      validTo?: string | Date | undefined;
    }>();
    expectTypeOf<Territory["validFrom"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Territory["exclusive"]>().toEqualTypeOf<boolean>();
    expectTypeOf<ChannelEvent["occurredAt"]>().toEqualTypeOf<number>();
    expectTypeOf<ChannelEventInput>().toEqualTypeOf<SaleEventInput | ListingEventInput | AllocationEventInput>();
    expectTypeOf<AllocationEventInput>().toEqualTypeOf<{ id: string; occurredAt: string | Date; partnerId: string; sku: string; type: "allocation"; lot: string; quantity: number }>();
  });

  it("type every collection of CollectionsInput, and scan's and scanStream's input", () => {
    expectTypeOf<keyof CollectionsInput>().toEqualTypeOf<CollectionName>();
    expectTypeOf<CollectionsInput>().toEqualTypeOf<{
      readonly partners?: readonly PartnerInput[] | undefined;
      readonly regions?: readonly RegionInput[] | undefined;
      readonly territories?: readonly TerritoryInput[] | undefined;
      readonly products?: readonly ProductInput[] | undefined;
      readonly pricePolicies?: readonly PricePolicyInput[] | undefined;
      readonly promotions?: readonly PromotionInput[] | undefined;
      readonly registrations?: readonly RegistrationInput[] | undefined;
      readonly customers?: readonly CustomerInput[] | undefined;
      readonly events?: readonly ChannelEventInput[] | undefined;
    }>();
    expectTypeOf(scan).parameter(0).toEqualTypeOf<string | CollectionsInput>();
    expectTypeOf(scanStream).parameter(0).toEqualTypeOf<AsyncIterable<ChannelEventInput> | Iterable<ChannelEventInput>>();
    // @ts-expect-error — a stream of events is typed too: `occuredAt` is a typo
    void scanStream([{ id: "e1", type: "listing", occuredAt: "2025-03-01", partnerId: "P1", sku: "S1", price: 10, currency: "CNY" }], { reference: {} });
  });

  it("typed collections with Date times scan as they are", async () => {
    const partners: PartnerInput[] = [{ id: "R1", channel: "reseller" }];
    const pricePolicies: PricePolicyInput[] = [{ id: "PP1", sku: "S1", floorPrice: 100, currency: "USD", validFrom: new Date("2025-01-01T00:00:00Z") }];
    const events: ChannelEventInput[] = [
      { id: "e1", type: "sale", occurredAt: new Date("2025-03-01T09:30:00Z"), partnerId: "R1", sku: "S1", quantity: 2, unitPrice: 90, currency: "USD" },
    ];
    const report = await scan({ partners, pricePolicies, events });
    expect(report.rejected).toEqual([]);
    expect(report.findings.map((f) => [f.ruleId, f.firstSeen])).toEqual([["price.below-floor", "2025-03-01T09:30:00.000Z"]]);
  });
});
