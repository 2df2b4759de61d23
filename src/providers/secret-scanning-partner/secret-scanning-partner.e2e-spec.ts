import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseText } from '../../../test/support/database-text.js';
import { eventSettled } from '../../../test/support/event-settled.js';
import { capturedLogLines } from '../../../test/support/log-capture.js';
import { resetLedger, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { FakeLinearApi } from '../../connectors/linear/testing/fake-linear-api.js';
import { FakeSlackApi } from '../../connectors/slack/testing/fake-slack-api.js';
import { secretFingerprint } from '../../connectors/github/github.connector.js';
import { githubSigningKey, partnerDelivery, postPartner, publicKeysSetting } from './testing/partner-deliveries.js';

const LINEAR_KEY = 'lin_api_partnertestkey0123456789';
// Two tokens of a made-up issuer, found in public code; neither may be kept anywhere.
const TOKEN = 'acme_live_7Hq2ZpL9xWv4Rt8Ks3Nd6Bm1Fy5Gc0Ju';
const OTHER_TOKEN = 'acme_live_2Bx8Qw5Er1Ty7Ui3Op9As4Df6Gh0Jk';
const MATCH = { token: TOKEN, type: 'acme_api_token', url: 'https://github.com/octo-org/public-demo/blob/6d2b1f0/config/settings.yml', source: 'content' };

describe('Secret scanning partner provider: ECDSA-signed matches → one incident and one Slack alert per token, the token kept nowhere', () => {
  const current = githubSigningKey('b5c1f0e7a6d2c9841f3e0a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d');
  const previous = githubSigningKey('90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a');
  const stranger = githubSigningKey('1111111111111111111111111111111111111111111111111111111111111111');
  let t: TestApp;
  let linear: FakeLinearApi;
  let slack: FakeSlackApi;

  beforeAll(async () => {
    linear = await FakeLinearApi.start(LINEAR_KEY);
    slack = await FakeSlackApi.start();
    t = await startTestApp({
      // GitHub's document shape, the current key first and the one it replaces still listed.
      SECRET_SCANNING_PARTNER_PUBLIC_KEYS: publicKeysSetting([current, previous]),
      SECRET_SCANNING_PARTNER_SLACK_CHANNEL: '#token-leaks',
      LINEAR_API_KEY: LINEAR_KEY,
      LINEAR_TEAM_ID: 'team-security',
      LINEAR_API_URL: linear.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-partner-test-token',
      SLACK_API_URL: slack.apiUrl,
    });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([linear?.stop(), slack?.stop()]);
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
    linear.reset();
    slack.reset();
  });

  const slackPosts = () => slack.requests.filter((r) => r.path.endsWith('chat.postMessage')).map((r) => FakeSlackApi.fields(r));

  it('a signed match is recorded as its fingerprint, type, url and source, and gets one incident and one Slack message carrying the fingerprint; the token is in no table, no log line, no request', async () => {
    const logsBefore = capturedLogLines.length;
    const delivery = partnerDelivery([MATCH], current);
    expect(delivery.body).toContain(TOKEN);

    const response = await postPartner(t.url, delivery);
    expect(response.status).toBe(202);
    const row = await eventSettled(t.prisma, response.body!.id as string);
    const fingerprint = secretFingerprint(TOKEN);
    expect(row).toMatchObject({
      provider: 'secret-scanning-partner',
      status: 'SUCCEEDED',
      eventType: 'secret_scanning_partner.match',
      subject: `acme_api_token ${MATCH.url}`,
      deliveryId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(row.payload).toEqual([{ token_fingerprint: fingerprint, type: 'acme_api_token', url: MATCH.url, source: 'content' }]);

    expect(linear.issues.size).toBe(1);
    const [issue] = [...linear.issues.values()];
    expect(issue.title).toBe(`[critical] acme_api_token token found in public code (${fingerprint})`);
    expect(issue.priority).toBe(1);
    expect(issue.description).toContain(`**Fingerprint**: \`${fingerprint}\``);
    expect(issue.description).toContain(MATCH.url);
    expect(slackPosts()).toHaveLength(1);
    expect(slackPosts()[0]).toMatchObject({ channel: '#token-leaks' });
    expect(slackPosts()[0].text).toContain(`fingerprint \`${fingerprint}\``);
    expect(slackPosts()[0].text).toContain(issue.url);

    // GitHub resends the same scan: a duplicate, answered 200, nothing announced again.
    expect(await postPartner(t.url, delivery)).toMatchObject({ status: 200, body: { id: row.id, status: 'duplicate' } });
    expect(linear.issues.size).toBe(1);
    expect(slackPosts()).toHaveLength(1);

    const everywhere = {
      database: await databaseText(t.prisma),
      logs: capturedLogLines.slice(logsBefore).join('\n'),
      linear: linear.requests.map((r) => r.body).join('\n'),
      slack: slack.requests.map((r) => r.body).join('\n'),
    };
    expect(everywhere.database).toContain(fingerprint);
    expect(everywhere.logs).toContain(row.id);
    for (const [where, text] of Object.entries(everywhere)) expect(text.includes(TOKEN), `the token in ${where}`).toBe(false);
  });

  it('a delivery of several matches gets one incident and one message per token; a token already announced at the same place, in another delivery, is not announced again', async () => {
    const second = { token: OTHER_TOKEN, type: 'acme_api_token', url: 'https://gist.github.com/someone/0a1b2c3d', source: 'gist_content' };
    const first = await postPartner(t.url, partnerDelivery([MATCH, second], current));
    expect(first.status).toBe(202);
    const row = await eventSettled(t.prisma, first.body!.id as string);
    expect(row).toMatchObject({ status: 'SUCCEEDED', subject: `acme_api_token ${MATCH.url} (+1 more)` });
    expect(linear.issues.size).toBe(2);
    expect(slackPosts()).toHaveLength(2);

    // Another scan (another body: another delivery id) reports the first token again at the same place.
    const again = await postPartner(t.url, partnerDelivery([{ ...MATCH, source: 'commit' }], current));
    expect(again.status).toBe(202);
    expect((await eventSettled(t.prisma, again.body!.id as string)).status).toBe('SUCCEEDED');
    expect(linear.issues.size).toBe(2);
    expect(slackPosts()).toHaveLength(2);
    const database = await databaseText(t.prisma);
    expect(database.includes(TOKEN) || database.includes(OTHER_TOKEN)).toBe(false);
  });

  it('accepts a delivery signed with the previous key while both are configured (GitHub rotating its key)', async () => {
    const response = await postPartner(t.url, partnerDelivery([MATCH], previous));
    expect(response.status).toBe(202);
  });

  it('refuses a forged signature, a body changed after signing, an unknown key id and a missing signature with 401, and records nothing', async () => {
    const forged = await postPartner(t.url, partnerDelivery([MATCH], { ...stranger, id: current.id }));
    expect(forged).toMatchObject({ status: 401, body: { error: 'signature_mismatch' } });
    const signed = partnerDelivery([MATCH], current);
    expect((await postPartner(t.url, { headers: signed.headers, body: signed.body.replace('content', 'commit') })).status).toBe(401);
    const unknown = await postPartner(t.url, partnerDelivery([MATCH], stranger));
    expect(unknown).toMatchObject({ status: 401, body: { error: 'signature_mismatch', message: expect.stringContaining('names no configured key') } });
    const { 'github-public-key-signature': _signature, ...unsigned } = signed.headers;
    expect(await postPartner(t.url, { headers: unsigned, body: signed.body })).toMatchObject({ status: 401, body: { error: 'missing_signature' } });
    // The refusals carry nothing of the body back.
    expect(JSON.stringify([forged.body, unknown.body]).includes(TOKEN)).toBe(false);
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });

  it('refuses a signed delivery that is not a list of matches with 400, without echoing the token', async () => {
    for (const payload of [[], { token: TOKEN, type: 'acme_api_token', url: MATCH.url }, [{ token: TOKEN, url: MATCH.url }]]) {
      const response = await postPartner(t.url, partnerDelivery(payload, current));
      expect(response.status).toBe(400);
      expect(response.text.includes(TOKEN)).toBe(false);
    }
    expect(await t.prisma.webhookEvent.count()).toBe(0);
  });
});
