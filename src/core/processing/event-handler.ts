import type { WebhookEvent } from '../../generated/prisma/client.js';
import { providerMarker } from '../discovery/discoverable-providers.js';

export type HandlerOutcome = { status: 'succeeded' } | { status: 'ignored'; reason: string };

/** How an operator replays an event (admin API); absent for normal processing. */
export interface HandleOptions {
  /** Identifies the replay: actions get keys of their own, so they are recorded again rather than found. */
  replayId?: string;
  /** Record every action as DRY_RUN instead of executing it. */
  dryRun?: boolean;
  /** Execute actions again even if this event (or commit, for semantic keys) already caused them. */
  repeatActions?: boolean;
}

/**
 * Does the work for one kind of event (reviews a pull request, emails an invoice...). A handler is
 * a provider marked `@WebhookEventHandler()`, which EventHandlerRegistry finds at boot; the
 * provider's processor routes each event to the first handler of that provider that accepts its
 * type, in the order the registry found them (see EventHandlerRegistry). Throw PermanentError for
 * failures that retrying cannot fix.
 */
export interface WebhookEventHandler {
  readonly name: string;
  readonly provider: string;
  handles(eventType: string): boolean;
  handle(event: WebhookEvent, attempt: number, options?: HandleOptions): Promise<HandlerOutcome | void>;
}

/** Marks a provider as a WebhookEventHandler, for EventHandlerRegistry to register at boot. */
export const WebhookEventHandler = providerMarker<WebhookEventHandler>();
