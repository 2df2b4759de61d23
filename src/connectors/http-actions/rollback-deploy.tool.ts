import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AgentTool, parseToolArgs, type ToolExecutionContext } from '../../core/index.js';
import { ActionHttpConnector, type ActionHttpResponse } from './action-http.connector.js';

const input = z.strictObject({
  deployment: z.string().trim().min(1).max(200).describe('The deployment to roll back (id, version or environment, as the deploy event named it).'),
  reason: z.string().trim().min(1).max(2000).describe('Why, for the audit trail and the on-call engineer.'),
  to_version: z.string().trim().min(1).max(200).optional().describe('The version to roll back to (the previous one, as the deploy event named it).'),
});

/** `rollback_deploy`: POST {deployment, reason, to_version?} to ROLLBACK_URL. Destructive: needs approval by default. */
@Injectable()
@AgentTool()
export class RollbackDeployTool implements AgentTool<typeof input> {
  readonly name = 'rollback_deploy';
  readonly description = 'Roll a deployment back to its previous version through the configured rollback endpoint.';
  readonly input = input;
  readonly destructive = true;

  constructor(@Inject(ActionHttpConnector) private readonly http: ActionHttpConnector) {}

  unavailableReason(): string | null {
    return this.http.unavailableReason('ROLLBACK_URL');
  }

  async execute(args: z.infer<typeof input>, context: ToolExecutionContext): Promise<ActionHttpResponse> {
    const a = parseToolArgs(this.name, input, args);
    return this.http.request('ROLLBACK_URL', {
      method: 'POST',
      idempotencyKey: context.idempotencyKey,
      body: { deployment: a.deployment, reason: a.reason, ...(a.to_version !== undefined && { to_version: a.to_version }), event_id: context.eventId },
    });
  }
}
