import type { WebhookEvent } from '../../generated/prisma/client.js';

export type HandlerOutcome = { status: 'succeeded' } | { status: 'ignored'; reason: string };

/**
 * Does the work for one kind of event (reviews a pull request, emails an invoice...). Handlers
 * register with EventHandlerRegistry; the provider's processor routes each event to the first
 * handler that accepts its type. Throw PermanentError for failures that retrying cannot fix.
 */
export interface WebhookEventHandler {
  readonly name: string;
  readonly provider: string;
  handles(eventType: string): boolean;
  handle(event: WebhookEvent, attempt: number): Promise<HandlerOutcome | void>;
}
