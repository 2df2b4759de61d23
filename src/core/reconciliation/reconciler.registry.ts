import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { discoverMarkedProviders } from '../discovery/discoverable-providers.js';
import { WebhookProviderDefinition } from '../ingest/webhook-provider-definition.js';
import { WebhookReconciler, type Reconciler } from './reconciler.js';

/**
 * The reconcilers of this build (each `@WebhookReconciler()` a provider contributes), and the
 * definitions of their providers: a retrieved delivery is read by the same `describe` as a
 * received one. Every process role has them (a provider with reconcilers provides its definition
 * in every role): workers run them, the api role lists them and queues runs.
 */
@Injectable()
export class ReconcilerRegistry implements OnModuleInit {
  private readonly reconcilers = new Map<string, Reconciler>();
  private readonly definitions = new Map<string, WebhookProviderDefinition>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const definition of discoverMarkedProviders(this.discovery, WebhookProviderDefinition)) this.definitions.set(definition.name, definition);
    for (const reconciler of discoverMarkedProviders(this.discovery, WebhookReconciler)) {
      if (this.reconcilers.has(reconciler.source)) throw new Error(`a reconciler for ${reconciler.source} is registered twice`);
      if (!this.definitions.has(reconciler.source)) throw new Error(`the reconciler of ${reconciler.source} has no webhook provider of that name`);
      this.reconcilers.set(reconciler.source, reconciler);
    }
  }

  sources(): string[] {
    return [...this.reconcilers.keys()];
  }

  get(source: string): Reconciler | undefined {
    return this.reconcilers.get(source);
  }

  definition(source: string): WebhookProviderDefinition {
    const definition = this.definitions.get(source);
    if (!definition) throw new Error(`no webhook provider named ${source}`);
    return definition;
  }
}
