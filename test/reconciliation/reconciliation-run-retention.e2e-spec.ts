import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src/config/env.schema.js';
import type { WebhookProviderDefinition } from '../../src/core/index.js';
import { ReconciledEventWriter } from '../../src/core/reconciliation/reconciled-event-writer.js';
import type { Reconciler } from '../../src/core/reconciliation/reconciler.js';
import type { ReconcilerRegistry } from '../../src/core/reconciliation/reconciler.registry.js';
import { ReconciliationLock } from '../../src/core/reconciliation/reconciliation-lock.js';
import { ReconciliationStore } from '../../src/core/reconciliation/reconciliation-store.js';
import { ReconciliationService } from '../../src/core/reconciliation/reconciliation.service.js';
import { uuidv7 } from '../../src/core/http/uuid-v7.js';
import { admin, ADMIN_KEY } from '../support/admin-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// reconciliation_runs stays bounded: after each run of a source, that source's runs older than
// RECONCILE_RUNS_KEPT_DAYS are deleted (real PostgreSQL; a reconciler of the test's own, the rest
// of the service as the app builds it).

const SOURCE = 'synthetic';
const OTHER = 'other-source';
const DAY = 24 * 60 * 60 * 1000;

describe('reconciliation run retention (RECONCILE_RUNS_KEPT_DAYS)', () => {
  let t: TestApp;
  let failNext = false;

  /** A source whose sender has nothing missing (or whose API fails, when told to). */
  const reconciler: Reconciler = {
    source: SOURCE,
    maxWindowMs: 30 * DAY,
    unavailableReason: () => null,
    run: async () => {
      if (failNext) throw new Error('the sender answered 503');
    },
  };

  /** The service as the app builds it, with this test's reconciler and the given retention. */
  function service(keptDays: number): ReconciliationService {
    const registry = { get: (source: string) => (source === SOURCE ? reconciler : undefined), definition: () => ({}) as WebhookProviderDefinition } as unknown as ReconcilerRegistry;
    const config = { ...t.config, RECONCILE_RUNS_KEPT_DAYS: keptDays } as AppConfig;
    return new ReconciliationService(registry, t.app.get(ReconciliationLock), t.app.get(ReconciliationStore), t.app.get(ReconciledEventWriter), t.prisma, config);
  }

  /** A finished run of `source` that started `daysAgo` days ago, with what it counted. */
  async function pastRun(source: string, daysAgo: number, counted: { found?: number; missing?: number; ingested?: number; errors?: number } = {}): Promise<string> {
    const startedAt = new Date(Date.now() - daysAgo * DAY);
    const id = uuidv7();
    await t.prisma.reconciliationRun.create({
      data: { id, source, trigger: 'schedule', status: 'SUCCEEDED', since: new Date(startedAt.getTime() - 10 * 60_000), until: startedAt, startedAt, finishedAt: startedAt, ...counted },
    });
    return id;
  }

  const runsOf = async (source: string) => (await t.prisma.reconciliationRun.findMany({ where: { source }, select: { id: true } })).map((r) => r.id).sort();

  beforeAll(async () => {
    t = await startTestApp({ APP_ROLE: 'api', ADMIN_API_KEYS: ADMIN_KEY });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    failNext = false;
    await t.prisma.reconciliationRun.deleteMany({ where: { source: { in: [SOURCE, OTHER] } } });
    await t.prisma.reconciliationPoint.deleteMany({ where: { source: { in: [SOURCE, OTHER] } } });
    await t.prisma.reconciliationPrunedTotal.deleteMany({ where: { source: { in: [SOURCE, OTHER] } } });
  });

  /** hookwise_reconciled_total of the source, by outcome, as /metrics shows it. */
  async function reconciledTotal(source: string): Promise<Record<string, number>> {
    const { body } = await admin(t.url, '/metrics');
    const totals: Record<string, number> = {};
    for (const [, outcome, value] of String(body).matchAll(new RegExp(`^hookwise_reconciled_total\\{provider="${source}",outcome="(\\w+)"\\} (\\d+)$`, 'gm'))) totals[outcome] = Number(value);
    return totals;
  }

  it('defaults to 30 days', () => {
    expect(t.config.RECONCILE_RUNS_KEPT_DAYS).toBe(30);
  });

  it('after a run, deletes the source’s runs older than the setting and keeps the newer ones, the new run and other sources’ runs', async () => {
    const old = [await pastRun(SOURCE, 400), await pastRun(SOURCE, 45), await pastRun(SOURCE, 30.01)];
    const kept = [await pastRun(SOURCE, 29.9), await pastRun(SOURCE, 3), await pastRun(SOURCE, 0.01)];
    const otherOld = [await pastRun(OTHER, 90), await pastRun(OTHER, 31)];

    const outcome = await service(30).run(SOURCE, 'manual');
    expect(outcome).toMatchObject({ ran: true, run: { status: 'SUCCEEDED' } });
    const run = (outcome as { run: { id: string } }).run;
    const left = await runsOf(SOURCE);
    expect(left).toEqual([...kept, run.id].sort());
    for (const id of old) expect(left).not.toContain(id);
    // Another source's runs go only when that source runs.
    expect(await runsOf(OTHER)).toEqual(otherOld.sort());
  });

  it('prunes after a failed run too (the failure is recorded, the old runs still go)', async () => {
    await pastRun(SOURCE, 60);
    const recent = await pastRun(SOURCE, 1);
    // A window to go over (without a point or a ledger row, a first run only sets the point).
    await t.prisma.reconciliationPoint.create({ data: { source: SOURCE, reconciledUntil: new Date(Date.now() - 60 * 60_000) } });
    failNext = true;
    const outcome = await service(30).run(SOURCE, 'schedule');
    expect(outcome).toMatchObject({ ran: true, run: { status: 'FAILED', lastError: 'the sender answered 503' } });
    expect(await runsOf(SOURCE)).toEqual([recent, (outcome as { run: { id: string } }).run.id].sort());
  });

  it('with a shorter setting keeps fewer days; with 0 deletes nothing', async () => {
    const eightDays = await pastRun(SOURCE, 8);
    const sixDays = await pastRun(SOURCE, 6);
    const first = await service(7).run(SOURCE, 'manual');
    expect(await runsOf(SOURCE)).toEqual([sixDays, (first as { run: { id: string } }).run.id].sort());
    expect(await runsOf(SOURCE)).not.toContain(eightDays);

    const ancient = await pastRun(SOURCE, 3650);
    const second = await service(0).run(SOURCE, 'manual');
    expect(await runsOf(SOURCE)).toEqual([sixDays, ancient, (first as { run: { id: string } }).run.id, (second as { run: { id: string } }).run.id].sort());
  });

  it('keeps hookwise_reconciled_total whole: what the deleted runs counted moves to reconciliation_pruned_totals', async () => {
    await pastRun(SOURCE, 50, { found: 10, missing: 3, ingested: 2, errors: 1 });
    await pastRun(SOURCE, 40, { found: 5, missing: 1, ingested: 1 });
    await pastRun(SOURCE, 2, { found: 7 });
    const before = await reconciledTotal(SOURCE);
    expect(before).toEqual({ found: 22, missing: 4, redelivered: 0, ingested: 3, error: 1 });

    await service(30).run(SOURCE, 'manual');
    expect(await t.prisma.reconciliationRun.count({ where: { source: SOURCE } })).toBe(2);
    expect(await t.prisma.reconciliationPrunedTotal.findUniqueOrThrow({ where: { source: SOURCE } })).toEqual({
      source: SOURCE,
      runs: 2n,
      found: 15n,
      missing: 4n,
      redelivered: 0n,
      ingested: 3n,
      errors: 1n,
    });
    expect(await reconciledTotal(SOURCE)).toEqual(before);

    // A later prune adds to the totals.
    await pastRun(SOURCE, 35, { found: 4, missing: 2, ingested: 2 });
    await service(30).run(SOURCE, 'manual');
    expect(await t.prisma.reconciliationPrunedTotal.findUniqueOrThrow({ where: { source: SOURCE } })).toMatchObject({ runs: 3n, found: 19n, missing: 6n, ingested: 5n });
    expect(await reconciledTotal(SOURCE)).toEqual({ found: 26, missing: 6, redelivered: 0, ingested: 5, error: 1 });
  });
});
