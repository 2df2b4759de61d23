import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HubSpotConnectorConfig } from './hubspot-connector.config.js';
import { CreateHubSpotDealTool } from './create-hubspot-deal.tool.js';
import { HubSpotConnector } from './hubspot.connector.js';
import { PermanentError } from '../../core/processing/permanent-error.js';
import { RateLimitedError } from '../../core/processing/rate-limited-error.js';
import { FakeHubSpotApi } from './testing/fake-hubspot-api.js';
import { freePort } from '../../../test/support/private-redis.js';
import { rejectionOf } from '../../../test/support/rejection-of.js';
import { connectorFromEnv } from '../../../test/support/connector-from-env.js';

const hubspotConnector = (env: Record<string, string> = {}) => connectorFromEnv(HubSpotConnector, HubSpotConnectorConfig, env);

const TOKEN = 'pat-na1-s3cr3t-0000-hubspot-token';
const context = { eventId: 'evt_3', idempotencyKey: 'evt_3.create_hubspot_deal.77aa' };

describe('create_hubspot_deal (@hubspot/api-client → HUBSPOT_API_URL)', () => {
  let hubspot: FakeHubSpotApi;
  let tool: CreateHubSpotDealTool;

  beforeAll(async () => {
    hubspot = await FakeHubSpotApi.start(TOKEN);
    tool = new CreateHubSpotDealTool(hubspotConnector({ HUBSPOT_TOKEN: TOKEN, HUBSPOT_API_URL: hubspot.apiUrl }));
  });
  afterAll(() => hubspot.stop());
  beforeEach(() => hubspot.reset());

  it('creates the deal with the bearer token and the deal properties', async () => {
    const result = await tool.execute({ name: 'Acme – Enterprise plan', amount: 11800.5, stage: 'appointmentscheduled' }, context);

    expect(hubspot.requests).toHaveLength(1);
    const [request] = hubspot.requests;
    expect(`${request.method} ${request.path}`).toBe('POST /crm/v3/objects/deals');
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(request.body)).toEqual({
      properties: {
        dealname: 'Acme – Enterprise plan',
        amount: '11800.5',
        dealstage: 'appointmentscheduled',
        pipeline: 'default',
        description: expect.stringMatching(/^Created by Hookwise \(action hookwise[0-9a-f]{32}\)\.$/),
      },
      associations: [],
    });
    expect(result).toEqual({ id: hubspot.deals[0].id, name: 'Acme – Enterprise plan', stage: 'appointmentscheduled', already_existed: false });
  });

  it('a retried create finds the deal an earlier attempt created (its key is a word of the description) instead of creating another', async () => {
    const deal = { name: 'Acme – Enterprise plan', amount: 11800.5, stage: 'appointmentscheduled' };
    const first = await tool.execute(deal, context);
    const again = await tool.execute(deal, { ...context, retried: true });

    expect(again).toEqual({ id: first.id, name: deal.name, stage: deal.stage, already_existed: true });
    expect(hubspot.deals).toHaveLength(1);
    expect(hubspot.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /crm/v3/objects/deals', 'POST /crm/v3/objects/deals/search']);
  });

  it('a retried create whose first attempt never reached HubSpot creates the deal once', async () => {
    await tool.execute({ name: 'Other deal', amount: 1, stage: 'closedwon' }, { eventId: 'evt_0', idempotencyKey: 'another-action' });
    const result = await tool.execute({ name: 'Acme', amount: 2, stage: 'closedwon' }, { ...context, retried: true });

    expect(result).toMatchObject({ already_existed: false });
    expect(hubspot.deals).toHaveLength(2);
  });

  it('associates an existing contact found by e-mail', async () => {
    await tool.execute({ name: 'Seed', amount: 1, stage: 'closedwon', contact_email: 'lead@prospect.test' }, context);
    const contactId = hubspot.contacts[0].id;
    hubspot.requests.length = 0;

    const result = await tool.execute({ name: 'Upsell', amount: 500, stage: 'qualifiedtobuy', pipeline: 'sales2', contact_email: 'lead@prospect.test' }, context);

    expect(hubspot.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /crm/v3/objects/contacts/search', 'POST /crm/v3/objects/deals']);
    expect(JSON.parse(hubspot.requests[0].body).filterGroups).toEqual([
      { filters: [{ propertyName: 'email', operator: 'EQ', value: 'lead@prospect.test' }] },
    ]);
    const deal = JSON.parse(hubspot.requests[1].body);
    expect(deal.properties.pipeline).toBe('sales2');
    expect(deal.associations).toEqual([{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] }]);
    expect(result).toMatchObject({ contact_id: contactId, contact_created: false });
    expect(hubspot.contacts).toHaveLength(1);
  });

  it('creates a missing contact, and uses the existing id when HubSpot answers 409', async () => {
    const created = await tool.execute({ name: 'New lead', amount: 0, stage: 'appointmentscheduled', contact_email: 'new@prospect.test' }, context);
    expect(created).toMatchObject({ contact_id: hubspot.contacts[0].id, contact_created: true });
    expect(JSON.parse(hubspot.requests[1].body)).toEqual({ properties: { email: 'new@prospect.test' }, associations: [] });

    // Search lags behind writes in HubSpot: the contact exists but is not found yet.
    hubspot.requests.length = 0;
    const existingId = hubspot.contacts[0].id;
    hubspot.searchLags = true;
    const again = await tool.execute({ name: 'Again', amount: 1, stage: 'appointmentscheduled', contact_email: 'new@prospect.test' }, context);
    expect(again).toMatchObject({ contact_id: existingId, contact_created: false });
    expect(hubspot.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /crm/v3/objects/contacts/search',
      'POST /crm/v3/objects/contacts',
      'POST /crm/v3/objects/deals',
    ]);
  });

  it('a deal without an amount, with a description, and its contact created or updated with company and website', async () => {
    const args = {
      name: 'Acme Robotics – inbound lead',
      stage: 'appointmentscheduled',
      contact_email: 'dana@acme.example',
      contact_company: 'Acme Robotics',
      contact_website: 'https://acme.example',
      description: 'Fit: high.\nReason: matches the ICP.',
    };
    const first = await tool.execute(args, context);
    expect(hubspot.contacts).toEqual([expect.objectContaining({ properties: { email: 'dana@acme.example', company: 'Acme Robotics', website: 'https://acme.example' } })]);
    const deal = JSON.parse(hubspot.requests.at(-1)!.body);
    expect(deal.properties).not.toHaveProperty('amount');
    expect(deal.properties.description).toMatch(/^Fit: high\.\nReason: matches the ICP\.\n\nCreated by Hookwise \(action hookwise[0-9a-f]{32}\)\.$/);
    expect(first).toMatchObject({ contact_created: true });

    const again = await tool.execute({ ...args, name: 'Second', contact_company: 'Acme Robotics GmbH' }, { ...context, idempotencyKey: 'other' });
    expect(again).toMatchObject({ contact_id: first.contact_id, contact_created: false });
    expect(hubspot.contacts).toHaveLength(1);
    expect(hubspot.contacts[0].properties.company).toBe('Acme Robotics GmbH');
    expect(hubspot.requests.map((r) => `${r.method} ${r.path}`)).toContain(`PATCH /crm/v3/objects/contacts/${first.contact_id}`);
  });

  it('a create whose answer was lost after HubSpot carried it out fails as transient, and its retry finds the deal: one deal', async () => {
    hubspot.failAfterCreate = 1;
    const deal = { name: 'Acme', amount: 10, stage: 'appointmentscheduled', contact_email: 'lost@acme.example' };
    const lost = await rejectionOf(tool.execute(deal, context));
    expect(lost).not.toBeInstanceOf(PermanentError);
    expect(hubspot.deals).toHaveLength(1);

    const retried = await tool.execute(deal, { ...context, retried: true });
    expect(retried).toEqual({ id: hubspot.deals[0].id, name: 'Acme', stage: 'appointmentscheduled', already_existed: true });
    expect(hubspot.deals).toHaveLength(1);
  });

  it('rejects bad arguments before any request', async () => {
    const bad = [
      { name: 'x', amount: -1, stage: 'closedwon' },
      { name: 'x', amount: 1, stage: 'closed won; drop' },
      { name: '', amount: 1, stage: 'closedwon' },
      { name: 'x', amount: '100', stage: 'closedwon' },
      { name: 'x', amount: 1, stage: 'closedwon', contact_email: 'nope' },
    ];
    for (const args of bad) await expect(tool.execute(args as never, context)).rejects.toBeInstanceOf(PermanentError);
    expect(hubspot.requests).toHaveLength(0);
  });

  it('classifies failures: 400/401 permanent, 429 rate limited (10 s unless it names a wait), 5xx transient; the token never appears', async () => {
    const wrong = new CreateHubSpotDealTool(hubspotConnector({ HUBSPOT_TOKEN: 'pat-na1-wrong-wrong', HUBSPOT_API_URL: hubspot.apiUrl }));
    const auth = await rejectionOf(wrong.execute({ name: 'x', amount: 1, stage: 'closedwon' }, context));
    expect(auth).toBeInstanceOf(PermanentError);
    expect(auth.message).toBe('hubspot: deal create failed: HTTP 401 INVALID_AUTHENTICATION: Authentication credentials not found.');

    hubspot.answer({ status: 400, body: { status: 'error', message: 'Property values were not valid', category: 'VALIDATION_ERROR' } });
    expect(await rejectionOf(tool.execute({ name: 'x', amount: 1, stage: 'nosuchstage' }, context))).toBeInstanceOf(PermanentError);

    hubspot.answer({ status: 429, body: { status: 'error', message: 'You have reached your secondly limit.', category: 'RATE_LIMITS' } });
    const limited = await rejectionOf(tool.execute({ name: 'x', amount: 1, stage: 'closedwon' }, context));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ retryAfterMs: 10_000, message: 'hubspot: deal create failed: HTTP 429 RATE_LIMITS: You have reached your secondly limit.' });
    hubspot.answer({ status: 429, headers: { 'retry-after': '3' }, body: { status: 'error', message: 'Daily limit.', category: 'RATE_LIMITS' } });
    expect(await rejectionOf(tool.execute({ name: 'x', amount: 1, stage: 'closedwon' }, context))).toMatchObject({ retryAfterMs: 3000 });

    // A server that echoes the request's headers (the client's own error text includes response headers).
    hubspot.answer((req) => ({ status: 502, headers: { 'x-echo': String(req.headers.authorization) }, body: { message: `echo ${String(req.headers.authorization)}` } }));
    const echoed = await rejectionOf(tool.execute({ name: 'x', amount: 1, stage: 'closedwon' }, context));
    expect(echoed).not.toBeInstanceOf(PermanentError);
    expect(echoed.message).toBe('hubspot: deal create failed: HTTP 502 echo Bearer [redacted]');
    expect(echoed.message).not.toContain(TOKEN);
  });

  it('treats an unreachable API as transient', async () => {
    const down = new CreateHubSpotDealTool(hubspotConnector({ HUBSPOT_TOKEN: TOKEN, HUBSPOT_API_URL: `http://127.0.0.1:${await freePort()}` }));
    const err = await rejectionOf(down.execute({ name: 'x', amount: 1, stage: 'closedwon' }, context));
    expect(err).not.toBeInstanceOf(PermanentError);
    expect(err.message).toMatch(/^hubspot: deal create failed/);
    expect(err.message).not.toContain(TOKEN);
  });

  it('is unavailable without HUBSPOT_TOKEN', () => {
    expect(new CreateHubSpotDealTool(hubspotConnector({})).unavailableReason()).toBe('HUBSPOT_TOKEN is not set');
  });
});
