import { ConflictException, Inject, Injectable, NotFoundException, ServiceUnavailableException, UnprocessableEntityException } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import { ReconcilerRegistry } from '../../core/reconciliation/reconciler.registry.js';
import { ReconciliationLock } from '../../core/reconciliation/reconciliation-lock.js';
import { ReconciliationRequests } from '../../core/reconciliation/reconciliation-requests.js';
import { ReconciliationStore } from '../../core/reconciliation/reconciliation-store.js';
import { AdminAuditLog } from '../audit/admin-audit-log.js';
import type { QueuedReconciliationsDto } from './dto/queued-reconciliation.dto.js';
import { ReconciliationRunDto } from './dto/reconciliation-run.dto.js';
import type { ReconciliationStatusDto } from './dto/reconciliation-source.dto.js';

/** The operator's view of reconciliation: each source's point and last run, and runs on demand (audited). */
@Injectable()
export class AdminReconciliationService {
  constructor(
    private readonly registry: ReconcilerRegistry,
    private readonly store: ReconciliationStore,
    private readonly lock: ReconciliationLock,
    private readonly requests: ReconciliationRequests,
    private readonly audit: AdminAuditLog,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async status(): Promise<ReconciliationStatusDto> {
    const sources = await Promise.all(
      this.registry.sources().map(async (source) => {
        const reason = this.registry.get(source)!.unavailableReason();
        const [point, lastRun, running] = await Promise.all([this.store.point(source), this.store.latestRun(source), this.lock.isHeld(source)]);
        return {
          source,
          available: reason === null,
          unavailableReason: reason,
          running,
          reconciledUntil: point?.toISOString() ?? null,
          lastRun: lastRun ? ReconciliationRunDto.fromModel(lastRun) : null,
        };
      }),
    );
    return { intervalSeconds: this.config.RECONCILE_INTERVAL / 1000, sources };
  }

  async run(source: string | undefined, keyFingerprint: string): Promise<QueuedReconciliationsDto> {
    const outcome = await this.requests.request(source).catch((err: Error) => {
      throw new ServiceUnavailableException({ statusCode: 503, error: 'queue_unavailable', message: `could not queue the run: ${err.message}` });
    });
    switch (outcome.status) {
      case 'unknown_source':
        throw new NotFoundException({ statusCode: 404, error: 'unknown_source', message: `no reconciler named ${outcome.source}; known: ${outcome.known.join(', ') || 'none'}` });
      case 'unavailable':
        throw new UnprocessableEntityException({
          statusCode: 422,
          error: 'reconciliation_unavailable',
          message: Object.entries(outcome.reasons).map(([s, why]) => `${s}: ${why}`).join('; ') || 'no reconciler is configured',
        });
      case 'running':
        throw new ConflictException({ statusCode: 409, error: 'reconciliation_running', message: `a run is in progress for ${outcome.sources.join(', ')}`, sources: outcome.sources });
    }
    await this.audit.record({ keyFingerprint, action: 'reconciliation.run', target: source ?? null, details: { queued: outcome.queued.map((q) => q.source) } });
    const queuedSources = new Set(outcome.queued.map((q) => q.source));
    const running = source === undefined ? this.registry.sources().filter((s) => !queuedSources.has(s) && this.registry.get(s)!.unavailableReason() === null) : [];
    return { queued: outcome.queued.map((q) => ({ source: q.source, jobId: q.jobId, queuedAt: q.queuedAt.toISOString() })), running };
  }
}
