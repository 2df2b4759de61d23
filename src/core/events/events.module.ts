import { Global, Module } from '@nestjs/common';
import { EventLedger } from './event-ledger.js';

/** The event ledger: every delivery's row and its state transitions. */
@Global()
@Module({
  providers: [EventLedger],
  exports: [EventLedger],
})
export class EventsModule {}
