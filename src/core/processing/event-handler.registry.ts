import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { discoverMarkedProviders } from '../discovery/discoverable-providers.js';
import { WebhookEventHandler } from './event-handler.js';

/**
 * Every event handler of this process. At boot it registers each `@WebhookEventHandler()` provider
 * of the module graph, in discovery order (modules depth-first along `imports`, then each module's
 * `providers` order); `register()` appends. An event goes to the first handler of its provider that
 * accepts its type, so list a provider's more specific handlers first in its module.
 */
@Injectable()
export class EventHandlerRegistry implements OnModuleInit {
  private readonly handlers: WebhookEventHandler[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const handler of discoverMarkedProviders(this.discovery, WebhookEventHandler)) this.register(handler);
  }

  register(handler: WebhookEventHandler): void {
    if (this.handlers.some((h) => h.name === handler.name)) {
      throw new Error(`an event handler named ${handler.name} is already registered`);
    }
    this.handlers.push(handler);
  }

  unregister(name: string): void {
    const index = this.handlers.findIndex((h) => h.name === name);
    if (index >= 0) this.handlers.splice(index, 1);
  }

  find(provider: string, eventType: string): WebhookEventHandler | undefined {
    return this.handlers.find((h) => h.provider === provider && h.handles(eventType));
  }
}
