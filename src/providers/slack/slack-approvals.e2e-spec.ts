import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionService } from '../../core/actions/action.service.js';
import { ADMIN_KEY, admin } from '../../../test/support/admin-client.js';
import { resetLedger, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { keyFingerprint } from '../../admin/auth/admin-key-verifier.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { FakeHttpEndpoint } from '../../connectors/http-actions/testing/fake-http-endpoint.js';
import { FakeSlackApi } from '../../connectors/slack/testing/fake-slack-api.js';
import { postSlack, slackDelivery, slackMessage, TEST_SLACK_SIGNING_SECRET } from './testing/slack-deliveries.js';

const APPROVER = 'U0APPROVER';
const APPROVALS_CHANNEL = 'C0APPROVAL';

describe('Approving and rejecting from Slack (POST /webhooks/slack/interactions)', () => {
  let t: TestApp;
  let slack: FakeSlackApi;
  let rollback: FakeHttpEndpoint;

  beforeAll(async () => {
    slack = await FakeSlackApi.start();
    rollback = await FakeHttpEndpoint.start();
    t = await startTestApp({
      SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test-approvals',
      SLACK_API_URL: slack.apiUrl,
      APPROVALS_SLACK_CHANNEL: APPROVALS_CHANNEL,
      APPROVER_SLACK_USER_IDS: `U0SOMEONE1, ${APPROVER}`,
      ROLLBACK_URL: `${rollback.url}/rollback`,
      ADMIN_API_KEYS: ADMIN_KEY,
    });
  });
  afterAll(async () => {
    await t?.close();
    await slack?.stop();
    await rollback?.stop();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
    slack.reset();
    rollback.reset();
  });

  /** A rollback_deploy action waiting for approval (destructive: approval by default), on a recorded event. */
  async function pendingAction() {
    const response = await postSlack(t.url, slackDelivery(slackMessage('deploy 42 broke checkout')));
    const outcome = await t.app.get(ActionService).execute({
      eventId: response.body!.id as string,
      agent: 'deploy-watch',
      allowedTools: ['rollback_deploy'],
      tool: 'rollback_deploy',
      args: { deployment: 'web@42', reason: 'checkout error rate at 30%' },
    });
    if (outcome.kind !== 'recorded') throw new Error('not recorded');
    expect(outcome.action.status).toBe('PENDING_APPROVAL');
    return outcome.action;
  }

  type AuditEntry = { keyFingerprint: string; action: string; target: string; details: Record<string, unknown> };
  const auditOf = async (actionId: string) => (await admin<AuditEntry[]>(t.url, '/admin/audit')).body.filter((e) => e.target === actionId);

  function click(actionId: string, user: string, actionIdName = 'hookwise_approve', options: { secret?: string } = {}) {
    const payload = {
      type: 'block_actions',
      user: { id: user, username: 'someone' },
      channel: { id: APPROVALS_CHANNEL },
      container: { type: 'message', channel_id: APPROVALS_CHANNEL, message_ts: '1700000000.000001' },
      message: { ts: '1700000000.000001' },
      actions: [{ action_id: actionIdName, value: actionId, type: 'button' }],
    };
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    return postSlack(t.url, slackDelivery(null, { body, contentType: 'application/x-www-form-urlencoded', secret: options.secret }), '/webhooks/slack/interactions');
  }

  it('posts a pending action to the approvals channel with the agent, tool, arguments, reason, event and buttons', async () => {
    const action = await pendingAction();
    expect(slack.messages).toHaveLength(1);
    const [message] = slack.messages;
    expect(message.channel).toBe(APPROVALS_CHANNEL);
    const blocks = JSON.stringify(message.blocks);
    for (const part of ['deploy-watch', 'rollback_deploy', 'web@42', 'destructive tool', action.eventId, 'hookwise_approve', 'hookwise_reject', action.id]) {
      expect(blocks).toContain(part);
    }
  });

  it('an allowed user’s click executes once, even clicked twice and approved by an admin at the same moment; the message says who and what', async () => {
    const action = await pendingAction();
    const [a, b] = await Promise.all([click(action.id, APPROVER), click(action.id, APPROVER)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const byAdmin = await admin(t.url, `/admin/actions/${action.id}/approve`, { method: 'POST' });

    const row = await waitFor('the action to execute', async () => {
      const current = await t.prisma.agentAction.findUniqueOrThrow({ where: { id: action.id } });
      return current.status === 'EXECUTED' ? current : null;
    });
    await waitFor('the message update', async () => (slack.updates.length > 0 ? true : null));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rollback.requests).toHaveLength(1);
    // The audit trail holds the one decision, by whoever made it, with its outcome (and the admin call refused, if it lost).
    const decided = (await auditOf(action.id)).filter((e) => e.details.outcome !== undefined);
    expect(decided).toHaveLength(1);
    if (row.approvedBy === keyFingerprint(ADMIN_KEY)) {
      expect(byAdmin.status).toBe(200);
      expect(decided[0]).toMatchObject({ keyFingerprint: keyFingerprint(ADMIN_KEY), action: 'action.approve', details: { via: 'admin-api', outcome: 'EXECUTED' } });
    } else {
      expect(row.approvedBy).toBe(`slack:${APPROVER}`);
      expect(byAdmin.status).toBe(409);
      expect(decided[0]).toMatchObject({ keyFingerprint: `slack:${APPROVER}`, action: 'action.approve', details: { via: 'slack', outcome: 'EXECUTED', tool: 'rollback_deploy', eventId: action.eventId } });
      expect(await auditOf(action.id)).toContainEqual(expect.objectContaining({ keyFingerprint: keyFingerprint(ADMIN_KEY), details: { via: 'admin-api', refused: 'not_pending' } }));
      expect(slack.updates).toHaveLength(1);
      expect(slack.updates[0]).toMatchObject({ channel: APPROVALS_CHANNEL, ts: '1700000000.000001' });
      expect(slack.updates[0].text).toContain(`approved by <@${APPROVER}>: EXECUTED`);
    }
    // The second click was told the action was already decided.
    expect(slack.ephemerals.some((e) => e.user === APPROVER && /already decided/.test(e.text))).toBe(true);
  });

  it('a reject click refuses the action and nothing runs', async () => {
    const action = await pendingAction();
    const before = await waitFor('the event to settle', async () => {
      const current = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: action.eventId } });
      return ['SUCCEEDED', 'IGNORED'].includes(current.status) ? current : null;
    });
    expect((await click(action.id, APPROVER, 'hookwise_reject')).status).toBe(200);
    const row = await waitFor('the rejection', async () => {
      const current = await t.prisma.agentAction.findUniqueOrThrow({ where: { id: action.id } });
      return current.status === 'REJECTED' ? current : null;
    });
    expect(row.rejectedBy).toBe(`slack:${APPROVER}`);
    await waitFor('the message update', async () => (slack.updates.length ? true : null));
    expect(slack.updates[0].text).toContain(`rejected by <@${APPROVER}>`);
    expect(rollback.requests).toHaveLength(0);
    // The audit trail (GET /admin/audit) records the Slack user and the outcome, once.
    expect(await auditOf(action.id)).toEqual([
      expect.objectContaining({
        keyFingerprint: `slack:${APPROVER}`,
        action: 'action.reject',
        details: { via: 'slack', outcome: 'REJECTED', tool: 'rollback_deploy', eventId: action.eventId, reason: `rejected in Slack by <@${APPROVER}>` },
      }),
    ]);
    // The decision continued the action's event: its handler ran once more, in a worker.
    const event = await waitFor('the event to run again', async () => {
      const current = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: action.eventId } });
      return current.attempts === before.attempts + 1 && ['SUCCEEDED', 'IGNORED'].includes(current.status) ? current : null;
    });
    expect(event).toMatchObject({ status: 'IGNORED', statusReason: before.statusReason });
  });

  it('a user not on the list cannot decide: told so, the action still waits', async () => {
    const action = await pendingAction();
    expect((await click(action.id, 'U0INTRUDER')).status).toBe(200);
    await waitFor('the ephemeral answer', async () => (slack.ephemerals.length ? true : null));
    expect(slack.ephemerals[0]).toMatchObject({ user: 'U0INTRUDER', channel: APPROVALS_CHANNEL });
    expect(slack.ephemerals[0].text).toMatch(/not allowed/);
    expect((await t.prisma.agentAction.findUniqueOrThrow({ where: { id: action.id } })).status).toBe('PENDING_APPROVAL');
    expect(rollback.requests).toHaveLength(0);
    expect(await auditOf(action.id)).toEqual([]);
  });

  it('a forged interaction is 401 and decides nothing', async () => {
    const action = await pendingAction();
    const forged = await click(action.id, APPROVER, 'hookwise_approve', { secret: 'forged-secret' });
    expect(forged.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await t.prisma.agentAction.findUniqueOrThrow({ where: { id: action.id } })).status).toBe('PENDING_APPROVAL');
    expect(rollback.requests).toHaveLength(0);
  });
});
