import type { WebhookEvent } from '../../generated/prisma/client.js';
import type { HandleOptions } from '../processing/event-handler.js';
import type { AgentDefinition } from './agent-definition.js';

export interface AgentRunRequest<Answer> {
  event: WebhookEvent;
  agent: AgentDefinition<Answer>;
  /** Trusted instructions for this run, written by our code. */
  task: string;
  /** Untrusted input (payload, diff...), one delimited data block per key. */
  data: Record<string, unknown>;
  /** Replay flags (dry run, repeat actions) passed down to ActionService. */
  options?: HandleOptions;
}

export interface AgentRunResult<Answer> {
  runId: string;
  /** The model's final text. */
  text: string;
  /** The validated structured answer, when the agent defines one. */
  answer: Answer | undefined;
  /** Set when agents are off: the run was recorded SKIPPED and nothing was asked. */
  skippedReason: string | null;
}
