import { z } from 'zod';

/** The inner event of an `event_callback`: what the provider and the TODO agent read of it (Slack sends more). */
export const slackInnerEventSchema = z.looseObject({
  type: z.string().min(1),
  subtype: z.string().optional(),
  channel: z.string().optional(),
  user: z.string().optional(),
  text: z.string().optional(),
  ts: z.string().optional(),
  thread_ts: z.string().optional(),
  bot_id: z.string().optional(),
  app_id: z.string().optional(),
  metadata: z.looseObject({ event_type: z.string().optional() }).optional(),
  item: z.looseObject({ channel: z.string().optional() }).optional(),
});

/** The Events API envelope. */
export const slackEnvelopeSchema = z.looseObject({
  type: z.string().min(1),
  event_id: z.string().min(1).optional(),
  team_id: z.string().optional(),
  api_app_id: z.string().optional(),
  event: slackInnerEventSchema.optional(),
});

export type SlackEnvelope = z.infer<typeof slackEnvelopeSchema>;
export type SlackInnerEvent = z.infer<typeof slackInnerEventSchema>;

/** A channel message the TODO agent works on (validated by the handler before use). */
export const slackMessageEventSchema = z.looseObject({
  type: z.literal('message'),
  channel: z.string().min(1),
  user: z.string().min(1),
  text: z.string(),
  ts: z.string().regex(/^\d+\.\d+$/),
  thread_ts: z.string().regex(/^\d+\.\d+$/).optional(),
});
export type SlackMessageEvent = z.infer<typeof slackMessageEventSchema>;
