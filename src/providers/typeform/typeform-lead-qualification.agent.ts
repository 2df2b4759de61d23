import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { AgentDefinition } from '../../core/index.js';
import type { WebResearch } from '../../connectors/web-research/web-research.connector.js';
import type { Lead } from './typeform-answers.js';
import { TypeformConfig } from './typeform.config.js';

// The answer's schema goes to the API as the output format (structured outputs); the descriptions are what the model reads about each field.
const verdict = z.strictObject({
  qualified: z.boolean().describe('Whether the lead is worth a sales conversation, judged against the ideal-customer profile.'),
  company_size: z.enum(['startup', 'smb', 'mid-market', 'enterprise']).describe('Best estimate of the company size from the form and the research.'),
  icp_fit: z.enum(['high', 'medium', 'low']).describe('How well the company matches the ideal-customer profile.'),
  reason: z.string().min(1).max(1000).describe('Why, in two or three sentences, naming the evidence (form answers, website).'),
  outreach_angle: z.string().min(1).max(600).describe('A suggested opening line for the first sales message, specific to this company and use case.'),
});
export type LeadVerdict = z.infer<typeof verdict>;

export const CREATE_DEAL_TOOL = 'create_hubspot_deal';
export const POST_SLACK_TOOL = 'post_slack_message';

/** The lead qualification agent: what Claude is asked about a form response, and the verdict it must give. */
@Injectable()
export class TypeformLeadQualificationAgent {
  readonly definition: AgentDefinition<LeadVerdict>;

  constructor(@Inject(TypeformConfig) config: TypeformConfig) {
    this.definition = {
      name: 'typeform-lead-qualification',
      system: [
        'You qualify inbound sales leads from a website form for a B2B company.',
        'Judge each lead against this ideal-customer profile, written by the sales team:',
        '<ideal_customer_profile>',
        config.LEAD_ICP ?? '(none configured)',
        '</ideal_customer_profile>',
        'Base the verdict on the form answers and, when available, the text of the company website. When research was unavailable, say so in the reason and judge from the form alone.',
        'Be sceptical: a lead is qualified only when the evidence supports it.',
      ].join('\n'),
      tools: [],
      // The deal and the Slack message are made by the handler's exactly-once steps, never by the model itself.
      stepTools: [CREATE_DEAL_TOOL, POST_SLACK_TOOL],
      answer: verdict,
    };
  }

  task(lead: Lead, research: WebResearch): string {
    const researched = research.available
      ? `The company website was read (${research.source}${research.truncated ? ', cut' : ''}); its text is in the research block.`
      : 'Research of the company website was unavailable; the research block says why.';
    return `Qualify the lead who filled in the form (company: given in the form block). ${researched}`;
  }

  /** The untrusted data blocks: the form answers as the respondent gave them, and the website text (or why there is none). */
  data(lead: Lead, research: WebResearch): Record<string, unknown> {
    return {
      form: { email: lead.email, company: lead.company, website: lead.website, use_case: lead.useCase, budget: lead.budget, answers: lead.answers },
      research: research.available ? { url: research.url, truncated: research.truncated, text: research.text } : { unavailable: research.reason, url: research.url },
    };
  }
}
