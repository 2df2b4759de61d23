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
const ACTION_KEY = /^hookwise[0-9a-f]{32}$/;
const PROPERTY_SETUP = [
  'GET /crm/v3/properties/deals/hookwise_action_key',
  'POST /crm/v3/properties/deals',
];
const routes = (requests: FakeHubSpotApi['requests']) => requests.map((r) => `${r.method} ${r.path}`);

describe('create_hubspot_deal (@hubspot/api-client → HUBSPOT_API_URL)', () => {
  let hubspot: FakeHubSpotApi;
  let tool: CreateHubSpotDealTool;

  beforeAll(async () => {
    hubspot = await FakeHubSpotApi.start(TOKEN);
  });
  afterAll(() => hubspot.stop());
  // A new portal and a new process each time: the property check is made once per process.
  beforeEach(() => {
    hubspot.reset();
    hubspot.dealProperties.clear();
    tool = new CreateHubSpotDealTool(hubspotConnector({ HUBSPOT_TOKEN: TOKEN, HUBSPOT_API_URL: hubspot.apiUrl }));
  });

  it('creates the action-key property (unique values) once, then the deal with the bearer token, the deal properties and the action key', async () => {
    const result = await tool.execute({ name: 'Acme – Enterprise plan', amount: 11800.5, stage: 'appointmentscheduled' }, context);

    expect(routes(hubspot.requests)).toEqual([...PROPERTY_SETUP, 'POST /crm/v3/objects/deals']);
    expect(hubspot.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(JSON.parse(hubspot.requests[1].body)).toEqual({
      name: 'hookwise_action_key',
      label: 'Hookwise action key',
      description: expect.stringContaining('retried action finds its deal'),
      groupName: 'dealinformation',
      type: 'string',
      fieldType: 'text',
      hasUniqueValue: true,
      formField: false,
    });
    expect(JSON.parse(hubspot.requests[2].body)).toEqual({
      properties: {
        dealname: 'Acme – Enterprise plan',
        amount: '11800.5',
        dealstage: 'appointmentscheduled',
        pipeline: 'default',
        hookwise_action_key: expect.stringMatching(ACTION_KEY),
      },
      associations: [],
    });
    expect(result).toEqual({ id: hubspot.deals[0].id, name: 'Acme – Enterprise plan', stage: 'appointmentscheduled', already_existed: false });
    expect(tool.externalIds(result)).toEqual([`hubspot:deal:${hubspot.deals[0].id}`]);

    // The same process does not check again; a portal that already has the property is only read.
    hubspot.requests.length = 0;
    await tool.execute({ name: 'Second', stage: 'appointmentscheduled' }, { eventId: 'evt_4', idempotencyKey: 'evt_4.deal' });
    expect(routes(hubspot.requests)).toEqual(['POST /crm/v3/objects/deals']);
    hubspot.requests.length = 0;
    const restarted = new CreateHubSpotDealTool(hubspotConnector({ HUBSPOT_TOKEN: TOKEN, HUBSPOT_API_URL: hubspot.apiUrl }));
    await restarted.execute({ name: 'Third', stage: 'appointmentscheduled' }, { eventId: 'evt_5', idempotencyKey: 'evt_5.deal' });
    expect(routes(hubspot.requests)).toEqual(['GET /crm/v3/properties/deals/hookwise_action_key', 'POST /crm/v3/objects/deals']);
    expect(hubspot.dealProperties.size).toBe(1);
  });

  it('a retried create reads the deal an earlier attempt created by its action key (idProperty, not search) instead of creating another', async () => {
    // Search finds nothing for a minute, as HubSpot's index right after a write: the retry must not depend on it.
    hubspot.searchLagMs = 60_000;
    const deal = { name: 'Acme – Enterprise plan', amount: 11800.5, stage: 'appointmentscheduled' };
    const first = await tool.execute(deal, context);
    hubspot.requests.length = 0;
    const again = await tool.execute(deal, { ...context, retried: true });

    expect(again).toEqual({ id: first.id, name: deal.name, stage: deal.stage, already_existed: true });
    expect(hubspot.deals).toHaveLength(1);
    const key = hubspot.deals[0].properties.hookwise_action_key;
    expect(key).toMatch(ACTION_KEY);
    expect(routes(hubspot.requests)).toEqual([`GET /crm/v3/objects/deals/${key}`]);
    expect(hubspot.requests[0].query.get('idProperty')).toBe('hookwise_action_key');
  });

  it('a create that meets the deal of an earlier attempt (409: the action key is unique) returns that deal: one deal', async () => {
    hubspot.searchLagMs = Number.POSITIVE_INFINITY;
    hubspot.failAfterCreate = 1;
    const deal = { name: 'Acme', amount: 10, stage: 'appointmentscheduled', contact_email: 'conflict@acme.example' };
    expect(await rejectionOf(tool.execute(deal, context))).not.toBeInstanceOf(PermanentError);
    expect(hubspot.deals).toHaveLength(1);
    hubspot.requests.length = 0;

    // Run again without the retried flag (no look first): HubSpot refuses the second deal with 409, and the first is read.
    const again = await tool.execute(deal, context);
    expect(again).toEqual({
      id: hubspot.deals[0].id,
      name: 'Acme',
      stage: 'appointmentscheduled',
      contact_id: hubspot.contacts[0].id,
      contact_created: false,
      already_existed: true,
    });
    expect(hubspot.deals).toHaveLength(1);
    const key = hubspot.deals[0].properties.hookwise_action_key;
    // The contact search lags too: the contact is found through its own 409 ("Existing ID").
    expect(routes(hubspot.requests)).toEqual([
      'POST /crm/v3/objects/contacts/search',
      'POST /crm/v3/objects/contacts',
      'POST /crm/v3/objects/deals',
      `GET /crm/v3/objects/deals/${key}`,
    ]);
  });

  it('a 409 on create with no deal under the key is not taken for the earlier deal: the create fails (permanently; transiently when the read fails)', async () => {
    await tool.execute({ name: 'Warm-up', stage: 'closedwon' }, { eventId: 'evt_0', idempotencyKey: 'warm-up' });
    hubspot.answer((req) =>
      req.method === 'POST'
        ? { status: 409, body: { status: 'error', message: 'Conflict', category: 'CONFLICT' } }
        : { status: 404, body: { status: 'error', message: 'Object not found.', category: 'OBJECT_NOT_FOUND' } },
    );
    const err = await rejectionOf(tool.execute({ name: 'Acme', stage: 'closedwon' }, context));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.message).toBe('hubspot: deal create failed: HTTP 409 CONFLICT: Conflict');

    // The read itself failing (HubSpot down for it) is transient, not the 409's permanent refusal.
    hubspot.answer((req) =>
      req.method === 'POST'
        ? { status: 409, body: { status: 'error', message: 'Conflict', category: 'CONFLICT' } }
        : { status: 503, body: { status: 'error', message: 'Service unavailable', category: 'SERVICE_UNAVAILABLE' } },
    );
    const unread = await rejectionOf(tool.execute({ name: 'Acme', stage: 'closedwon' }, context));
    expect(unread).not.toBeInstanceOf(PermanentError);
    expect(unread.message).toBe('hubspot: deal create failed: HTTP 503 SERVICE_UNAVAILABLE: Service unavailable');
  });

  it('a portal where the property cannot be made ready fails permanently, naming the setup step, and creates no deal', async () => {
    hubspot.propertyCreateForbidden = true;
    const forbidden = await rejectionOf(tool.execute({ name: 'Acme', stage: 'closedwon' }, context));
    expect(forbidden).toBeInstanceOf(PermanentError);
    expect(forbidden.message).toMatch(/^hubspot: the deal property hookwise_action_key is missing and this token may not create it \(HTTP 403\): create the deal property once/);
    expect(forbidden.message).toContain('crm.schemas.deals.write');

    hubspot.propertyCreateForbidden = false;
    hubspot.dealProperties.set('hookwise_action_key', { name: 'hookwise_action_key', hasUniqueValue: false });
    const notUnique = await rejectionOf(tool.execute({ name: 'Acme', stage: 'closedwon' }, context));
    expect(notUnique).toBeInstanceOf(PermanentError);
    expect(notUnique.message).toMatch(/^hubspot: the deal property hookwise_action_key exists without unique values/);
    expect(hubspot.deals).toEqual([]);
    expect(routes(hubspot.requests).filter((r) => r === 'POST /crm/v3/objects/deals')).toEqual([]);

    // Fixed in the portal: the next action checks again (a failed check is not remembered).
    hubspot.dealProperties.set('hookwise_action_key', { name: 'hookwise_action_key', hasUniqueValue: true });
    expect(await tool.execute({ name: 'Acme', stage: 'closedwon' }, context)).toMatchObject({ already_existed: false });
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

    const result = await tool.execute(
      { name: 'Upsell', amount: 500, stage: 'qualifiedtobuy', pipeline: 'sales2', contact_email: 'lead@prospect.test' },
      { ...context, idempotencyKey: 'upsell' },
    );

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
    expect(JSON.parse(hubspot.requests.find((r) => r.path === '/crm/v3/objects/contacts')!.body)).toEqual({ properties: { email: 'new@prospect.test' }, associations: [] });

    // Search lags behind writes in HubSpot: the contact exists but is not found yet.
    hubspot.requests.length = 0;
    const existingId = hubspot.contacts[0].id;
    hubspot.searchLagMs = Number.POSITIVE_INFINITY;
    const again = await tool.execute({ name: 'Again', amount: 1, stage: 'appointmentscheduled', contact_email: 'new@prospect.test' }, { ...context, idempotencyKey: 'again' });
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
    expect(deal.properties.description).toBe('Fit: high.\nReason: matches the ICP.');
    expect(first).toMatchObject({ contact_created: true });

    const again = await tool.execute({ ...args, name: 'Second', contact_company: 'Acme Robotics GmbH' }, { ...context, idempotencyKey: 'other' });
    expect(again).toMatchObject({ contact_id: first.contact_id, contact_created: false });
    expect(hubspot.contacts).toHaveLength(1);
    expect(hubspot.contacts[0].properties.company).toBe('Acme Robotics GmbH');
    expect(hubspot.requests.map((r) => `${r.method} ${r.path}`)).toContain(`PATCH /crm/v3/objects/contacts/${first.contact_id}`);
  });

  it('a create whose answer was lost after HubSpot carried it out fails as transient, and its retry finds the deal: one deal', async () => {
    hubspot.searchLagMs = Number.POSITIVE_INFINITY;
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
    expect(auth.message).toBe('hubspot: deal property check failed: HTTP 401 INVALID_AUTHENTICATION: Authentication credentials not found.');

    // The property check has been made: what follows is about the deal create.
    await tool.execute({ name: 'Warm-up', stage: 'closedwon' }, { eventId: 'evt_0', idempotencyKey: 'warm-up' });
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
    expect(err.message).toMatch(/^hubspot: deal property check failed/);
    expect(err.message).not.toContain(TOKEN);
  });

  it('is unavailable without HUBSPOT_TOKEN', () => {
    expect(new CreateHubSpotDealTool(hubspotConnector({})).unavailableReason()).toBe('HUBSPOT_TOKEN is not set');
  });
});
