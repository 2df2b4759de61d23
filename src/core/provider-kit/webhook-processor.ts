import type { Type } from '@nestjs/common';
import { WebhookEventProcessor, WebhookProcessor } from '../processing/webhook-event.processor.js';
import { pascalCase } from '../ingest/pascal-case.js';

/** The BullMQ processor of one provider's queue: the shared WebhookEventProcessor, bound to `webhooks-<provider>`. */
export function webhookProcessor(provider: string): Type<WebhookEventProcessor> {
  const className = `${pascalCase(provider)}Processor`;
  const processor = { [className]: class extends WebhookEventProcessor {} }[className];
  WebhookProcessor(provider)(processor);
  return processor;
}
