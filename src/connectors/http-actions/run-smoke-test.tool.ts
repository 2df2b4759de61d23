import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AgentTool, parseToolArgs, type ToolExecutionContext } from '../../core/index.js';
import { ActionHttpConnector, type ActionHttpResponse } from './action-http.connector.js';

const input = z.strictObject({
  deployment: z.string().trim().min(1).max(200).optional().describe('Deployment to check; sent as the `deployment` query parameter.'),
});

/** `run_smoke_test`: GET SMOKE_TEST_URL and report what it answered. Read-only. */
@Injectable()
@AgentTool()
export class RunSmokeTestTool implements AgentTool<typeof input> {
  readonly name = 'run_smoke_test';
  readonly description =
    'Run the configured smoke test against a deployment and return its verdict (HTTP status and the endpoint\'s answer).';
  readonly input = input;
  readonly destructive = false;

  constructor(@Inject(ActionHttpConnector) private readonly http: ActionHttpConnector) {}

  unavailableReason(): string | null {
    return this.http.unavailableReason('SMOKE_TEST_URL');
  }

  async execute(args: z.infer<typeof input>, context: ToolExecutionContext): Promise<ActionHttpResponse> {
    const a = parseToolArgs(this.name, input, args);
    return this.http.request('SMOKE_TEST_URL', {
      method: 'GET',
      idempotencyKey: context.idempotencyKey,
      query: { deployment: a.deployment },
    });
  }
}
