import { z } from "zod";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date such as 2026-06-30");

/** One entry of a suppressions file: by fingerprint, or by rule and partner; always with a reason. */
export const suppressionSchema = z
  .strictObject({
    fingerprint: z.string().min(1).optional(),
    ruleId: z.string().min(1).optional(),
    partnerId: z.string().min(1).optional(),
    reason: z.string().trim().min(1, "must say why the finding is hidden"),
    expires: day.optional(),
    by: z.string().min(1).optional(),
  })
  .refine((entry) => entry.fingerprint !== undefined || (entry.ruleId !== undefined && entry.partnerId !== undefined), {
    message: "needs a fingerprint, or a ruleId and a partnerId",
  })
  .refine((entry) => entry.fingerprint === undefined || (entry.ruleId === undefined && entry.partnerId === undefined), {
    message: "gives a fingerprint and a ruleId or partnerId; give one way of matching",
  });

/**
 * One suppression: a known false positive or an accepted conflict, hidden with a `reason`. It matches by
 * `fingerprint`, or by `ruleId` and `partnerId` (the finding's offender) together; from its `expires` day
 * (`YYYY-MM-DD`, UTC) on it hides nothing and is reported as expired; `by` says who decided it.
 */
export type Suppression = z.output<typeof suppressionSchema>;

/** A suppressions file: a list of entries, or `{ suppressions: [...] }`. */
export const suppressionsFileSchema = z.union([z.array(suppressionSchema), z.strictObject({ suppressions: z.array(suppressionSchema) })]);

/** A baseline's findings: a previous report (`--format json`) or NDJSON findings. */
export const baselineSchema = z.object({
  findings: z.array(
    z.looseObject({
      fingerprint: z.string().min(1),
      eventIds: z.array(z.string()),
      count: z.number().int().nonnegative(),
      lastSeen: z.string().min(1),
    }),
  ),
});
