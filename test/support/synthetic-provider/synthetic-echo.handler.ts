import { Injectable } from '@nestjs/common';
import type { WebhookEvent } from '../../../src/generated/prisma/client.js';
import { WebhookEventHandler, type HandlerOutcome } from '../../../src/core/processing/event-handler.js';
import { PermanentError } from '../../../src/core/processing/permanent-error.js';
import { SYNTHETIC } from './synthetic-webhook.provider.js';

/**
 * Handles `thing.*` events: remembers every event it handled (a test reads `handled`), fails
 * `thing.broken` permanently, and ignores `thing.skipped` with a reason.
 */
@Injectable()
@WebhookEventHandler()
export class SyntheticEchoHandler implements WebhookEventHandler {
  readonly name = 'synthetic-echo';
  readonly provider = SYNTHETIC;
  readonly handled: string[] = [];

  handles(eventType: string): boolean {
    return eventType.startsWith('thing.');
  }

  async handle(event: WebhookEvent): Promise<HandlerOutcome> {
    if (event.eventType === 'thing.broken') throw new PermanentError('thing.broken cannot be handled');
    if (event.eventType === 'thing.skipped') return { status: 'ignored', reason: 'skipped on purpose' };
    this.handled.push(event.id);
    return { status: 'succeeded' };
  }
}
