import { Global, Module } from '@nestjs/common';
import { DatabasePool } from './database-pool.js';
import { EventLedger } from './event-ledger.js';
import { PrismaService } from './prisma.service.js';

@Global()
@Module({
  providers: [DatabasePool, PrismaService, EventLedger],
  exports: [DatabasePool, PrismaService, EventLedger],
})
export class LedgerModule {}
