import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AgentTool, parseToolArgs, type ToolExecutionContext } from '../../core/index.js';
import { ActionHttpConnector, type ActionHttpResponse } from './action-http.connector.js';

const input = z.strictObject({
  key_id: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .describe('Identifier of the leaked credential as the scanner reported it (key id, fingerprint or redacted form).'),
  reason: z.string().trim().min(1).max(2000).describe('Why, e.g. where the key was found.'),
});

/** `revoke_key`: POST {key_id, reason} to REVOKE_URL. Destructive: needs approval by default. */
@Injectable()
@AgentTool()
export class RevokeKeyTool implements AgentTool<typeof input> {
  readonly name = 'revoke_key';
  readonly description = 'Revoke a leaked API key or credential through the configured revocation endpoint.';
  readonly input = input;
  readonly destructive = true;

  constructor(@Inject(ActionHttpConnector) private readonly http: ActionHttpConnector) {}

  unavailableReason(): string | null {
    return this.http.unavailableReason('REVOKE_URL');
  }

  async execute(args: z.infer<typeof input>, context: ToolExecutionContext): Promise<ActionHttpResponse> {
    const a = parseToolArgs(this.name, input, args);
    return this.http.request('REVOKE_URL', {
      method: 'POST',
      idempotencyKey: context.idempotencyKey,
      body: { key_id: a.key_id, reason: a.reason, event_id: context.eventId },
    });
  }
}
