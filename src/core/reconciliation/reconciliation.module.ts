import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobDispatcher } from '../ingest/job-dispatcher.js';
import { QueueModule } from '../queue/queue.module.js';
import { ReconciledEventWriter } from './reconciled-event-writer.js';
import { ReconcilerRegistry } from './reconciler.registry.js';
import { ReconciliationLock } from './reconciliation-lock.js';
import { RECONCILIATION_QUEUE } from './reconciliation-queue.js';
import { ReconciliationStore } from './reconciliation-store.js';
import { ReconciliationRequests } from './reconciliation-requests.js';
import { ReconciliationProcessor } from './reconciliation.processor.js';
import { ReconciliationScheduler } from './reconciliation.scheduler.js';
import { ReconciliationService } from './reconciliation.service.js';

/**
 * Reconciliation against the senders' own records. Every role has the queue, the registry and the
 * state (the admin API reads runs and queues them); processes that run processors (worker, all)
 * also run the jobs and keep the schedules.
 */
@Module({})
export class ReconciliationModule {
  static forRoles({ process }: { process: boolean }): DynamicModule {
    // Exported with the rest: the admin API queues runs on it and shows it in Bull Board.
    const queue = QueueModule.forQueue(RECONCILIATION_QUEUE);
    return {
      module: ReconciliationModule,
      global: true,
      imports: [DiscoveryModule, queue],
      providers: [
        ReconcilerRegistry,
        ReconciliationLock,
        ReconciliationStore,
        ReconciliationRequests,
        ReconciledEventWriter,
        JobDispatcher,
        ReconciliationService,
        ...(process ? [ReconciliationProcessor, ReconciliationScheduler] : []),
      ],
      exports: [queue, ReconcilerRegistry, ReconciliationStore, ReconciliationRequests, ReconciliationLock, ReconciliationService],
    };
  }
}
