import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import { discoverMarkedProviders } from '../discovery/discoverable-providers.js';
import { webhookQueueName } from '../queue/queue-names.js';
import { WebhookProviderDefinition } from './webhook-provider-definition.js';

/** The providers this process receives: each `@WebhookProviderDefinition()` provider of the module graph, found at boot. */
@Injectable()
export class WebhookProviderRegistry implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Webhooks');
  private readonly providers = new Map<string, WebhookProviderDefinition>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly discovery: DiscoveryService,
  ) {}

  onModuleInit(): void {
    for (const provider of discoverMarkedProviders(this.discovery, WebhookProviderDefinition)) this.register(provider);
  }

  register(provider: WebhookProviderDefinition): void {
    if (this.providers.has(provider.name)) throw new Error(`webhook provider ${provider.name} is registered twice`);
    // Without its queue, the first enqueue (or the admin's queue board at boot) would fail with Nest's
    // "could not find BullQueue_webhooks-<name>", which does not say what the provider module forgot.
    if (!this.hasQueue(provider.name)) {
      throw new Error(`webhook provider ${provider.name} has no queue: its module must import QueueModule.forProvider('${provider.name}')`);
    }
    this.providers.set(provider.name, provider);
  }

  get(name: string): WebhookProviderDefinition {
    const provider = this.providers.get(name);
    if (!provider) throw new Error(`no webhook provider named ${name} is registered`);
    return provider;
  }

  private hasQueue(name: string): boolean {
    try {
      this.moduleRef.get(getQueueToken(webhookQueueName(name)), { strict: false });
      return true;
    } catch {
      return false;
    }
  }

  names(): string[] {
    return [...this.providers.keys()];
  }

  onApplicationBootstrap(): void {
    const unconfigured = [...this.providers.values()].filter((p) => !p.verifier.isConfigured());
    for (const provider of unconfigured) {
      this.logger.warn(
        `${provider.name} webhooks are not configured (${provider.secretVariable} is not set): deliveries are refused with 503 until it is`,
      );
    }
  }
}
