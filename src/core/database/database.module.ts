import { Global, Module } from '@nestjs/common';
import { DatabasePool } from './database-pool.js';
import { PrismaService } from './prisma.service.js';

/** The PostgreSQL connections every role shares: the pg pool (hot paths) and the Prisma client. */
@Global()
@Module({
  providers: [DatabasePool, PrismaService],
  exports: [DatabasePool, PrismaService],
})
export class DatabaseModule {}
