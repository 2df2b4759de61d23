import { ApiProperty } from '@nestjs/swagger';
import type { ReconciliationRun } from '../../../generated/prisma/client.js';

/** One reconciliation run of a source: its window, what it found and what it did. */
export class ReconciliationRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['schedule', 'manual'] }) trigger!: string;
  @ApiProperty({ enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED'], description: 'INTERRUPTED: its process stopped mid-run (found by the next run, which went over the window again).' })
  status!: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'How far back it looked: the source’s stored point when it started.' }) since!: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'End of its window (a minute before it started); the point moves here when it succeeds.' }) until!: string;
  @ApiProperty({ description: 'Deliveries or events the sender listed in the window.' }) found!: number;
  @ApiProperty({ description: 'Of those, the ones the ledger did not have.' }) missing!: number;
  @ApiProperty({ description: 'Asked the sender to redeliver (GitHub).' }) redelivered!: number;
  @ApiProperty({ description: 'Written to the ledger with provenance `reconciled` (Stripe).' }) ingested!: number;
  @ApiProperty({ description: 'Deliveries it could not handle, and the failure that ended a FAILED run.' }) errors!: number;
  @ApiProperty({ nullable: true, type: String, description: 'The first few errors, one per line.' }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finishedAt!: string | null;

  static fromModel(run: ReconciliationRun): ReconciliationRunDto {
    return Object.assign(new ReconciliationRunDto(), {
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      since: run.since.toISOString(),
      until: run.until.toISOString(),
      found: run.found,
      missing: run.missing,
      redelivered: run.redelivered,
      ingested: run.ingested,
      errors: run.errors,
      lastError: run.lastError,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
    });
  }
}
