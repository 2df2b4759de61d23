import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { webhookQueueName } from '../queue/queue-names.js';
import { WebhookProviderDefinition } from './webhook-provider-definition.js';
import { WebhookProviderRegistry } from './webhook-provider.registry.js';

@Injectable()
@WebhookProviderDefinition()
class ToyProvider implements WebhookProviderDefinition {
  readonly name = 'toy';
  readonly secretVariable = 'TOY_WEBHOOK_SECRET';
  readonly storedHeaders = [];
  readonly verifier = { isConfigured: () => true, verify: async () => ({ valid: true as const }) };
  describe() {
    return { deliveryId: '1', eventType: 'thing', subject: null };
  }
}

const toyQueue: Provider = { provide: getQueueToken(webhookQueueName('toy')), useValue: {} };

async function boot(providers: Provider[]) {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [WebhookProviderRegistry, ...providers] }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('WebhookProviderRegistry', () => {
  it('refuses at boot a provider whose module registered no queue, saying what to import', async () => {
    await expect(boot([ToyProvider])).rejects.toThrow("webhook provider toy has no queue: its module must import QueueModule.forProvider('toy')");
  });

  it('registers the @WebhookProviderDefinition() provider whose queue exists', async () => {
    const moduleRef = await boot([ToyProvider, toyQueue]);
    expect(moduleRef.get(WebhookProviderRegistry).names()).toEqual(['toy']);
    await moduleRef.close();
  });

  it('refuses at boot two providers of the same name', async () => {
    await expect(boot([ToyProvider, { provide: 'another toy', useClass: ToyProvider }, toyQueue])).rejects.toThrow('webhook provider toy is registered twice');
  });
});
