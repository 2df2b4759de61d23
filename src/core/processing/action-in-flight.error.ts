import type { AgentAction } from '../../generated/prisma/client.js';

/**
 * An action found EXECUTING under another run: one still calling its connector, or one killed
 * mid-call whose effect is unknown. Counting it done would close the event without the action if
 * that run is dead, so the attempt fails instead; once the interrupted-action sweep has marked the
 * row FAILED, a retry or replay of the event runs it again under the same idempotency key.
 */
export class ActionInFlightError extends Error {
  constructor(what: string, action: Pick<AgentAction, 'id'>) {
    super(`${what}: action ${action.id} is EXECUTING in another run, or that run was cut off mid-call; not done yet`);
  }
}
