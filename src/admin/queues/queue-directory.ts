import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { WebhookProviderRegistry } from '../../core/ingest/webhook-provider.registry.js';
import { webhookQueueName } from '../../core/queue/queue-names.js';

export interface ProviderQueue {
  provider: string;
  queue: Queue;
}

/** The webhook queue of every provider this process receives (one queue per provider). */
@Injectable()
export class QueueDirectory {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly providers: WebhookProviderRegistry,
  ) {}

  all(): ProviderQueue[] {
    return this.providers
      .names()
      .sort()
      .map((provider) => ({ provider, queue: this.moduleRef.get<Queue>(getQueueToken(webhookQueueName(provider)), { strict: false }) }));
  }
}
