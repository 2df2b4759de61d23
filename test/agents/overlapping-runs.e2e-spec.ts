import { getQueueToken } from '@nestjs/bullmq';
import { Job, type Queue } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ADMIN_REPLAY_QUEUE, type AdminReplayJobData } from '../../src/admin/replay/admin-replay-job.js';
import { AdminReplayProcessor } from '../../src/admin/replay/admin-replay.processor.js';
import { ActionService } from '../../src/core/actions/action.service.js';
import type { AgentTool } from '../../src/core/actions/agent-tool.js';
import { ToolRegistry } from '../../src/core/actions/tool.registry.js';
import { EventHandlerRegistry } from '../../src/core/processing/event-handler.registry.js';
import type { HandleOptions } from '../../src/core/processing/event-handler.js';
import { WEBHOOK_JOB, webhookQueueName } from '../../src/core/queue/queue-names.js';
import type { WebhookJobData } from '../../src/core/queue/webhook-job.js';
import { githubProvider } from '../../src/providers/github/index.js';
import type { WebhookEvent } from '../../src/generated/prisma/client.js';
import { ADMIN_KEY, admin, seedEvents } from '../support/admin-client.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Two runs of one job at the same time: what BullMQ does when a job stalls (its worker was killed,
 * or lost its lock while Redis was away or its event loop was blocked) and the job is started again
 * while the first run may still be acting. The second run is started here by calling the processor
 * with the same job, as BullMQ's stalled-job recovery does.
 */
describe('overlapping runs of one job (stalled-job recovery)', () => {
  let t: TestApp;
  const calls: string[] = [];
  let hold: Promise<void> | null = null;
  let release: () => void = () => undefined;

  const tool: AgentTool = {
    name: 'test_overlap_side_effect',
    description: 'A side effect the overlapping-run tests count.',
    input: z.strictObject({ note: z.string() }),
    destructive: false,
    unavailableReason: () => null,
    execute: async (_args, context) => {
      calls.push(context.idempotencyKey);
      await hold;
      return { ok: true };
    },
  };

  /** Holds every connector call until released. */
  function holdCalls(): void {
    hold = new Promise<void>((resolve) => (release = resolve));
  }

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_API_KEYS: ADMIN_KEY, ADMIN_THROTTLE_LIMIT: '100000', OUTBOX_RELAY_INTERVAL_MS: String(3_600_000) });
    t.app.get(ToolRegistry).register(tool);
    const actions = t.app.get(ActionService);
    // An agent-like handler: one side effect per event, replay flags passed on as AgentRunner does.
    t.app.get(EventHandlerRegistry).register({
      name: 'test-overlap-actor',
      provider: 'github',
      handles: (type) => type === 'deployment.created',
      handle: async (event: WebhookEvent, _attempt: number, options: HandleOptions = {}) => {
        await actions.execute({
          eventId: event.id,
          agent: 'test-agent',
          allowedTools: [tool.name],
          tool: tool.name,
          args: { note: 'roll back web' },
          dryRun: options.dryRun,
          replayId: options.repeatActions || options.dryRun ? options.replayId : undefined,
        });
      },
    });
  });
  afterAll(async () => {
    release();
    await t?.close();
  });
  beforeEach(async () => {
    release();
    hold = null;
    calls.length = 0;
    await resetLedger(t.prisma);
  });

  it('a bulk replay with repeatActions that is started again (stalled) does not repeat its actions', async () => {
    const [id] = await seedEvents(t.prisma, [{ eventType: 'deployment.created', receivedAt: new Date() }]);
    holdCalls();
    const bulk = await admin(t.url, '/admin/events/replay', { method: 'POST', body: { status: ['SUCCEEDED'], repeatActions: true } });
    expect(bulk.body).toMatchObject({ queued: 1, repeatActions: true });
    await waitFor('the replay to call the connector', () => calls.length === 1);

    // The first run is still calling the connector (or its process died there) when the job runs again.
    const queue = t.app.get<Queue<AdminReplayJobData>>(getQueueToken(ADMIN_REPLAY_QUEUE), { strict: false });
    const job = await queue.getJob(`${bulk.body.batchId}-${id}`);
    const second = t.app.get(AdminReplayProcessor).process(job!);
    await Promise.race([second, waitFor('a second connector call', () => calls.length === 2)]);
    release();
    await second;
    await waitFor('the first run to finish', async () => (await queue.getJob(job!.id!))?.finishedOn);

    expect(calls).toHaveLength(1);
    expect(await t.prisma.agentAction.count({ where: { eventId: id, status: 'EXECUTED' } })).toBe(1);
  });

  it("the outcome of an older run that ends last does not overwrite the newer run's", async () => {
    const [id] = await seedEvents(t.prisma, [{ eventType: 'issues.labeled', status: 'QUEUED', receivedAt: new Date() }]);
    let runs = 0;
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    t.app.get(EventHandlerRegistry).register({
      name: 'test-overlap-slow-then-fast',
      provider: 'github',
      handles: (type) => type === 'issues.labeled',
      handle: async () => {
        if (++runs > 1) return; // the newer run succeeds at once
        await firstHeld; // the older run is stuck on an upstream call that then fails
        throw new Error('upstream answered 502 after 40 s');
      },
    });

    const processor = t.app.get(githubProvider.processor);
    const queue = t.app.get<Queue<WebhookJobData>>(getQueueToken(webhookQueueName('github')), { strict: false });
    const job = () => new Job<WebhookJobData>(queue, WEBHOOK_JOB, { eventId: id }, { jobId: id, attempts: 5 });
    const older = processor.process(job()).catch((err: Error) => err);
    await waitFor('the older run to claim the event', () => runs === 1);
    expect(await processor.process(job())).toBe('succeeded');
    releaseFirst();
    await older;

    const row = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
    expect({ status: row.status, attempts: row.attempts, lastError: row.lastError }).toEqual({ status: 'SUCCEEDED', attempts: 2, lastError: null });
  });
});
