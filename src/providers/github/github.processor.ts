import { WebhookEventProcessor, WebhookProcessor } from '../../core/processing/webhook-event.processor.js';
import { GITHUB } from './github-webhook.provider.js';

@WebhookProcessor(GITHUB)
export class GithubProcessor extends WebhookEventProcessor {}
