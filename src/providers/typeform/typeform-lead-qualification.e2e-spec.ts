import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeHubSpotApi } from '../../connectors/hubspot/testing/fake-hubspot-api.js';
import { FakeSlackApi } from '../../connectors/slack/testing/fake-slack-api.js';
import { LocalSite } from '../../connectors/web-research/testing/local-site.js';
import { eventSettled } from '../../../test/support/event-settled.js';
import { endTurn, FakeAnthropic, outputSchemaOf, type ReceivedMessagesRequest } from '../../../test/support/fake-anthropic.js';
import { capturedLogLines } from '../../../test/support/log-capture.js';
import { resetLedger, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { formResponse, postTypeform, TEST_TYPEFORM_SECRET, typeformDelivery, type LeadAnswers } from './testing/typeform-deliveries.js';

const ANTHROPIC_KEY = 'sk-ant-test-typeform-key';
const HUBSPOT_TOKEN = 'pat-na1-typeform-test-token-0000';
const SLACK_TOKEN = 'xoxb-typeform-test-token';
const ICP = 'B2B SaaS companies of 50-2000 employees that run webhooks in production.';
const QUALIFIED = {
  qualified: true,
  company_size: 'mid-market',
  icp_fit: 'high',
  reason: 'Mid-market logistics SaaS with 1,200 employees; Stripe and GitHub webhooks in production.',
  outreach_angle: 'Saw you route Stripe and GitHub webhooks by hand <!channel> - want to see agents handle them?',
};
const UNQUALIFIED = { qualified: false, company_size: 'startup', icp_fit: 'low', reason: 'A two-person agency with no webhooks.', outreach_angle: 'n/a' };

/** The text of the last user message of a Messages request (task and data blocks). */
const userText = (request: ReceivedMessagesRequest) =>
  JSON.stringify(request.body.messages.filter((m) => m.role === 'user').map((m) => m.content));

describe('Typeform lead qualification, end to end (signed form_response → research → Claude → one deal, one Slack message)', () => {
  let t: TestApp;
  let anthropic: FakeAnthropic;
  let hubspot: FakeHubSpotApi;
  let slack: FakeSlackApi;
  let site: LocalSite;

  async function deliver(lead: LeadAnswers) {
    const payload = formResponse(lead);
    const response = await postTypeform(t.url, typeformDelivery(payload));
    expect(response.status).toBe(202);
    return { id: response.body!.id as string, payload };
  }

  beforeAll(async () => {
    [anthropic, hubspot, slack, site] = await Promise.all([FakeAnthropic.start(), FakeHubSpotApi.start(HUBSPOT_TOKEN), FakeSlackApi.start(), LocalSite.start()]);
    t = await startTestApp({
      TYPEFORM_WEBHOOK_SECRET: `old-secret,${TEST_TYPEFORM_SECRET}`,
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: anthropic.url,
      HUBSPOT_TOKEN,
      HUBSPOT_API_URL: hubspot.apiUrl,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      LEAD_ICP: ICP,
      SALES_SLACK_CHANNEL: '#sales-leads',
      LEAD_DEAL_STAGE: 'qualifiedtobuy',
      JOB_ATTEMPTS: '3',
    });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([anthropic?.close(), hubspot?.stop(), slack?.stop(), site?.close()]);
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
    anthropic.reset();
    hubspot.reset();
    slack.reset();
    anthropic.fallback = (request) => (outputSchemaOf(request) ? endTurn(JSON.stringify(QUALIFIED)) : endTurn('prose, no schema'));
  });

  const lead: LeadAnswers = {
    email: 'Dana@Acme-Robotics.example',
    company: 'Acme Robotics',
    useCase: 'Route Stripe and GitHub webhooks to agents',
    budget: 24000,
  };

  it('a qualified lead: one HubSpot deal with its contact, one Slack message with the opener; verdict by structured output', async () => {
    // The website is on this machine's loopback: the app's research refuses it (no test allowance in the app).
    const { id } = await deliver({ ...lead, website: `${site.url}/` });
    const event = await eventSettled(t.prisma, id);
    expect(event).toMatchObject({ status: 'SUCCEEDED', subject: 'dana@acme-robotics.example', eventType: 'form_response' });
    expect(site.hits).toEqual([]);

    expect(anthropic.requests).toHaveLength(1);
    const [ask] = anthropic.requests;
    expect(outputSchemaOf(ask)).toMatchObject({ properties: { qualified: {}, company_size: {}, icp_fit: {}, reason: {}, outreach_angle: {} } });
    expect(ask.body.system?.map((s) => s.text).join('\n')).toContain(ICP);
    expect(userText(ask)).toContain('Research of the company website was unavailable');
    expect(userText(ask)).toContain('127.0.0.1 is a loopback address');
    expect(userText(ask)).toContain('untrusted_data');
    expect(ask.body.tools ?? []).toEqual([]);

    expect(hubspot.deals).toHaveLength(1);
    const deal = hubspot.deals[0].properties;
    expect(deal).toMatchObject({ dealname: 'Acme Robotics – inbound lead', amount: '24000', dealstage: 'qualifiedtobuy', pipeline: 'default' });
    expect(deal.description).toContain('ICP fit: high (mid-market).');
    expect(deal.description).toContain(`Reason: ${QUALIFIED.reason}`);
    expect(deal.description).toContain('Use case: Route Stripe and GitHub webhooks to agents');
    expect(deal.hookwise_action_key).toMatch(/^hookwise[0-9a-f]{32}$/);
    expect(hubspot.contacts).toEqual([expect.objectContaining({ properties: expect.objectContaining({ email: 'dana@acme-robotics.example', company: 'Acme Robotics' }) })]);
    expect(hubspot.deals[0].associations).toEqual([{ to: { id: hubspot.contacts[0].id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] }]);

    const posts = slack.requests.filter((r) => r.path === '/api/chat.postMessage');
    expect(posts).toHaveLength(1);
    const { channel, text } = FakeSlackApi.fields(posts[0]);
    expect(channel).toBe('#sales-leads');
    expect(text).toContain('*New qualified lead:* Acme Robotics (dana@acme-robotics.example). HubSpot deal: Acme Robotics – inbound lead.\nICP fit: high (mid-market).');
    expect(text).toContain(`Reason: ${QUALIFIED.reason}`);
    // The model's prose is escaped: no @channel mention reaches Slack.
    expect(text).toContain('Suggested opener: Saw you route Stripe and GitHub webhooks by hand &lt;!channel&gt; - want');
    expect(text).not.toContain('<!channel>');

    const actions = await t.prisma.agentAction.findMany({ where: { eventId: id }, orderBy: { createdAt: 'asc' } });
    expect(actions.map((a) => [a.tool, a.status])).toEqual([
      ['create_hubspot_deal', 'EXECUTED'],
      ['post_slack_message', 'EXECUTED'],
    ]);
    const run = await t.prisma.agentRun.findFirstOrThrow({ where: { eventId: id } });
    expect(run).toMatchObject({ agent: 'typeform-lead-qualification', status: 'SUCCEEDED', answer: QUALIFIED });

    const logs = capturedLogLines.join('\n');
    for (const secret of [ANTHROPIC_KEY, HUBSPOT_TOKEN, SLACK_TOKEN, TEST_TYPEFORM_SECRET]) expect(logs).not.toContain(secret);
  });

  it('an unqualified lead is recorded with its verdict and gets no deal and no message', async () => {
    anthropic.fallback = (request) => endTurn(JSON.stringify(outputSchemaOf(request) ? UNQUALIFIED : {}));
    const { id } = await deliver({ ...lead, budget: undefined });
    const event = await eventSettled(t.prisma, id);
    expect(event.status).toBe('IGNORED');
    expect(event.statusReason).toBe(`not qualified, ICP fit low, startup: no action. ${UNQUALIFIED.reason}`);
    expect(await t.prisma.agentRun.findFirstOrThrow({ where: { eventId: id } })).toMatchObject({ status: 'SUCCEEDED', answer: UNQUALIFIED });
    expect(hubspot.requests).toEqual([]);
    expect(slack.requests).toEqual([]);
    expect(await t.prisma.agentAction.count({ where: { eventId: id } })).toBe(0);
  });

  it('a qualified lead with low fit gets no action either', async () => {
    anthropic.fallback = () => endTurn(JSON.stringify({ ...QUALIFIED, icp_fit: 'low' }));
    const { id } = await deliver(lead);
    expect(await eventSettled(t.prisma, id)).toMatchObject({ status: 'IGNORED', statusReason: expect.stringMatching(/^qualified, ICP fit low/) });
    expect(hubspot.deals).toEqual([]);
    expect(slack.requests).toEqual([]);
  });

  it('a HubSpot create whose answer is lost after the deal was made, then retried: exactly one deal, one message', async () => {
    // Simulated in the stand-in (the deal is stored, the answer is a 502), not by killing a worker.
    // HubSpot's search does not see the deal yet: the retry must read it by its action key.
    hubspot.searchLagMs = Number.POSITIVE_INFINITY;
    hubspot.failAfterCreate = 1;
    const { id } = await deliver(lead);
    const event = await eventSettled(t.prisma, id);
    expect(event).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(hubspot.deals).toHaveLength(1);
    expect(hubspot.requests.filter((r) => r.path === '/crm/v3/objects/deals/search')).toEqual([]);
    const key = hubspot.deals[0].properties.hookwise_action_key;
    expect(hubspot.requests.filter((r) => r.path === `/crm/v3/objects/deals/${key}` && r.query.get('idProperty') === 'hookwise_action_key')).toHaveLength(1);
    expect(slack.requests.filter((r) => r.path === '/api/chat.postMessage')).toHaveLength(1);
    const deal = await t.prisma.agentAction.findFirstOrThrow({ where: { eventId: id, tool: 'create_hubspot_deal' } });
    expect(deal).toMatchObject({ status: 'EXECUTED', result: { id: hubspot.deals[0].id, already_existed: true } });
    // The retry acted from the stored deal: the model was asked once, and the message says what the deal says.
    expect(anthropic.requests).toHaveLength(1);
    expect(FakeSlackApi.fields(slack.requests.find((r) => r.path === '/api/chat.postMessage')!).text).toContain(`Reason: ${QUALIFIED.reason}`);
  });

  it('the same response delivered again (same event_id) is a duplicate; a copy under a new event_id acts no more', async () => {
    const payload = formResponse(lead);
    const first = await postTypeform(t.url, typeformDelivery(payload));
    await eventSettled(t.prisma, first.body!.id as string);
    const again = await postTypeform(t.url, typeformDelivery(payload));
    expect(again).toMatchObject({ status: 200, body: { id: first.body!.id, status: 'duplicate' } });

    const copy = await postTypeform(t.url, typeformDelivery({ ...payload, event_id: `${payload.event_id}X` }));
    expect(await eventSettled(t.prisma, copy.body!.id as string)).toMatchObject({ status: 'IGNORED', statusReason: expect.stringContaining('was already qualified') });
    expect(hubspot.deals).toHaveLength(1);
    expect(slack.requests.filter((r) => r.path === '/api/chat.postMessage')).toHaveLength(1);
  });

  it('a response without an e-mail is recorded IGNORED and never reaches the model', async () => {
    const response = await postTypeform(t.url, typeformDelivery(formResponse({ company: 'Acme' })));
    expect(response.status).toBe(202);
    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: response.body!.id as string } });
    expect(row).toMatchObject({ status: 'IGNORED', subject: null, statusReason: expect.stringContaining('without an e-mail') });
    expect(anthropic.requests).toEqual([]);
  });

  it('refuses a forged or hex-signed delivery with 401 and stores nothing', async () => {
    const payload = formResponse(lead);
    const forged = typeformDelivery(payload, { secret: 'not-the-secret' });
    expect(await postTypeform(t.url, forged)).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
    const hex = typeformDelivery(payload);
    hex.headers['typeform-signature'] = `sha256=${Buffer.from(hex.headers['typeform-signature'].slice(7), 'base64').toString('hex')}`;
    expect(await postTypeform(t.url, hex)).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
    const unsigned = typeformDelivery(payload);
    delete unsigned.headers['typeform-signature'];
    expect(await postTypeform(t.url, unsigned)).toMatchObject({ status: 401, body: { error: 'missing_signature' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });
});
