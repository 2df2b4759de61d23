import { Processor } from '@nestjs/bullmq';
import { webhookQueueName } from '../../core/queue/queue-names.js';
import { WebhookEventProcessor } from '../../core/queue/webhook-event.processor.js';
import { GITHUB } from './github-webhook.provider.js';

@Processor(webhookQueueName(GITHUB))
export class GithubProcessor extends WebhookEventProcessor {}
