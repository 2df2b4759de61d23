import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventHandlerRegistry } from './event-handler.registry.js';

/** Event processing shared by every provider: the registry of handlers the processors route to. */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [EventHandlerRegistry],
  exports: [EventHandlerRegistry],
})
export class ProcessingModule {}
