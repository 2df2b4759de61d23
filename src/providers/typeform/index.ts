import { defineWebhookProvider } from '../../core/index.js';
import { TypeformLeadQualificationAgent } from './typeform-lead-qualification.agent.js';
import { TypeformLeadQualificationHandler } from './typeform-lead-qualification.handler.js';
import { TYPEFORM, TypeformWebhookProvider } from './typeform-webhook.provider.js';
import { TypeformConfig } from './typeform.config.js';

/** Typeform form responses: every lead qualified once, a HubSpot deal and a Slack message for a good one. */
export const typeformProvider = defineWebhookProvider({
  name: TYPEFORM,
  definition: TypeformWebhookProvider,
  handlers: [TypeformLeadQualificationHandler],
  providers: [TypeformLeadQualificationAgent],
  settings: [TypeformConfig],
});
