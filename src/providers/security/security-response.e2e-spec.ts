import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../../../test/support/admin-client.js';
import { keyFingerprint } from '../../admin/auth/admin-key-verifier.js';
import { eventSettled } from '../../../test/support/event-settled.js';
import { endTurn } from '../../../test/support/fake-anthropic.js';
import { capturedLogLines } from '../../../test/support/log-capture.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { FakeSlackApi } from '../../connectors/slack/testing/fake-slack-api.js';
import { AUTO_APPROVER } from './security-alert.handler.js';
import { databaseText } from '../../../test/support/database-text.js';
import { postSecurity, secretScanningAlert, securityDelivery } from './testing/security-deliveries.js';
import { startSecurityApp, type SecurityApp } from './testing/security-app.js';

const LEAKED = 'AKIAIOSFODNN7LEAKEDKEY';
const REPLACEMENT = 'AKIANEWREPLACEMENTKEY9';
const ALERT = 'octo-org/payments-api#42';
const ASSESSMENT = {
  severity: 'critical',
  summary: 'An AWS access key id was committed to a private payments repository.',
  next_steps: ['Check CloudTrail for use of the key since the commit.'],
};

describe('Security provider: secret scanning alert → revoke, rotate, ticket, Slack, resolve (exactly once)', () => {
  let s: SecurityApp;

  beforeAll(async () => {
    s = await startSecurityApp({ SECURITY_AUTO_RESPONSE_SECRET_TYPES: 'stripe_api_key', JOB_ATTEMPTS: '3' });
  });
  afterAll(() => s?.close());
  beforeEach(async () => {
    await s.reset();
    s.anthropic.fallback = () => endTurn(JSON.stringify(ASSESSMENT));
    s.credentials.replacementValue = REPLACEMENT;
    s.github.secretScanningAlerts.set(ALERT, { number: 42, secret_type: 'aws_access_key_id', secret: LEAKED, state: 'open', resolution: null });
  });

  async function deliver(payload: unknown) {
    const response = await postSecurity(s.t.url, await securityDelivery(payload));
    expect(response.status).toBe(202);
    return response.body!.id as string;
  }

  const slackPosts = () => s.slack.requests.filter((r) => r.path.endsWith('chat.postMessage')).map((r) => FakeSlackApi.fields(r));
  const slackUpdates = () => s.slack.requests.filter((r) => r.path.endsWith('chat.update')).map((r) => FakeSlackApi.fields(r));
  const pending = (eventId: string) => s.t.prisma.agentAction.findMany({ where: { eventId, status: 'PENDING_APPROVAL' }, orderBy: { createdAt: 'asc' } });

  it('with the approval policy: ticket and Slack at once, nothing destructive before approval, everything exactly once after it, and the secret nowhere', async () => {
    const logsBefore = capturedLogLines.length;
    const id = await deliver(secretScanningAlert('created'));
    const event = await eventSettled(s.t.prisma, id);
    expect(event).toMatchObject({ status: 'SUCCEEDED', eventType: 'secret_scanning_alert.created', subject: ALERT });

    // Before approval: an incident and one Slack message; no revoke, no replacement, nothing stored, alert open.
    expect(s.linear.issues.size).toBe(1);
    const [issue] = [...s.linear.issues.values()];
    expect(issue.title).toBe('[critical] Leaked aws_access_key_id in octo-org/payments-api (alert #42)');
    expect(issue.priority).toBe(1);
    expect(issue.description).toContain('https://github.com/octo-org/payments-api/security/secret-scanning/42');
    expect(issue.description).toMatch(/\*\*Fingerprint\*\*: `sha256:[0-9a-f]{12}`/);
    expect(issue.description).toContain(ASSESSMENT.summary);
    expect(slackPosts()).toHaveLength(1);
    expect(slackPosts()[0].channel).toBe('#security');
    expect(slackPosts()[0].text).toContain('Revoke: waiting for approval');
    expect(s.credentials.calls).toEqual([]);
    expect(s.github.secretScanningAlertUpdates).toEqual([]);
    const waiting = await pending(id);
    expect(waiting.map((a) => a.tool)).toEqual(['revoke_credential', 'rotate_credential']);
    expect(waiting[0].arguments).toEqual({ service: 'aws', secret_type: 'aws_access_key_id', owner: 'octo-org', repo: 'payments-api', alert_number: 42 });

    // The model saw the handle, the type and the fingerprint.
    expect(s.anthropic.requests).toHaveLength(1);
    const prompt = JSON.stringify(s.anthropic.requests[0].body);
    expect(prompt).toContain('aws_access_key_id');
    expect(prompt).toMatch(/fingerprint sha256:[0-9a-f]{12}/);

    // An operator approves both (twice, concurrently: still once).
    for (const action of waiting) {
      const answers = await Promise.all([1, 2].map(() => admin(s.t.url, `/admin/actions/${action.id}/approve`, { method: 'POST' })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    }
    expect(s.credentials.of('revoke')).toHaveLength(1);
    expect(s.credentials.of('revoke')[0]).toMatchObject({ target: 'aws', body: { secret: LEAKED, service: 'aws', handle: { repository: 'octo-org/payments-api', alert_number: 42 } } });
    expect(s.credentials.of('replace')).toHaveLength(1);
    expect(s.credentials.store.get('secret/hookwise/credentials/aws')).toEqual([REPLACEMENT]);
    expect(s.credentials.of('store')[0].headers['x-vault-token']).toBe('hvs.securitytestvaulttoken');

    // The decisions continue the event in a worker, without a replay: once both are decided, the alert is
    // resolved and the alert's one Slack message is updated in place with the outcome.
    const [outcome] = await waitFor('the outcome in Slack', () => (slackUpdates().length >= 1 ? slackUpdates() : null));
    expect(slackPosts()).toHaveLength(1);
    expect(outcome).toEqual({ channel: '#security', ts: s.slack.messages[0].ts, text: expect.any(String) });
    expect(outcome.text).toContain('Leaked *aws_access_key_id* (aws) in *octo-org/payments-api*, alert #42');
    expect(outcome.text).not.toContain('waiting for approval');
    expect(outcome.text).toContain('*Decided:* the alert is resolved on GitHub as revoked');
    expect(outcome.text).toContain(`Revoke: done (approved by ${keyFingerprint(ADMIN_KEY)})`);
    expect(outcome.text).toContain(`Rotate: done (approved by ${keyFingerprint(ADMIN_KEY)})`);
    expect(s.github.secretScanningAlertUpdates).toHaveLength(1);
    expect(s.github.secretScanningAlertUpdates[0].body).toMatchObject({ state: 'resolved', resolution: 'revoked' });
    expect(s.github.secretScanningAlerts.get(ALERT)).toMatchObject({ state: 'resolved', resolution: 'revoked' });
    const continued = await eventSettled(s.t.prisma, id);
    expect(continued.status).toBe('SUCCEEDED');
    expect(continued.attempts).toBeGreaterThanOrEqual(2);

    // Each decision is in the audit trail once, with its outcome; the refused second clicks too.
    const audit = (await admin<Array<{ keyFingerprint: string; action: string; target: string; details: Record<string, unknown> }>>(s.t.url, '/admin/audit')).body;
    for (const action of waiting) {
      const rows = audit.filter((e) => e.action === 'action.approve' && e.target === action.id);
      expect(rows.map((e) => e.details).sort((a, b) => String(a.outcome).localeCompare(String(b.outcome)))).toEqual([
        { via: 'admin-api', outcome: 'EXECUTED', tool: action.tool, eventId: id },
        { via: 'admin-api', refused: 'not_pending' },
      ]);
      expect(rows.every((e) => e.keyFingerprint === keyFingerprint(ADMIN_KEY))).toBe(true);
    }

    // A replay, or a redelivery, finds everything done.
    expect((await admin(s.t.url, `/admin/events/${id}/replay`, { method: 'POST', body: {} })).status).toBe(200);
    const redelivered = await deliver(secretScanningAlert('created'));
    expect((await eventSettled(s.t.prisma, redelivered)).status).toBe('IGNORED');

    expect(s.credentials.of('revoke')).toHaveLength(1);
    expect(s.credentials.of('replace')).toHaveLength(1);
    expect(s.credentials.of('store')).toHaveLength(1);
    expect(s.linear.issues.size).toBe(1);
    expect(slackPosts()).toHaveLength(1);
    expect(slackUpdates()).toHaveLength(1);
    expect(s.github.secretScanningAlertUpdates).toHaveLength(1);
    expect(s.anthropic.requests).toHaveLength(1);
    const actions = await s.t.prisma.agentAction.findMany({ where: { eventId: id } });
    expect(actions.map((a) => `${a.tool}:${a.status}`).sort()).toEqual([
      'create_linear_issue:EXECUTED',
      'github_resolve_secret_scanning_alert:EXECUTED',
      'post_slack_message:EXECUTED',
      'revoke_credential:EXECUTED',
      'rotate_credential:EXECUTED',
      'update_slack_message:EXECUTED',
    ]);

    // The secret (and its replacement) appear nowhere: every table, the logs, the model, Linear, Slack.
    expect(s.github.secretScanningAlertReads.length).toBeGreaterThan(0);
    const everywhere = {
      database: await databaseText(s.t.prisma),
      logs: capturedLogLines.slice(logsBefore).join('\n'),
      model: JSON.stringify(s.anthropic.requests.map((r) => r.body)),
      linear: s.linear.requests.map((r) => r.body).join('\n'),
      slack: s.slack.requests.map((r) => r.body).join('\n'),
    };
    expect(everywhere.database).toContain('revoke_credential');
    expect(everywhere.logs).toContain('action executed');
    for (const [where, text] of Object.entries(everywhere)) {
      expect(text.includes(LEAKED), `the leaked secret in ${where}`).toBe(false);
      expect(text.includes(REPLACEMENT), `the replacement in ${where}`).toBe(false);
    }
  });

  it('with the approval policy, the outcome waits for a step still executing: the continuation of a decision that finds the other step in flight reports nothing yet', async () => {
    const id = await deliver(secretScanningAlert('created'));
    await eventSettled(s.t.prisma, id);
    const [revoke, rotate] = await pending(id);
    expect([revoke.tool, rotate.tool]).toEqual(['revoke_credential', 'rotate_credential']);

    // The rotation is approved first and held at the replacement endpoint (EXECUTING) while the revoke
    // is approved and its continuation runs the handler again.
    const release = s.credentials.holdReplacements();
    const rotating = admin(s.t.url, `/admin/actions/${rotate.id}/approve`, { method: 'POST' });
    await waitFor('the rotation to be executing', async () => (await s.t.prisma.agentAction.findUnique({ where: { id: rotate.id } }))?.status === 'EXECUTING');
    expect((await admin(s.t.url, `/admin/actions/${revoke.id}/approve`, { method: 'POST' })).status).toBe(200);
    const afterRevoke = await waitFor('the revoke decision\'s continuation to finish', async () => {
      const event = await s.t.prisma.webhookEvent.findUnique({ where: { id } });
      return event && event.attempts >= 2 && event.status === 'SUCCEEDED' ? event : null;
    });
    expect(afterRevoke.attempts).toBe(2);
    expect(slackUpdates()).toEqual([]);
    expect(s.github.secretScanningAlertUpdates).toEqual([]);

    // The rotation ends; its own continuation resolves the alert and reports the outcome once, complete.
    release();
    expect((await rotating).status).toBe(200);
    const [outcome] = await waitFor('the outcome in Slack', () => (slackUpdates().length >= 1 ? slackUpdates() : null));
    expect(outcome.text).toContain(`Revoke: done (approved by ${keyFingerprint(ADMIN_KEY)})`);
    expect(outcome.text).toContain(`Rotate: done (approved by ${keyFingerprint(ADMIN_KEY)})`);
    expect(outcome.text).not.toContain('executing');
    await waitFor('the alert resolved', () => s.github.secretScanningAlertUpdates.length === 1);
    expect((await eventSettled(s.t.prisma, id)).status).toBe('SUCCEEDED');
    expect(slackUpdates()).toHaveLength(1);
    expect(s.credentials.of('revoke')).toHaveLength(1);
    expect(s.credentials.of('replace')).toHaveLength(1);
  });

  it('with the approval policy, a rejected revoke is never run: the alert stays open, and the outcome is reported once, when nothing waits any more', async () => {
    const id = await deliver(secretScanningAlert('created'));
    expect((await eventSettled(s.t.prisma, id)).status).toBe('SUCCEEDED');
    const [revoke, rotate] = await pending(id);

    const rejected = await admin(s.t.url, `/admin/actions/${revoke.id}/reject`, { method: 'POST', body: { reason: 'the key is a honeytoken' } });
    expect(rejected.status).toBe(200);
    // The continuation runs, but the rotation still waits: nothing is reported yet.
    await waitFor('the continuation to finish', async () => {
      const event = await s.t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      return event.attempts === 2 && event.status === 'SUCCEEDED' ? event : null;
    });
    expect(slackPosts()).toHaveLength(1);
    expect(slackUpdates()).toEqual([]);

    expect((await admin(s.t.url, `/admin/actions/${rotate.id}/approve`, { method: 'POST' })).status).toBe(200);
    const [outcome] = await waitFor('the outcome in Slack', () => (slackUpdates().length >= 1 ? slackUpdates() : null));
    expect(outcome).toMatchObject({ channel: '#security', ts: s.slack.messages[0].ts });
    expect(outcome.text).toContain('*Decided:* the credential was not revoked and may still be valid: the alert stays open on GitHub');
    expect(outcome.text).toContain(`Revoke: rejected by ${keyFingerprint(ADMIN_KEY)} (the key is a honeytoken)`);
    expect(outcome.text).toContain('Rotate: done');
    expect((await eventSettled(s.t.prisma, id)).status).toBe('SUCCEEDED');
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(slackPosts()).toHaveLength(1);
    expect(slackUpdates()).toHaveLength(1);
    expect(s.credentials.of('revoke')).toHaveLength(0);
    expect(s.credentials.of('replace')).toHaveLength(1);
    expect(s.github.secretScanningAlertUpdates).toEqual([]);
    expect(s.anthropic.requests).toHaveLength(1);
    expect(s.linear.issues.size).toBe(1);
    const actions = await s.t.prisma.agentAction.findMany({ where: { eventId: id } });
    expect(actions.map((a) => `${a.tool}:${a.status}`).sort()).toEqual([
      'create_linear_issue:EXECUTED',
      'post_slack_message:EXECUTED',
      'revoke_credential:REJECTED',
      'rotate_credential:EXECUTED',
      'update_slack_message:EXECUTED',
    ]);
    const audit = (await admin<Array<{ action: string; target: string; details: unknown }>>(s.t.url, '/admin/audit')).body;
    expect(audit.find((e) => e.action === 'action.reject' && e.target === revoke.id)?.details).toEqual({
      via: 'admin-api',
      outcome: 'REJECTED',
      tool: 'revoke_credential',
      eventId: id,
      reason: 'the key is a honeytoken',
    });
  });

  it('with the auto policy for the secret type: one delivery ends revoked, rotated, ticketed, announced and resolved, each once', async () => {
    s.github.secretScanningAlerts.set(ALERT, { number: 42, secret_type: 'stripe_api_key', secret: 'sk_live_leakedstripekey', state: 'open', resolution: null });
    const id = await deliver(secretScanningAlert('created', { secret_type: 'stripe_api_key', secret_type_display_name: 'Stripe API Key' }));
    expect((await eventSettled(s.t.prisma, id)).status).toBe('SUCCEEDED');

    expect(s.credentials.of('revoke').map((c) => c.target)).toEqual(['stripe']);
    expect(s.credentials.store.get('secret/hookwise/credentials/stripe')).toEqual([REPLACEMENT]);
    expect(s.linear.issues.size).toBe(1);
    expect(slackPosts()).toHaveLength(1);
    expect(slackPosts()[0].text).toContain('Revoke: done');
    expect(slackUpdates()).toEqual([]);
    expect(s.github.secretScanningAlertUpdates).toHaveLength(1);
    const destructive = await s.t.prisma.agentAction.findMany({ where: { eventId: id, tool: { in: ['revoke_credential', 'rotate_credential'] } } });
    expect(destructive.map((a) => [a.status, a.approvedBy])).toEqual([
      ['EXECUTED', AUTO_APPROVER],
      ['EXECUTED', AUTO_APPROVER],
    ]);
  });

  it('an unknown secret type still gets a ticket and a Slack alert; nothing is revoked and the alert stays open', async () => {
    const id = await deliver(secretScanningAlert('reopened', { secret_type: 'acme_internal_token' }));
    expect((await eventSettled(s.t.prisma, id)).status).toBe('SUCCEEDED');
    expect(s.linear.issues.size).toBe(1);
    expect([...s.linear.issues.values()][0].description).toContain('No automated response is configured for service `unknown`');
    expect(slackPosts()).toHaveLength(1);
    expect(slackPosts()[0].text).toContain('Revoke: not configured');
    expect(s.credentials.calls).toEqual([]);
    expect(s.github.secretScanningAlertUpdates).toEqual([]);
  });

  it('records resolved and validated alerts IGNORED, and asks nobody', async () => {
    for (const action of ['resolved', 'validated']) {
      const id = await deliver(secretScanningAlert(action));
      const event = await eventSettled(s.t.prisma, id);
      expect(event.status).toBe('IGNORED');
      expect(event.eventType).toBe(`secret_scanning_alert.${action}`);
    }
    expect(s.anthropic.requests).toEqual([]);
    expect(await waitFor('no actions', async () => ((await s.t.prisma.agentAction.count()) === 0 ? true : null))).toBe(true);
  });
});
