import type { INestApplicationContext } from '@nestjs/common';
import { EventHandlerRegistry } from '../../src/core/processing/event-handler.registry.js';

/**
 * The event type recordHandledEvents listens for unless told otherwise. Not a `thing.*` type: the
 * synthetic provider's own handler (SyntheticEchoHandler) is registered first and takes those.
 */
export const RECORDED_EVENT_TYPE = 'widget.created';

/**
 * Registers a handler in `app` for `eventType` of `provider` (the synthetic test provider unless
 * told otherwise) that records the id of every event it handles, and returns that list (one entry
 * per call: a duplicate run shows as a repeated id).
 */
export function recordHandledEvents(
  app: INestApplicationContext,
  name: string,
  { provider = 'synthetic', eventType = RECORDED_EVENT_TYPE }: { provider?: string; eventType?: string } = {},
): string[] {
  const handled: string[] = [];
  app.get(EventHandlerRegistry).register({
    name,
    provider,
    handles: (type) => type === eventType,
    handle: async (event) => {
      handled.push(event.id);
    },
  });
  return handled;
}
