import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventSettled } from '../../../test/support/event-settled.js';
import { capturedLogLines } from '../../../test/support/log-capture.js';
import { resetLedger, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { databaseText } from '../../../test/support/database-text.js';
import { postSecurity, secretScanningAlert, securityDelivery } from './testing/security-deliveries.js';

const NEW_SECRET = 'security-hook-secret-new';
const OLD_SECRET = 'security-hook-secret-old';
// A token shaped like GitHub's (ghp_ and 36 characters) and AWS's documented example access key id.
const LEAKED_TOKEN = `ghp_${'Zq8LmN3pXr'.repeat(3)}Zq8LmN`;
const LEAKED_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

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

  it('a delivery carrying secret values is accepted, and the values are redacted at ingest: in no table, in no log line', async () => {
    const logsBefore = capturedLogLines.length;
    const payload = secretScanningAlert('created', { secret: LEAKED_TOKEN, resolution_comment: `rotated? the old id was ${LEAKED_KEY_ID}` });
    const delivery = await securityDelivery(payload, { secret: NEW_SECRET });
    expect(delivery.body).toContain(LEAKED_TOKEN);
    expect(delivery.body).toContain(LEAKED_KEY_ID);

    const response = await postSecurity(t.url, delivery);
    expect(response.status).toBe(202);
    const row = await eventSettled(t.prisma, response.body!.id as string);
    // Read before the redaction: delivery id, type and subject as always.
    expect(row).toMatchObject({ deliveryId: delivery.deliveryId, eventType: 'secret_scanning_alert.created', subject: 'octo-org/payments-api#42' });
    const alert = (row.payload as { alert: Record<string, unknown> }).alert;
    expect(alert).toMatchObject({ number: 42, secret_type: 'aws_access_key_id', secret: '[redacted]', resolution_comment: 'rotated? the old id was [redacted]' });
    // The rest of the payload is GitHub's, untouched.
    const { secret: _secret, resolution_comment: _comment, ...rest } = JSON.parse(delivery.body).alert;
    expect(alert).toMatchObject(rest);

    // A redelivery is still recognised.
    expect(await postSecurity(t.url, delivery)).toMatchObject({ status: 200, body: { id: row.id, status: 'duplicate' } });

    const database = await databaseText(t.prisma);
    expect(database).toContain(row.id);
    const logs = capturedLogLines.slice(logsBefore).join('\n');
    expect(logs).toContain(row.id);
    for (const value of [LEAKED_TOKEN, LEAKED_KEY_ID]) {
      expect(database).not.toContain(value);
      expect(logs).not.toContain(value);
    }
  });

  it('an alert with nothing secret in it is stored as GitHub sent it', async () => {
    const delivery = await securityDelivery(secretScanningAlert('created'), { secret: NEW_SECRET });
    const response = await postSecurity(t.url, delivery);
    expect(response.status).toBe(202);
    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: response.body!.id as string } });
    expect(row.payload).toStrictEqual(JSON.parse(delivery.body));
  });

  it('answers a redelivery (same X-GitHub-Delivery) as a duplicate', async () => {
    const delivery = await securityDelivery(secretScanningAlert('created'), { secret: NEW_SECRET });
    expect((await postSecurity(t.url, delivery)).status).toBe(202);
    expect((await postSecurity(t.url, delivery)).status).toBe(200);
    expect(await t.prisma.webhookEvent.count({ where: { provider: 'security' } })).toBe(1);
  });
});
