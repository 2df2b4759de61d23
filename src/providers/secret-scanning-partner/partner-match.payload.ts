import { z } from 'zod';

/**
 * What GitHub POSTs to a secret scanning partner: the matches of one scan, each the token found,
 * its type (the name the partner registered), where it was found and in what kind of content.
 */
export const partnerMatchesSchema = z
  .array(
    z.looseObject({
      token: z.string().min(1),
      type: z.string().min(1).max(200),
      url: z.string().min(1).max(2000),
      source: z.string().max(200).optional(),
    }),
  )
  .min(1)
  .max(1000);

/** A match as the ledger keeps it: the token replaced by its fingerprint. */
export const storedMatchesSchema = z.array(
  z.strictObject({
    token_fingerprint: z.string(),
    type: z.string(),
    url: z.string(),
    source: z.string().nullable(),
  }),
);

export type StoredMatch = z.infer<typeof storedMatchesSchema>[number];
