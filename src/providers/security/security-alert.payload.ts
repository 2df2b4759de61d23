import { z } from 'zod';

/** What the security provider reads of a `secret_scanning_alert` delivery (GitHub's documented shape; other fields pass through). */
export const secretScanningAlertPayloadSchema = z.looseObject({
  action: z.string().min(1),
  alert: z.looseObject({
    number: z.number().int().positive(),
    secret_type: z.string().min(1).max(200),
    secret_type_display_name: z.string().max(200).optional(),
    html_url: z.string().max(2000).optional(),
    updated_at: z.string().nullable().optional(),
  }),
  repository: z.looseObject({ full_name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\/[A-Za-z0-9._-]{1,100}$/) }),
});
export type SecretScanningAlertPayload = z.infer<typeof secretScanningAlertPayloadSchema>;
