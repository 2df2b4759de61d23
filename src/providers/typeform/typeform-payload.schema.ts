import { z } from 'zod';

// Typeform's webhook payload (typeform.com/developers/webhooks/example-payload). Only what the
// lead flow reads is declared; the rest is stored as received.

const field = z.object({ id: z.string().optional(), ref: z.string().optional(), type: z.string().optional(), title: z.string().optional() });

/** One answer: `type` names the property holding its value (text, email, url, choice, choices, number, boolean, phone_number, date, file_url, payment). */
export const typeformAnswerSchema = z.looseObject({
  type: z.string(),
  field,
  text: z.string().optional(),
  email: z.string().optional(),
  url: z.string().optional(),
  phone_number: z.string().optional(),
  date: z.string().optional(),
  file_url: z.string().optional(),
  number: z.number().optional(),
  boolean: z.boolean().optional(),
  choice: z.object({ label: z.string().optional(), other: z.string().optional(), ref: z.string().optional() }).optional(),
  choices: z.object({ labels: z.array(z.string()).optional(), other: z.string().optional(), refs: z.array(z.string()).optional() }).optional(),
  payment: z.object({ amount: z.string().optional(), name: z.string().optional(), success: z.boolean().optional() }).optional(),
});
export type TypeformAnswer = z.infer<typeof typeformAnswerSchema>;

export const typeformPayloadSchema = z.object({
  event_id: z.string().min(1).max(200),
  event_type: z.string().min(1).max(100),
  form_response: z
    .object({
      form_id: z.string().min(1),
      token: z.string().min(1),
      submitted_at: z.string().optional(),
      hidden: z.record(z.string(), z.unknown()).nullish(),
      answers: z.array(typeformAnswerSchema).nullish(),
      definition: z.object({ title: z.string().optional() }).loose().nullish(),
    })
    .loose()
    .optional(),
});
export type TypeformPayload = z.infer<typeof typeformPayloadSchema>;
export type TypeformFormResponse = NonNullable<TypeformPayload['form_response']>;
