import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AgentTool, parseToolArgs, type ToolExecutionContext } from '../../core/index.js';
import { HubSpotConnector, type CreatedHubSpotDeal } from './hubspot.connector.js';

const input = z.strictObject({
  name: z.string().trim().min(1).max(255).describe('Deal name, e.g. "Acme Corp – Enterprise plan".'),
  amount: z.number().nonnegative().max(1e12).optional().describe('Deal value in the portal currency; omitted when unknown.'),
  stage: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'stage is a pipeline stage id such as appointmentscheduled')
    .describe('Internal pipeline stage id, e.g. appointmentscheduled, qualifiedtobuy, closedwon.'),
  pipeline: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/).optional().describe('Pipeline id; defaults to "default".'),
  contact_email: z.email().optional().describe('Associate the deal with this contact, creating the contact if it does not exist.'),
  contact_company: z.string().trim().min(1).max(255).optional().describe("The contact's company name, set on the contact (created or updated)."),
  contact_website: z.string().trim().min(1).max(500).optional().describe("The contact's company website, set on the contact (created or updated)."),
  description: z.string().trim().min(1).max(10_000).optional().describe('Deal description shown in HubSpot.'),
});

/** `create_hubspot_deal`: one deal in HubSpot CRM, optionally linked to a contact. */
@Injectable()
@AgentTool()
export class CreateHubSpotDealTool implements AgentTool<typeof input> {
  readonly name = 'create_hubspot_deal';
  readonly description = 'Create a deal in HubSpot CRM, optionally associated with a contact found (or created) by e-mail.';
  readonly input = input;
  readonly destructive = false;

  constructor(@Inject(HubSpotConnector) private readonly hubspot: HubSpotConnector) {}

  unavailableReason(): string | null {
    return this.hubspot.unavailableReason();
  }

  async execute(args: z.infer<typeof input>, context: ToolExecutionContext): Promise<CreatedHubSpotDeal> {
    const a = parseToolArgs(this.name, input, args);
    return this.hubspot.createDeal(
      {
        name: a.name,
        amount: a.amount,
        stage: a.stage,
        pipeline: a.pipeline ?? 'default',
        contactEmail: a.contact_email,
        contactProperties: { company: a.contact_company, website: a.contact_website },
        description: a.description,
      },
      context,
    );
  }

  externalIds(result: CreatedHubSpotDeal): string[] {
    return result.id ? [`hubspot:deal:${result.id}`] : [];
  }
}
