import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit, type Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { webhookQueueName } from '../queue/queue-names.js';
import type { WebhookProviderDefinition } from './webhook-provider-definition.js';
import { WebhookProviderRegistry } from './webhook-provider.registry.js';

@Injectable()
class ToyProvider implements OnModuleInit {
  constructor(private readonly registry: WebhookProviderRegistry) {}

  onModuleInit(): void {
    const definition: WebhookProviderDefinition = {
      name: 'toy',
      secretVariable: 'TOY_WEBHOOK_SECRET',
      storedHeaders: [],
      verifier: { isConfigured: () => true, verify: async () => ({ valid: true }) },
      describe: () => ({ deliveryId: '1', eventType: 'thing', subject: null }),
    };
    this.registry.register(definition);
  }
}

async function boot(extra: Provider[]) {
  const moduleRef = await Test.createTestingModule({ providers: [WebhookProviderRegistry, ToyProvider, ...extra] }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('WebhookProviderRegistry', () => {
  it('refuses at boot a provider whose module registered no queue, saying what to import', async () => {
    await expect(boot([])).rejects.toThrow("webhook provider toy has no queue: its module must import QueueModule.forProvider('toy')");
  });

  it('registers a provider whose queue exists', async () => {
    const moduleRef = await boot([{ provide: getQueueToken(webhookQueueName('toy')), useValue: {} }]);
    expect(moduleRef.get(WebhookProviderRegistry).names()).toEqual(['toy']);
    await moduleRef.close();
  });
});
