import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/env.schema.js';
import { IngestModule } from '../core/ingest/ingest.module.js';
import { QueueModule } from '../core/queue/queue.module.js';
import { AdminActionsController } from './actions/admin-actions.controller.js';
import { AdminActionsService } from './actions/admin-actions.service.js';
import { AdminAuditController } from './audit/admin-audit.controller.js';
import { AdminAuditLog } from './audit/admin-audit-log.js';
import { DecisionAudit } from './audit/decision-audit.js';
import { AdminAuthGuard } from './auth/admin-auth.guard.js';
import { AdminKeyVerifier } from './auth/admin-key-verifier.js';
import { AdminEventsController } from './events/admin-events.controller.js';
import { AdminEventsService } from './events/admin-events.service.js';
import { EventSearch } from './events/event-search.js';
import { HookwiseMetrics } from './metrics/hookwise-metrics.js';
import { IngestMetricsHook } from './metrics/ingest-metrics.hook.js';
import { MetricsCollector } from './metrics/metrics-collector.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { BullBoardMount } from './queues/bull-board.mount.js';
import { QueueDirectory } from './queues/queue-directory.js';
import { ADMIN_REPLAY_QUEUE } from './replay/admin-replay-job.js';
import { AdminReconciliationController } from './reconciliation/admin-reconciliation.controller.js';
import { AdminReconciliationService } from './reconciliation/admin-reconciliation.service.js';
import { AdminReplayController } from './replay/admin-replay.controller.js';
import { AdminReplayProcessor } from './replay/admin-replay.processor.js';
import { AdminReplayService } from './replay/admin-replay.service.js';
import { AdminStatsController } from './stats/admin-stats.controller.js';
import { AdminStatsService } from './stats/admin-stats.service.js';

/**
 * The operator's view (APP_ROLE=api|all): /admin REST, /metrics, Bull Board at /admin/queues, and
 * the admin-replays queue that runs bulk replays.
 * The OpenAPI document at /docs is set up on the app itself (openapi/setup-open-api.ts).
 */
@Module({
  imports: [
    IngestModule,
    DiscoveryModule,
    QueueModule.forQueue(ADMIN_REPLAY_QUEUE),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ throttlers: [{ ttl: config.ADMIN_THROTTLE_TTL_MS, limit: config.ADMIN_THROTTLE_LIMIT }] }),
    }),
  ],
  controllers: [
    AdminReplayController,
    AdminEventsController,
    AdminActionsController,
    AdminStatsController,
    AdminAuditController,
    AdminReconciliationController,
    MetricsController,
  ],
  providers: [
    AdminKeyVerifier,
    AdminAuthGuard,
    AdminAuditLog,
    DecisionAudit,
    EventSearch,
    AdminEventsService,
    AdminStatsService,
    AdminReplayService,
    AdminReplayProcessor,
    AdminActionsService,
    AdminReconciliationService,
    QueueDirectory,
    HookwiseMetrics,
    IngestMetricsHook,
    MetricsCollector,
    BullBoardMount,
  ],
})
export class AdminModule {}
