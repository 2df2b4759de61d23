import { Inject, Injectable } from '@nestjs/common';
import type { WebhookEvent } from '../../generated/prisma/client.js';
import { WebResearchConnector, type WebResearch } from '../../connectors/web-research/web-research.connector.js';
import { ActionService, ExactlyOnceStep, type AskAgent, type HandleOptions, type HandlerOutcome, WebhookEventHandler } from '../../core/index.js';
import { readLead, type Lead } from './typeform-answers.js';
import { CREATE_DEAL_TOOL, POST_SLACK_TOOL, TypeformLeadQualificationAgent, type LeadVerdict } from './typeform-lead-qualification.agent.js';
import type { TypeformPayload } from './typeform-payload.schema.js';
import { TYPEFORM } from './typeform-webhook.provider.js';
import { TypeformConfig } from './typeform.config.js';

/** Thrown inside a step's `produce` when the verdict calls for no action: nothing is recorded as an action. */
class NoAction extends Error {
  constructor(readonly verdict: LeadVerdict) {
    super('no action for this lead');
  }
}

/**
 * Qualifies the lead of a `form_response`: research the company website (SSRF-guarded), ask the
 * agent for a verdict against LEAD_ICP, and for a qualified lead with high or medium fit create one
 * HubSpot deal (contact upserted by e-mail) and post the suggested opener to SALES_SLACK_CHANNEL.
 * Each side effect is an exactly-once step keyed by the form response (form id + response token),
 * so retries, redeliveries and copies of the response act once; the HubSpot create carries its key
 * and a retried create looks for it before creating (see the HubSpot connector).
 */
@Injectable()
@WebhookEventHandler()
export class TypeformLeadQualificationHandler implements WebhookEventHandler {
  readonly name = 'typeform-lead-qualification';
  readonly provider = TYPEFORM;

  constructor(
    @Inject(TypeformConfig) private readonly config: TypeformConfig,
    private readonly agent: TypeformLeadQualificationAgent,
    private readonly step: ExactlyOnceStep,
    private readonly actions: ActionService,
    private readonly research: WebResearchConnector,
  ) {}

  handles(eventType: string): boolean {
    return eventType === 'form_response';
  }

  async handle(event: WebhookEvent, _attempt: number, options: HandleOptions = {}): Promise<HandlerOutcome> {
    const response = (event.payload as unknown as TypeformPayload).form_response!;
    const lead = readLead(response, this.config);
    if (!lead.email) return { status: 'ignored', reason: `form response without an e-mail (ref "${this.config.TYPEFORM_EMAIL_REF}")` };
    if (!this.config.LEAD_ICP) return { status: 'ignored', reason: 'LEAD_ICP is not set: the lead is recorded, not qualified' };

    const key = `typeform-lead-qualification:${response.form_id}:${response.token}`;
    const alreadyDone = `form response ${response.token} was already qualified`;
    // The verdict is asked for once per attempt; a later step of the same attempt reuses it.
    let verdict: LeadVerdict | undefined;
    const verdictFrom = async (ask: AskAgent<LeadVerdict>) => {
      if (!verdict) {
        const research = await this.researchOf(lead);
        verdict = await ask(this.agent.task(lead, research), this.agent.data(lead, research));
      }
      if (!acts(verdict)) throw new NoAction(verdict);
      return verdict;
    };

    let deal: DealArguments | undefined;
    try {
      const created = await this.step.run({
        event,
        options,
        key: `${key}:deal`,
        agent: this.agent.definition,
        tool: CREATE_DEAL_TOOL,
        label: 'creating the HubSpot deal',
        alreadyDone,
        produce: async (ask) => (deal = this.dealArguments(lead, await verdictFrom(ask))),
      });
      if (created.status === 'ignored' || !this.config.SALES_SLACK_CHANNEL) return created;
      return await this.step.run({
        event,
        options,
        key: `${key}:slack`,
        agent: this.agent.definition,
        tool: POST_SLACK_TOOL,
        label: 'posting the lead to Slack',
        alreadyDone,
        // The message is made from the deal: from this attempt's, or, when an earlier attempt made
        // the deal and died before the message, from the deal action's stored arguments (the model
        // is not asked again). Asked only if neither exists (a replay that dropped the deal).
        produce: async (ask) => {
          deal ??= ((await this.actions.findByKey(`${key}:deal`))?.arguments as DealArguments | undefined) ?? this.dealArguments(lead, await verdictFrom(ask));
          return { channel: this.config.SALES_SLACK_CHANNEL, text: slackText(lead, deal) };
        },
      });
    } catch (err) {
      if (!(err instanceof NoAction)) throw err;
      const v = err.verdict;
      // The verdict itself is stored on the agent run (agent_runs.answer); the reason says it too.
      return { status: 'ignored', reason: `${v.qualified ? 'qualified' : 'not qualified'}, ICP fit ${v.icp_fit}, ${v.company_size}: no action. ${v.reason}`.slice(0, 1000) };
    }
  }

  private async researchOf(lead: Lead): Promise<WebResearch> {
    if (!lead.website) return { available: false, url: '', reason: 'the form gave no website' };
    return this.research.research(lead.website);
  }

  private dealArguments(lead: Lead, v: LeadVerdict): DealArguments {
    const company = lead.company ?? lead.email!.split('@')[1];
    return {
      name: `${company} – inbound lead`.slice(0, 255),
      stage: this.config.LEAD_DEAL_STAGE,
      pipeline: this.config.LEAD_DEAL_PIPELINE,
      // Money comes from the form (code), never from the model.
      ...(lead.budget !== undefined ? { amount: lead.budget } : {}),
      contact_email: lead.email,
      ...(lead.company ? { contact_company: lead.company.slice(0, 255) } : {}),
      ...(lead.website ? { contact_website: lead.website.slice(0, 500) } : {}),
      description: [
        `ICP fit: ${v.icp_fit} (${v.company_size}).`,
        `Reason: ${v.reason}`,
        `Use case: ${lead.useCase ?? '(not given)'}`,
        `Suggested opener: ${v.outreach_angle}`,
        'Qualified by an AI agent (Hookwise); it can be wrong.',
      ].join('\n'),
    };
  }
}

/** create_hubspot_deal's arguments for a lead. */
interface DealArguments {
  name: string;
  stage: string;
  pipeline: string;
  amount?: number;
  contact_email?: string;
  contact_company?: string;
  contact_website?: string;
  description: string;
}

/** Only a qualified lead with high or medium fit gets a deal and a Slack message. */
function acts(v: LeadVerdict): boolean {
  return v.qualified && (v.icp_fit === 'high' || v.icp_fit === 'medium');
}

/** Slack's control characters escaped, so form answers and model prose cannot mention @channel, users or smuggle links. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The Slack message: who, then the deal's description (fit, reason, use case, opener), escaped. */
export function slackText(lead: Lead, deal: Pick<DealArguments, 'name' | 'description'>): string {
  const who = `${slackEscape(lead.company ?? '(company not given)')} (${slackEscape(lead.email!)})`;
  return [`*New qualified lead:* ${who}. HubSpot deal: ${slackEscape(deal.name)}.`, slackEscape(deal.description)].join('\n');
}
