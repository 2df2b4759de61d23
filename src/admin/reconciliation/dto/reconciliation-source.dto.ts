import { ApiProperty } from '@nestjs/swagger';
import { ReconciliationRunDto } from './reconciliation-run.dto.js';

/** One source (a provider with a reconciler) as GET /admin/reconciliation shows it. */
export class ReconciliationSourceDto {
  @ApiProperty({ example: 'github' }) source!: string;
  @ApiProperty({ description: 'Whether it can run (its settings are there).' }) available!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Why it cannot run, when it cannot.' }) unavailableReason!: string | null;
  @ApiProperty({ description: 'A run of this source is in progress (in some process).' }) running!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'The stored point: everything the sender recorded before it was checked.' })
  reconciledUntil!: string | null;
  @ApiProperty({ type: ReconciliationRunDto, nullable: true, description: 'Its latest run.' }) lastRun!: ReconciliationRunDto | null;
}

export class ReconciliationStatusDto {
  @ApiProperty({ description: 'RECONCILE_INTERVAL in seconds; 0: no schedule.' }) intervalSeconds!: number;
  @ApiProperty({ type: [ReconciliationSourceDto] }) sources!: ReconciliationSourceDto[];
}
