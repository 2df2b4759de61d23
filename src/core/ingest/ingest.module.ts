import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BacklogMonitor } from './backlog-monitor.js';
import { IngestService } from './ingest.service.js';
import { JobDispatcher } from './job-dispatcher.js';
import { LedgerWriter } from '../events/ledger-writer.js';
import { OutboxRelay } from './outbox-relay.js';
import { RequestBodyBudget } from './request-body-budget.js';
import { SignatureGuard } from './signature.guard.js';
import { WebhookProviderRegistry } from './webhook-provider.registry.js';

/** The receiving side: verification, ledger writes, enqueueing, the outbox relay, and the bounds on what it takes in (backlog, bodies in flight). */
@Module({
  imports: [DiscoveryModule],
  providers: [WebhookProviderRegistry, SignatureGuard, LedgerWriter, JobDispatcher, OutboxRelay, IngestService, BacklogMonitor, RequestBodyBudget],
  exports: [WebhookProviderRegistry, SignatureGuard, IngestService, JobDispatcher, OutboxRelay, BacklogMonitor, RequestBodyBudget],
})
export class IngestModule {}
