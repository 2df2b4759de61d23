'use strict';
// <name>-ingest.e2e-spec.ts: the provider end to end against a real app (PostgreSQL, the queue) and
// the local Anthropic stand-in: signed 202 and handled by its agent, redelivery 200 duplicate,
// forged 401, and the refusals its options imply.

module.exports = function e2eSpec(model) {
  const s = model.signature;
  const P = model.pascal;
  const c = model.camel;
  const standard = s.scheme === 'standard-webhooks';
  const timestamped = s.scheme !== 'hmac';
  const tolerance = s.scheme === 'timestamped-hmac' ? s.tolerance : 300;
  const secret = `TEST_${model.constant}_SECRET`;
  const other = standard ? "`whsec_${Buffer.from('a secret nobody configured here').toString('base64')}`" : "'a-secret-nobody-configured-here'";
  const previous = standard ? "`whsec_${Buffer.from('the previous secret, rotated out').toString('base64')}`" : "'the-previous-secret'";
  const signatureHeader = standard ? 'webhook-signature' : s.header.key;
  const tests = [];
  tests.push(`  it('records a signed ${model.sampleEvent} (202), asks its agent once, and answers a redelivery 200 duplicate', async () => {
    const delivery = ${c}Delivery();
    const first = await post${P}(t.url, delivery);
    expect(first.status).toBe(202);
    const event = await eventSettled(t.prisma, first.body!.id as string);
    expect(event).toMatchObject({ provider: '${model.name}', deliveryId: delivery.deliveryId, eventType: '${model.sampleEvent}', status: 'SUCCEEDED' });
    expect(event.headers).not.toHaveProperty('${signatureHeader}');

    expect(anthropic.requests).toHaveLength(1);
    expect(JSON.stringify(anthropic.requests[0].body.messages)).toContain(delivery.marker);
    const runs = await t.prisma.agentRun.findMany({ where: { eventId: event.id } });
    expect(runs).toMatchObject([{ agent: '${model.name}-event', status: 'SUCCEEDED', answer: ANSWER }]);

    const again = await post${P}(t.url, delivery);
    expect(again).toMatchObject({ status: 200, body: { id: event.id, status: 'duplicate' } });
    expect(await t.prisma.webhookEvent.count()).toBe(1);
    expect(anthropic.requests).toHaveLength(1);
  });`);
  tests.push(`  it('refuses a delivery signed with another secret (401 signature_mismatch) and stores nothing', async () => {
    const forged = await post${P}(t.url, ${c}Delivery({ secret: OTHER_SECRET }));
    expect(forged).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });`);
  if (timestamped) {
    tests.push(`  it('refuses a signature whose timestamp is more than ${tolerance} s from now (401), either way', async () => {
    for (const offset of [-${tolerance + 60}_000, ${tolerance + 60}_000]) {
      const stale = await post${P}(t.url, ${c}Delivery({ timestamp: new Date(Date.now() + offset) }));
      expect(stale).toMatchObject({ status: 401, body: { error: 'timestamp_out_of_tolerance' } });
    }
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });`);
  }
  tests.push(`  it('refuses (400) a delivery without its event type', async () => {
    const response = await post${P}(t.url, ${c}Delivery({ type: '' }));
    expect(response.status).toBe(400);
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });`);
  if (model.events.length) {
    tests.push(`  it('records an event type it has no handler for IGNORED, without asking the agent', async () => {
    const response = await post${P}(t.url, ${c}Delivery({ type: 'example.unhandled' }));
    expect(response.status).toBe(202);
    const event = await eventSettled(t.prisma, response.body!.id as string);
    expect(event).toMatchObject({ eventType: 'example.unhandled', status: 'IGNORED' });
    expect(anthropic.requests).toHaveLength(0);
  });`);
  }
  return `import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventSettled } from '../../../test/support/event-settled.js';
import { endTurn, FakeAnthropic, outputSchemaOf } from '../../../test/support/fake-anthropic.js';
import { resetLedger, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { ${c}Delivery, post${P}, ${secret} } from './testing/${model.name}-deliveries.js';

const PREVIOUS_SECRET = ${previous};
const OTHER_SECRET = ${other};
const ANSWER = { summary: 'A ${model.sampleEvent} event, nothing unusual in it.', needs_attention: false };

describe('${model.title} provider, end to end (signed as ${model.title} signs → ledger → queue → its agent)', () => {
  let t: TestApp;
  let anthropic: FakeAnthropic;

  beforeAll(async () => {
    anthropic = await FakeAnthropic.start();
    // Two secrets, as during a rotation: the deliveries are signed with the second.
    t = await startTestApp({ ${model.secretVariable}: \`\${PREVIOUS_SECRET},\${${secret}}\`, ANTHROPIC_API_KEY: 'sk-ant-test-${model.name}', ANTHROPIC_BASE_URL: anthropic.url });
  });
  afterAll(async () => {
    await t?.close();
    await anthropic?.close();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
    anthropic.reset();
    // A model that answers in the requested output schema only.
    anthropic.fallback = (request) => (outputSchemaOf(request) ? endTurn(JSON.stringify(ANSWER)) : endTurn('prose, not the answer asked for'));
  });

${tests.join('\n\n')}
});
`;
};
