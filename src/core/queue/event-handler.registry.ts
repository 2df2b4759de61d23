import { Injectable } from '@nestjs/common';
import type { WebhookEventHandler } from './event-handler.js';

@Injectable()
export class EventHandlerRegistry {
  private readonly handlers: WebhookEventHandler[] = [];

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
