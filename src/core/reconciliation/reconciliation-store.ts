import { Injectable } from '@nestjs/common';
import type { ReconciliationRun } from '../../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { uuidv7 } from '../http/uuid-v7.js';
import type { ReconcileResult } from './reconcile-result.js';

export type ReconciliationTrigger = 'schedule' | 'manual';

/** At most this many error messages are kept on a run (the count is kept whole). */
const KEPT_ERRORS = 5;

/** Where reconciliation keeps its state in PostgreSQL: each source's point (reconciliation_points) and its runs (reconciliation_runs). */
@Injectable()
export class ReconciliationStore {
  constructor(private readonly prisma: PrismaService) {}

  async point(source: string): Promise<Date | null> {
    const row = await this.prisma.reconciliationPoint.findUnique({ where: { source } });
    return row?.reconciledUntil ?? null;
  }

  /** When the ledger first heard from the provider: how far back a source's first run looks. */
  async firstEventAt(provider: string): Promise<Date | null> {
    const first = await this.prisma.webhookEvent.findFirst({ where: { provider }, orderBy: { receivedAt: 'asc' }, select: { receivedAt: true } });
    return first?.receivedAt ?? null;
  }

  /** Runs of the source left RUNNING by a process that died (the caller holds the source's lock, so none is running). */
  async markInterrupted(source: string): Promise<number> {
    const { count } = await this.prisma.reconciliationRun.updateMany({
      where: { source, status: 'RUNNING' },
      data: { status: 'INTERRUPTED', finishedAt: new Date(), lastError: 'interrupted: its process stopped before the run ended; the point was not moved' },
    });
    return count;
  }

  start(source: string, trigger: ReconciliationTrigger, since: Date, until: Date): Promise<ReconciliationRun> {
    return this.prisma.reconciliationRun.create({ data: { id: uuidv7(), source, trigger, since, until } });
  }

  /** The run succeeded: its counts, and the source's point moved to the end of its window, in one transaction. */
  async succeeded(run: ReconciliationRun, result: ReconcileResult): Promise<ReconciliationRun> {
    const [finished] = await this.prisma.$transaction([
      this.prisma.reconciliationRun.update({ where: { id: run.id }, data: { status: 'SUCCEEDED', finishedAt: new Date(), ...counts(result) } }),
      this.prisma.reconciliationPoint.upsert({
        where: { source: run.source },
        create: { source: run.source, reconciledUntil: run.until },
        update: { reconciledUntil: run.until },
      }),
    ]);
    return finished;
  }

  /** The run failed part way: what it did is counted, the point stays. */
  failed(run: ReconciliationRun, result: ReconcileResult, err: Error): Promise<ReconciliationRun> {
    const outcome = counts({ ...result, errors: [...result.errors, err.message] });
    return this.prisma.reconciliationRun.update({ where: { id: run.id }, data: { status: 'FAILED', finishedAt: new Date(), ...outcome } });
  }

  /**
   * Deletes the source's runs started before `before` (through the (source, started_at) index) and,
   * in the same statement, adds what they counted to reconciliation_pruned_totals, so the
   * hookwise_reconciled_total counter summed from both never goes down. How many runs went.
   */
  async prune(source: string, before: Date): Promise<number> {
    const rows = await this.prisma.$queryRaw<Array<{ runs: bigint }>>`
      WITH pruned AS (
        DELETE FROM reconciliation_runs WHERE source = ${source} AND started_at < ${before}
        RETURNING found, missing, redelivered, ingested, errors
      ), counted AS (
        SELECT count(*) AS runs, sum(found) AS found, sum(missing) AS missing, sum(redelivered) AS redelivered, sum(ingested) AS ingested, sum(errors) AS errors FROM pruned
      ), added AS (
        INSERT INTO reconciliation_pruned_totals AS t (source, runs, found, missing, redelivered, ingested, errors)
        SELECT ${source}, runs, found, missing, redelivered, ingested, errors FROM counted WHERE runs > 0
        ON CONFLICT (source) DO UPDATE SET
          runs = t.runs + excluded.runs, found = t.found + excluded.found, missing = t.missing + excluded.missing,
          redelivered = t.redelivered + excluded.redelivered, ingested = t.ingested + excluded.ingested, errors = t.errors + excluded.errors
      )
      SELECT runs FROM counted`;
    return Number(rows[0]?.runs ?? 0);
  }

  latestRun(source: string): Promise<ReconciliationRun | null> {
    return this.prisma.reconciliationRun.findFirst({ where: { source }, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] });
  }
}

function counts(result: ReconcileResult) {
  return {
    found: result.found,
    missing: result.missing,
    redelivered: result.redelivered,
    ingested: result.ingested,
    errors: result.errors.length,
    lastError: result.errors.length ? result.errors.slice(0, KEPT_ERRORS).join('\n') : null,
  };
}
