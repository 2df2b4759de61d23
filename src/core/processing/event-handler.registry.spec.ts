import { Injectable, Module, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { AppConfigModule } from '../../config/config.module.js';
import { loadConfig } from '../../config/load-config.js';
import { WebhookEventHandler } from './event-handler.js';
import { EventHandlerRegistry } from './event-handler.registry.js';
import { ProcessingModule } from './processing.module.js';

abstract class ToyHandler implements WebhookEventHandler {
  abstract readonly name: string;
  readonly provider = 'toy';
  handles(eventType: string): boolean {
    return eventType.startsWith('order.');
  }
  async handle(): Promise<void> {}
}

@Injectable()
@WebhookEventHandler()
class PaidOrderHandler extends ToyHandler {
  readonly name = 'paid-order';
  override handles(eventType: string): boolean {
    return eventType === 'order.paid';
  }
}

@Injectable()
@WebhookEventHandler()
class AnyOrderHandler extends ToyHandler {
  readonly name = 'any-order';
}

@Injectable()
@WebhookEventHandler()
class RefundHandler extends ToyHandler {
  readonly name = 'refund';
}

@Module({ providers: [PaidOrderHandler, AnyOrderHandler] })
class OrdersModule {}

@Module({ providers: [AnyOrderHandler, PaidOrderHandler] })
class OrdersInReverseModule {}

/** Provides RefundHandler, but no test imports it: its handler is never instantiated. */
@Module({ providers: [RefundHandler] })
export class RefundsModule {}

async function boot(modules: Type[]) {
  const moduleRef = await Test.createTestingModule({ imports: [AppConfigModule.forRoot(loadConfig({})), ProcessingModule, ...modules] }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('EventHandlerRegistry discovery', () => {
  it('registers the @WebhookEventHandler() providers of imported modules, and none of a module not imported', async () => {
    const moduleRef = await boot([OrdersModule]);
    const registry = moduleRef.get(EventHandlerRegistry);
    expect(registry.find('toy', 'order.paid')?.name).toBe('paid-order');
    expect(registry.find('toy', 'order.created')?.name).toBe('any-order');
    expect(registry.find('toy', 'refund.created')).toBeUndefined();
    // RefundHandler accepts order.* too, but RefundsModule is not in the graph.
    registry.unregister('paid-order');
    registry.unregister('any-order');
    expect(registry.find('toy', 'order.paid')).toBeUndefined();
    await moduleRef.close();
  });

  it('tries handlers in the order of their module\'s providers: the first that accepts the type wins', async () => {
    const moduleRef = await boot([OrdersInReverseModule]);
    expect(moduleRef.get(EventHandlerRegistry).find('toy', 'order.paid')?.name).toBe('any-order');
    await moduleRef.close();
  });

  it('keeps register() for handlers added at run time, after the discovered ones', async () => {
    const moduleRef = await boot([OrdersModule]);
    const registry = moduleRef.get(EventHandlerRegistry);
    registry.register(new RefundHandler());
    registry.unregister('any-order');
    expect(registry.find('toy', 'order.paid')?.name).toBe('paid-order');
    expect(registry.find('toy', 'order.created')?.name).toBe('refund');
    await moduleRef.close();
  });

  it('refuses at boot two handlers of the same name', async () => {
    await expect(boot([OrdersModule, OrdersInReverseModule])).rejects.toThrow('an event handler named any-order is already registered');
  });
});
