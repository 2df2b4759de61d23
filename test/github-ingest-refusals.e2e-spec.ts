import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { githubDelivery, githubExample, postGithub } from './support/github-deliveries.js';
import { resetLedger, startTestApp, type TestApp } from './support/test-app.js';

/** Validly signed GitHub deliveries the provider still refuses: the sender's 400, and nothing in the ledger. */
describe('POST /webhooks/github refusals of signed deliveries', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
  });

  it('400 missing_event_type without X-GitHub-Event, or with a blank one', async () => {
    for (const event of [undefined, '  ']) {
      const delivery = await githubDelivery('push', githubExample('push'));
      if (event === undefined) delete delivery.headers['x-github-event'];
      else delivery.headers['x-github-event'] = event;
      const response = await postGithub(t.url, delivery);
      expect(response, JSON.stringify(event)).toMatchObject({
        status: 400,
        body: { error: 'missing_event_type', message: 'the X-GitHub-Event header is missing' },
      });
    }
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });

  it('400 invalid_payload for a form-encoded delivery without a payload field', async () => {
    const body = new URLSearchParams({ data: JSON.stringify(githubExample('push')) }).toString();
    const delivery = await githubDelivery('push', undefined, { body });
    delivery.headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await postGithub(t.url, delivery);
    expect(response).toMatchObject({ status: 400, body: { error: 'invalid_payload', message: 'form-encoded delivery has no payload field' } });
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });
});
