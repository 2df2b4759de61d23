/** One BullMQ queue per provider, so a slow or failing provider never delays the others. */
export function webhookQueueName(provider: string): string {
  return `webhooks-${provider}`;
}

/** Job name used for every webhook job (the queue already says which provider). */
export const WEBHOOK_JOB = 'webhook-event';

/** Job name of an event's continuation after an operator decided one of its pending actions (see EventContinuation). */
export const CONTINUE_EVENT_JOB = 'continue-event';
