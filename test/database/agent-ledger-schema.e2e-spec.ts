import { PrismaPg } from '@prisma/adapter-pg';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma, PrismaClient } from '../../src/generated/prisma/client.js';
import { resetLedger } from '../support/test-app.js';
import { testDatabaseUrl } from '../support/test-environment.js';

// The migration is hand-written: this proves it and schema.prisma agree, field by field.
describe('agent runtime tables (migration vs schema.prisma)', () => {
  let prisma: PrismaClient;

  beforeAll(() => {
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: testDatabaseUrl() }) });
  });
  afterAll(async () => {
    // The rows written here (a RECEIVED event with its run and action) must not outlive the file.
    if (prisma) await resetLedger(prisma);
    await prisma?.$disconnect();
  });

  it('writes and reads every field of AgentRun and AgentAction through the client', async () => {
    const event = await prisma.webhookEvent.create({
      data: { id: randomUUID(), provider: 'github', deliveryId: randomUUID(), eventType: 'pull_request.opened', payload: {} },
    });
    const at = new Date('2026-11-22T10:00:00.123Z');
    const run = await prisma.agentRun.create({
      data: {
        eventId: event.id,
        agent: 'github-pr-review',
        model: 'claude-sonnet-4-5',
        status: 'SUCCEEDED',
        stopReason: 'end_turn',
        iterations: 3,
        inputTokens: 1200,
        outputTokens: 340,
        cacheReadTokens: 900,
        cacheWriteTokens: 1100,
        costUsd: new Prisma.Decimal('0.012345'),
        latencyMs: 4321,
        finalText: 'done',
        answer: { findings: [{ title: 'x' }] },
        error: 'none',
        dryRun: true,
        replayId: randomUUID(),
        ownerId: 2_147_483_647,
        startedAt: at,
        finishedAt: at,
      },
    });
    const action = await prisma.agentAction.create({
      data: {
        eventId: event.id,
        runId: run.id,
        agent: 'github-pr-review',
        tool: 'github_post_issue_comment',
        arguments: { owner: 'o', repo: 'r', issue_number: 1, body: 'é ✓' },
        idempotencyKey: `key-${randomUUID()}`,
        status: 'PENDING_APPROVAL',
        policy: 'approval',
        statusReason: 'destructive',
        result: { id: 1 },
        error: 'boom',
        approvedBy: 'alice',
        approvedAt: at,
        rejectedBy: 'bob',
        rejectedAt: at,
        rejectionReason: 'no',
        executedAt: at,
        externalIds: ['slack:C0123:1700000000.000100', 'linear:issue:é'],
        createdAt: at,
      },
    });

    const readRun = await prisma.agentRun.findUniqueOrThrow({ where: { id: run.id }, include: { actions: true, event: true } });
    expect(readRun).toMatchObject({ ...run, actions: [action] });
    expect(readRun.costUsd?.toString()).toBe('0.012345');
    expect(readRun.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const readAction = await prisma.agentAction.findUniqueOrThrow({ where: { id: action.id }, include: { run: true } });
    expect(readAction).toEqual({ ...action, run });

    for (const status of ['EXECUTING', 'EXECUTED', 'DRY_RUN', 'PENDING_APPROVAL', 'REJECTED', 'FAILED'] as const) {
      await prisma.agentAction.update({ where: { id: action.id }, data: { status } });
    }
    for (const status of ['RUNNING', 'FAILED', 'SKIPPED'] as const) {
      await prisma.agentRun.update({ where: { id: run.id }, data: { status } });
    }
  });

  it('enforces one action per idempotency key and cascades from the event', async () => {
    const event = await prisma.webhookEvent.create({
      data: { id: randomUUID(), provider: 'github', deliveryId: randomUUID(), eventType: 'push', payload: {} },
    });
    const data = { eventId: event.id, agent: 'a', tool: 't', arguments: {}, idempotencyKey: `k-${randomUUID()}`, status: 'EXECUTED' as const, policy: 'auto' };
    await prisma.agentAction.create({ data });
    await expect(prisma.agentAction.create({ data })).rejects.toMatchObject({ code: 'P2002' });

    const run = await prisma.agentRun.create({ data: { eventId: event.id, agent: 'a', model: 'm' } });
    expect(run).toMatchObject({ status: 'RUNNING', inputTokens: 0, costUsd: null, dryRun: false });
    await prisma.webhookEvent.delete({ where: { id: event.id } });
    expect(await prisma.agentAction.count({ where: { eventId: event.id } })).toBe(0);
    expect(await prisma.agentRun.count({ where: { eventId: event.id } })).toBe(0);
  });
});
