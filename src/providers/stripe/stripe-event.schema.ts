import { z } from 'zod';

/**
 * The envelope of a Stripe event (API reference, "The Event object") as far as Hookwise reads it
 * on receipt; `data.object` is checked by the handler that acts on it. Unknown fields are kept.
 */
export const stripeEventSchema = z.looseObject({
  id: z.string().regex(/^evt_/, 'an event id starts with evt_'),
  object: z.literal('event'),
  type: z.string().min(1),
  api_version: z.string().nullable().optional(),
  created: z.number().int(),
  livemode: z.boolean(),
  /** Connect: the connected account the event is about. */
  account: z.string().optional(),
  data: z.looseObject({ object: z.looseObject({ object: z.string().optional() }) }),
});
export type StripeEvent = z.infer<typeof stripeEventSchema>;
