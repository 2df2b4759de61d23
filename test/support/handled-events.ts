import type { INestApplicationContext } from '@nestjs/common';
import { EventHandlerRegistry } from '../../src/core/processing/event-handler.registry.js';

/**
 * Registers a GitHub handler for `eventType` in `app` that records the id of every event it
 * handles, and returns that list (one entry per call: a duplicate run shows as a repeated id).
 */
export function recordHandledEvents(app: INestApplicationContext, name: string, eventType = 'issues.opened'): string[] {
  const handled: string[] = [];
  app.get(EventHandlerRegistry).register({
    name,
    provider: 'github',
    handles: (type) => type === eventType,
    handle: async (event) => {
      handled.push(event.id);
    },
  });
  return handled;
}
