import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentTool } from '../../src/core/actions/agent-tool.js';
import { ActionService } from '../../src/core/actions/action.service.js';
import { ToolRegistry } from '../../src/core/actions/tool.registry.js';
import { EventHandlerRegistry } from '../../src/core/processing/event-handler.registry.js';
import { PermanentError } from '../../src/core/processing/permanent-error.js';
import type { AgentActionStatus } from '../../src/generated/prisma/client.js';
import { eventSettled } from '../support/event-settled.js';
import { postSynthetic, syntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const EVENT_TYPE = 'gadget.flagged';
const TOOL = 'test_quarantine_gadget';

/**
 * The core's continuation after a decision (EventContinuation, reopenForContinuation), driven through
 * the synthetic provider: its handler asks for a destructive action (approval by default) and says,
 * on every run, what state it found the action in. The decisions go through ActionService as the
 * admin API and Slack call it.
 */
describe('An event continues after a decision on its pending action', () => {
  let t: TestApp;
  let actions: ActionService;
  /** One entry per handler run: the action's status as the run found it. */
  const runs: Array<{ eventId: string; found: AgentActionStatus }> = [];
  const executed: unknown[] = [];
  /** Holds a run after it recorded the action, while set: the event stays PROCESSING. */
  let gate: Promise<void> | null = null;
  /** Makes the handler fail permanently after recording the action (the event ends DEAD). */
  let breakAfterAction = false;

  const tool: AgentTool = {
    name: TOOL,
    description: 'test tool: quarantines a gadget',
    input: z.strictObject({ gadget: z.string() }),
    destructive: true,
    unavailableReason: () => null,
    execute: async (args) => {
      executed.push(args);
      return { quarantined: true };
    },
  };

  beforeAll(async () => {
    t = await startTestApp();
    actions = t.app.get(ActionService);
    t.app.get(ToolRegistry).register(tool);
    t.app.get(EventHandlerRegistry).register({
      name: 'test-gadget-quarantine',
      provider: 'synthetic',
      handles: (type) => type === EVENT_TYPE,
      handle: async (event) => {
        const outcome = await actions.execute({ eventId: event.id, agent: 'test-gadget', allowedTools: [TOOL], tool: TOOL, args: { gadget: 'g-1' }, dedupeKey: `test-gadget:${event.id}` });
        if (outcome.kind !== 'recorded') throw new Error('not recorded');
        runs.push({ eventId: event.id, found: outcome.action.status });
        if (gate) await gate;
        if (breakAfterAction) throw new PermanentError('the gadget service refused the report');
        if (outcome.action.status === 'REJECTED') return { status: 'ignored', reason: `quarantine rejected by ${outcome.action.rejectedBy}` };
      },
    });
  });
  afterAll(() => t?.close());
  beforeEach(async () => {
    await resetLedger(t.prisma);
    runs.length = 0;
    executed.length = 0;
    gate = null;
    breakAfterAction = false;
  });

  async function deliver(): Promise<string> {
    const response = await postSynthetic(t.url, syntheticDelivery(EVENT_TYPE));
    expect(response.status).toBe(202);
    return response.body!.id as string;
  }
  const pendingOf = (eventId: string) => waitFor('the pending action', () => t.prisma.agentAction.findFirst({ where: { eventId, status: 'PENDING_APPROVAL' } }));
  const runsOf = (eventId: string) => runs.filter((r) => r.eventId === eventId).map((r) => r.found);
  const settledAfter = (eventId: string, attempts: number) =>
    waitFor(`event ${eventId} to finish attempt ${attempts}`, async () => {
      const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: eventId } });
      return row.attempts === attempts && ['SUCCEEDED', 'IGNORED', 'DEAD'].includes(row.status) ? row : null;
    });

  it('a finished event runs again after the approval, in a worker, and finds its action executed', async () => {
    const id = await deliver();
    const first = await eventSettled(t.prisma, id);
    expect(first).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    const pending = await pendingOf(id);

    const approved = await actions.approve(pending.id, 'operator-1', { via: 'test' });
    expect(approved.status).toBe('EXECUTED');
    const continued = await settledAfter(id, 2);
    expect(continued).toMatchObject({ status: 'SUCCEEDED', statusReason: null });
    expect(runsOf(id)).toEqual(['PENDING_APPROVAL', 'EXECUTED']);
    expect(executed).toEqual([{ gadget: 'g-1' }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runsOf(id)).toHaveLength(2);
  });

  it('an approval while the event is still being processed waits for that attempt to end, then continues it', async () => {
    let release!: () => void;
    gate = new Promise((resolve) => (release = resolve));
    const id = await deliver();
    const pending = await pendingOf(id);
    expect((await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).status).toBe('PROCESSING');

    await actions.approve(pending.id, 'operator-1', { via: 'test' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    // The continuation job waits (it neither takes the event over nor gives up).
    expect(runsOf(id)).toEqual(['PENDING_APPROVAL']);
    expect((await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).status).toBe('PROCESSING');

    gate = null;
    release();
    const continued = await settledAfter(id, 2);
    expect(continued.status).toBe('SUCCEEDED');
    expect(runsOf(id)).toEqual(['PENDING_APPROVAL', 'EXECUTED']);
    expect(executed).toHaveLength(1);
  });

  it('a rejection continues a DEAD event: the handler finds the action rejected, and nothing runs it', async () => {
    breakAfterAction = true;
    const id = await deliver();
    expect(await eventSettled(t.prisma, id)).toMatchObject({ status: 'DEAD', attempts: 1 });
    const pending = await pendingOf(id);

    breakAfterAction = false;
    await actions.reject(pending.id, 'operator-2', 'not this gadget', { via: 'test' });
    const continued = await settledAfter(id, 2);
    expect(continued).toMatchObject({ status: 'IGNORED', statusReason: 'quarantine rejected by operator-2' });
    expect(runsOf(id)).toEqual(['PENDING_APPROVAL', 'REJECTED']);
    expect(executed).toEqual([]);
  });

  it('a handler approving its own action during its run (withinRun) does not continue the event', async () => {
    const id = await deliver();
    const pending = await pendingOf(id);
    await eventSettled(t.prisma, id);
    await actions.approve(pending.id, 'policy', { via: 'policy', withinRun: true });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect(runsOf(id)).toEqual(['PENDING_APPROVAL']);
    expect(executed).toHaveLength(1);
  });
});
