import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventSettled } from '../../../test/support/event-settled.js';
import { resetLedger, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { postSecurity, secretScanningAlert, securityDelivery } from './testing/security-deliveries.js';

const NEW_SECRET = 'security-hook-secret-new';
const OLD_SECRET = 'security-hook-secret-old';

describe('Security provider: receiving and verifying secret_scanning_alert deliveries', () => {
  let t: TestApp;

  beforeAll(async () => {
    // No Anthropic key: the handler's agent is off, so this suite is about receiving only.
    t = await startTestApp({ SECURITY_WEBHOOK_SECRET: `${NEW_SECRET},${OLD_SECRET}` });
  });
  afterAll(() => t?.close());
  beforeEach(() => resetLedger(t.prisma));

  it.each(['created', 'reopened', 'resolved', 'validated'])('accepts a signed %s alert, recorded with its delivery id and repository#number subject', async (action) => {
    const delivery = await securityDelivery(secretScanningAlert(action), { secret: NEW_SECRET });
    const response = await postSecurity(t.url, delivery);
    expect(response.status).toBe(202);
    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: response.body!.id as string } });
    expect(row).toMatchObject({ provider: 'security', deliveryId: delivery.deliveryId, eventType: `secret_scanning_alert.${action}`, subject: 'octo-org/payments-api#42' });
    const settled = await eventSettled(t.prisma, row.id);
    if (action === 'resolved' || action === 'validated') expect(settled.statusReason).toContain('only created and reopened alerts get a response');
    else expect(settled.statusReason).toContain('agents are off');
  });

  it('accepts a delivery signed with the previous secret during a rotation', async () => {
    const response = await postSecurity(t.url, await securityDelivery(secretScanningAlert('created'), { secret: OLD_SECRET }));
    expect(response.status).toBe(202);
  });

  it('refuses a forged delivery (wrong secret, or the body changed after signing) and records nothing', async () => {
    const forged = await postSecurity(t.url, await securityDelivery(secretScanningAlert('created'), { secret: 'not-the-secret' }));
    expect(forged.status).toBe(401);
    const signed = await securityDelivery(secretScanningAlert('created'), { secret: NEW_SECRET });
    const tampered = await postSecurity(t.url, { headers: signed.headers, body: signed.body.replace('aws_access_key_id', 'stripe_api_key') });
    expect(tampered.status).toBe(401);
    const unsigned = await postSecurity(t.url, { headers: { ...signed.headers, 'x-hub-signature-256': '' }, body: signed.body });
    expect(unsigned.status).toBe(401);
    expect(await t.prisma.webhookEvent.count({ where: { provider: 'security' } })).toBe(0);
  });

  it('answers a redelivery (same X-GitHub-Delivery) as a duplicate', async () => {
    const delivery = await securityDelivery(secretScanningAlert('created'), { secret: NEW_SECRET });
    expect((await postSecurity(t.url, delivery)).status).toBe(202);
    expect((await postSecurity(t.url, delivery)).status).toBe(200);
    expect(await t.prisma.webhookEvent.count({ where: { provider: 'security' } })).toBe(1);
  });
});
