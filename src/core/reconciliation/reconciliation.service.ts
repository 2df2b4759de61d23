import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import type { ReconciliationRun } from '../../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { ReconciledEventWriter } from './reconciled-event-writer.js';
import { emptyReconcileResult } from './reconcile-result.js';
import type { Reconciler } from './reconciler.js';
import { ReconcilerRegistry } from './reconciler.registry.js';
import type { ReconciliationContext } from './reconciliation-context.js';
import { ReconciliationLock } from './reconciliation-lock.js';
import { ReconciliationStore, type ReconciliationTrigger } from './reconciliation-store.js';

/**
 * A window ends this long before its run starts: a delivery the sender is still making (senders
 * wait seconds for an answer, and send within seconds of the event) is left to the sender, and
 * the next run covers it. So a run never races the real delivery of a fresh event.
 */
export const SETTLE_MS = 60_000;

const DAY_MS = 24 * 60 * 60 * 1000;

export type RunOutcome = { ran: true; run: ReconciliationRun } | { ran: false; reason: 'running_elsewhere' | 'unavailable' | 'unknown_source'; detail: string };

/**
 * Runs one source's reconciliation: under the source's lock (one run at a time across every
 * process), over the window from its stored point to a little before now, moving the point only
 * when the whole window was handled. A run that fails, or dies with its process, leaves the point
 * where it was; the next run goes over the same window again (the ledger's dedup makes that safe).
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    private readonly registry: ReconcilerRegistry,
    private readonly lock: ReconciliationLock,
    private readonly store: ReconciliationStore,
    private readonly writer: ReconciledEventWriter,
    private readonly prisma: PrismaService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async run(source: string, trigger: ReconciliationTrigger): Promise<RunOutcome> {
    const reconciler = this.registry.get(source);
    if (!reconciler) return { ran: false, reason: 'unknown_source', detail: `no reconciler named ${source}` };
    const unavailable = reconciler.unavailableReason();
    if (unavailable) return { ran: false, reason: 'unavailable', detail: unavailable };
    const held = await this.lock.tryAcquire(source);
    if (!held) return { ran: false, reason: 'running_elsewhere', detail: `a ${source} reconciliation is running in another process` };
    try {
      const run = await this.runLocked(reconciler, trigger);
      await this.pruneRuns(source);
      return { ran: true, run };
    } finally {
      await held.release();
    }
  }

  private async runLocked(reconciler: Reconciler, trigger: ReconciliationTrigger): Promise<ReconciliationRun> {
    const { source } = reconciler;
    const interrupted = await this.store.markInterrupted(source);
    if (interrupted) this.logger.warn(`${source}: ${interrupted} earlier run(s) were interrupted (their process stopped); going over their window again`);
    const until = new Date(Date.now() - SETTLE_MS);
    const since = await this.windowStart(reconciler, until);
    const run = await this.store.start(source, trigger, since, until);
    const context = this.context(reconciler, since, until);
    try {
      // An empty window (a first run with nothing in the ledger yet) is a run that only sets the point.
      if (since < until) await reconciler.run(context);
    } catch (err) {
      const failed = await this.store.failed(run, context.tally, err as Error);
      this.logger.error(`${source}: reconciliation from ${since.toISOString()} failed, the point stays there: ${(err as Error).message}`);
      return failed;
    }
    const done = await this.store.succeeded(run, context.tally);
    const { found, missing, redelivered, ingested, errors } = done;
    this.logger.log(`${source}: reconciled ${since.toISOString()} to ${until.toISOString()}: ${found} found, ${missing} missing, ${redelivered} redelivered, ${ingested} ingested, ${errors} error(s)`);
    return done;
  }

  /**
   * Keeps reconciliation_runs bounded (a source adds 144 rows a day at the default interval): after
   * each run, under the source's lock, its runs older than RECONCILE_RUNS_KEPT_DAYS go. The run just
   * finished is never among them. A failure here is logged and left to the next run: the run itself
   * is done and recorded.
   */
  private async pruneRuns(source: string): Promise<void> {
    const days = this.config.RECONCILE_RUNS_KEPT_DAYS;
    if (days === 0) return;
    try {
      const pruned = await this.store.prune(source, new Date(Date.now() - days * DAY_MS));
      if (pruned) this.logger.log(`${source}: ${pruned} run(s) older than ${days} days deleted (RECONCILE_RUNS_KEPT_DAYS)`);
    } catch (err) {
      this.logger.warn(`${source}: could not delete runs older than ${days} days, the next run tries again: ${(err as Error).message}`);
    }
  }

  /**
   * The stored point; for a source's first run, the first event the ledger has from its provider
   * (nothing from before Hookwise was in use is fetched), or nothing at all without one. Never
   * further back than the sender's API can look.
   */
  private async windowStart(reconciler: Reconciler, until: Date): Promise<Date> {
    const start = (await this.store.point(reconciler.source)) ?? (await this.store.firstEventAt(reconciler.source)) ?? until;
    const oldest = until.getTime() - reconciler.maxWindowMs;
    return new Date(Math.min(until.getTime(), Math.max(start.getTime(), oldest)));
  }

  private context(reconciler: Reconciler, since: Date, until: Date): ReconciliationContext {
    const provider = reconciler.source;
    const definition = this.registry.definition(provider);
    return {
      since,
      until,
      tally: emptyReconcileResult(),
      knownDeliveries: async (ids) => {
        const known = new Set<string>();
        // Through the (provider, delivery_id) unique index, a bounded list at a time.
        for (let start = 0; start < ids.length; start += 1000) {
          const chunk = ids.slice(start, start + 1000);
          const rows = await this.prisma.webhookEvent.findMany({ where: { provider, deliveryId: { in: [...chunk] } }, select: { deliveryId: true } });
          for (const row of rows) known.add(row.deliveryId);
        }
        return known;
      },
      ingest: (delivery) => this.writer.write(definition, delivery),
    };
  }
}
