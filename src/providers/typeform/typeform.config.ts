import { IsOptional, IsString, Matches } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';

const REF = /^[A-Za-z0-9_-]{1,100}$/;

/** Settings of the Typeform provider: its webhook secret, how answers map to a lead, and the lead qualification agent. */
@SettingsGroup('Typeform provider', 'Receiving Typeform form responses (Typeform-Signature) and qualifying each lead.')
export class TypeformConfig {
  @Setting({
    secret: true,
    description:
      "The webhook's secret. Comma-separated to accept several during a rotation: new-secret,old-secret. Unset: Typeform deliveries are answered 503 provider_not_configured.",
  })
  @IsOptional()
  @IsString()
  TYPEFORM_WEBHOOK_SECRET?: string;

  @Setting({ section: 'Answer mapping', description: "The `ref` of the field (or the name of the hidden field) holding the respondent's e-mail. A response without it is recorded IGNORED." })
  @Matches(REF)
  TYPEFORM_EMAIL_REF = 'email';

  @Setting({ description: 'The `ref` of the field (or hidden field) holding the company name.' })
  @Matches(REF)
  TYPEFORM_COMPANY_REF = 'company';

  @Setting({ description: "The `ref` of the field (or hidden field) holding the company's website, which the agent researches." })
  @Matches(REF)
  TYPEFORM_WEBSITE_REF = 'website';

  @Setting({ description: 'The `ref` of the field (or hidden field) holding the use case.' })
  @Matches(REF)
  TYPEFORM_USE_CASE_REF = 'use_case';

  @Setting({ description: "The `ref` of the number field (or hidden field) holding the lead's budget: the HubSpot deal's amount. Absent from a response: the deal has no amount." })
  @Matches(REF)
  TYPEFORM_BUDGET_REF = 'budget';

  @Setting({
    section: 'Lead qualification',
    description: 'Your ideal-customer profile, in plain text; every form response is judged against it. Unset: responses are recorded IGNORED, not qualified.',
    example: 'B2B SaaS companies of 50-2000 employees with an engineering team that runs webhooks in production.',
  })
  @IsOptional()
  @IsString()
  LEAD_ICP?: string;

  @Setting({ description: 'Slack channel (ID or #name) the suggested opener of a qualified lead is posted to. Unset: no Slack message.' })
  @IsOptional()
  @IsString()
  SALES_SLACK_CHANNEL?: string;

  @Setting({ description: 'HubSpot pipeline stage id of a qualified lead’s deal.' })
  @Matches(REF)
  LEAD_DEAL_STAGE = 'appointmentscheduled';

  @Setting({ description: 'HubSpot pipeline id of a qualified lead’s deal.' })
  @Matches(REF)
  LEAD_DEAL_PIPELINE = 'default';
}
