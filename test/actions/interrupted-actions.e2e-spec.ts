import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionService } from '../../src/core/actions/action.service.js';
import type { AgentTool } from '../../src/core/actions/agent-tool.js';
import { InterruptedActionSweeper } from '../../src/core/actions/interrupted-action-sweeper.js';
import { ToolRegistry } from '../../src/core/actions/tool.registry.js';
import { seedEvents } from '../support/admin-client.js';
import { FakeGithubApi } from '../../src/connectors/github/testing/fake-github-api.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const TIMEOUT_MS = 60_000;

/** A tool that counts its calls and, while `hold` is set, does not finish until released. */
function countingTool() {
  const calls: string[] = [];
  let hold = false;
  let release: (() => void) | null = null;
  const tool: AgentTool = {
    name: 'test_interrupted_side_effect',
    description: 'A side effect the interrupted-action tests count.',
    input: z.strictObject({ note: z.string() }),
    destructive: false,
    unavailableReason: () => null,
    execute: async (_args, context) => {
      calls.push(context.idempotencyKey);
      if (hold) await new Promise<void>((resolve) => (release = resolve));
      return { ok: true };
    },
  };
  return {
    tool,
    calls,
    holdNextCall: () => (hold = true),
    releaseCall: () => {
      hold = false;
      release?.();
    },
  };
}

describe('actions cut off mid-call (process killed while EXECUTING)', () => {
  let t: TestApp;
  let sweeper: InterruptedActionSweeper;
  let actions: ActionService;
  let github: FakeGithubApi;
  const counting = countingTool();

  beforeAll(async () => {
    github = await FakeGithubApi.start();
    t = await startTestApp({
      ACTION_EXECUTION_TIMEOUT_MS: String(TIMEOUT_MS),
      // The tests sweep themselves and count what each sweep marked; a background sweep (every
      // OUTBOX_RELAY_INTERVAL_MS) taking a row first made them flaky on a busy machine.
      OUTBOX_RELAY_INTERVAL_MS: String(3_600_000),
      GITHUB_TOKEN: 'ghp_interruptedactionstest',
      GITHUB_API_URL: github.url,
    });
    t.app.get(ToolRegistry).register(counting.tool);
    sweeper = t.app.get(InterruptedActionSweeper);
    actions = t.app.get(ActionService);
  });
  afterAll(async () => {
    await t?.close();
    await github?.close();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
    counting.calls.length = 0;
    github.reset();
  });

  /** The id of a ledger event for actions to belong to. */
  async function seededEventId(): Promise<string> {
    const [id] = await seedEvents(t.prisma, [{ receivedAt: new Date() }]);
    return id;
  }

  /** An action row as a killed process leaves it: EXECUTING, last touched `ageMs` ago. */
  async function executingAction(eventId: string, key: string, ageMs: number, tool = counting.tool.name, args: object = { note: 'x' }) {
    const action = await t.prisma.agentAction.create({
      data: { eventId, agent: 'test-agent', tool, arguments: args, idempotencyKey: key, status: 'EXECUTING', policy: 'auto' },
    });
    await makeInterrupted(action.id, ageMs);
    return action;
  }

  /** Back to EXECUTING, untouched for `ageMs`: the process died before it could record the outcome. */
  async function makeInterrupted(actionId: string, ageMs: number) {
    await t.prisma.$executeRaw`UPDATE agent_actions SET status = 'EXECUTING', result = NULL, executed_at = NULL,
      updated_at = now() - make_interval(secs => ${ageMs / 1000}) WHERE id = ${actionId}::uuid`;
  }

  it('marks an action EXECUTING past ACTION_EXECUTION_TIMEOUT_MS as FAILED, outcome unknown, and leaves a younger one alone', async () => {
    const eventId = await seededEventId();
    const stale = await executingAction(eventId, `stale-${randomUUID()}`, TIMEOUT_MS + 5_000);
    const young = await executingAction(eventId, `young-${randomUUID()}`, 1_000);

    expect(await sweeper.sweep()).toBe(1);

    const staleNow = await t.prisma.agentAction.findUniqueOrThrow({ where: { id: stale.id } });
    expect(staleNow.status).toBe('FAILED');
    expect(staleNow.error).toMatch(/^interrupted: still EXECUTING after 60000 ms .*whether it took effect is unknown/);
    expect((await t.prisma.agentAction.findUniqueOrThrow({ where: { id: young.id } })).status).toBe('EXECUTING');
    expect(await sweeper.sweep()).toBe(0);
  });

  it('runs the interrupted action again, once, when its event comes back, and does not sweep it while it runs', async () => {
    const eventId = await seededEventId();
    const key = `retried-${randomUUID()}`;
    const stale = await executingAction(eventId, key, TIMEOUT_MS + 5_000);
    await sweeper.sweep();

    const request = { eventId, agent: 'test-agent', allowedTools: [counting.tool.name], tool: counting.tool.name, args: { note: 'x' }, dedupeKey: key };
    counting.holdNextCall();
    const first = actions.execute(request);
    await waitFor('the connector call', () => counting.calls.length === 1);
    // Taken over: EXECUTING again, and freshly so, even though the row itself is old.
    expect(await sweeper.sweep()).toBe(0);
    expect((await t.prisma.agentAction.findUniqueOrThrow({ where: { id: stale.id } })).status).toBe('EXECUTING');
    const concurrent = await actions.execute(request);
    expect(concurrent).toMatchObject({ kind: 'recorded', duplicate: true, action: { status: 'EXECUTING' } });
    counting.releaseCall();

    expect(await first).toMatchObject({ kind: 'recorded', action: { id: stale.id, status: 'EXECUTED', error: null } });
    expect(await actions.execute(request)).toMatchObject({ kind: 'recorded', duplicate: true, action: { status: 'EXECUTED' } });
    expect(counting.calls).toEqual([key]);
  });

  describe('GitHub comments (GitHub has no idempotency keys)', () => {
    const args = { owner: 'Codertocat', repo: 'Hello-World', issue_number: 7, body: 'Deploy looks healthy.' };
    const request = (eventId: string, dedupeKey: string) => ({
      eventId,
      agent: 'test-agent',
      allowedTools: ['github_post_issue_comment'],
      tool: 'github_post_issue_comment',
      args,
      dedupeKey,
    });

    it('finds the comment an interrupted attempt had already posted, by its marker, instead of posting it again', async () => {
      const eventId = await seededEventId();
      const key = `comment-${randomUUID()}`;
      const first = await actions.execute(request(eventId, key));
      expect(first).toMatchObject({ kind: 'recorded', action: { status: 'EXECUTED', result: { already_existed: false } } });
      expect(github.comments).toHaveLength(1);
      expect(github.comments[0].body).toMatch(/^Deploy looks healthy\.\n\n<!-- hookwise-action:[0-9a-f]{32} -->$/);
      expect(github.commentListRequests).toEqual([]);

      // GitHub took the comment, then the process died before recording it.
      const action = (first as { action: { id: string } }).action;
      await makeInterrupted(action.id, TIMEOUT_MS + 5_000);
      expect(await sweeper.sweep()).toBe(1);

      const again = await actions.execute(request(eventId, key));
      expect(again).toMatchObject({ kind: 'recorded', action: { status: 'EXECUTED', result: { id: github.comments[0].id, already_existed: true } } });
      expect(github.comments).toHaveLength(1);
      expect(github.commentListRequests).toEqual(['Codertocat/Hello-World#7']);
    });

    it('posts the comment once when the interrupted attempt never reached GitHub', async () => {
      const eventId = await seededEventId();
      const key = `comment-${randomUUID()}`;
      await executingAction(eventId, key, TIMEOUT_MS + 5_000, 'github_post_issue_comment', args);
      expect(await sweeper.sweep()).toBe(1);

      const outcome = await actions.execute(request(eventId, key));
      expect(outcome).toMatchObject({ kind: 'recorded', action: { status: 'EXECUTED', result: { already_existed: false } } });
      expect(github.comments).toHaveLength(1);
      expect(github.commentListRequests).toEqual(['Codertocat/Hello-World#7']);
    });
  });
});
