import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventContinuation } from './event-continuation.js';
import { EventHandlerRegistry } from './event-handler.registry.js';

/**
 * Event processing shared by every provider: the registry of handlers the processors route to, and
 * the continuation of events after decisions on their pending actions.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [EventHandlerRegistry, EventContinuation],
  exports: [EventHandlerRegistry, EventContinuation],
})
export class ProcessingModule {}
