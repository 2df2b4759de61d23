import { ApiProperty } from '@nestjs/swagger';

export class QueuedReconciliationDto {
  @ApiProperty({ example: 'stripe' }) source!: string;
  @ApiProperty({ description: 'Its job on the reconciliation queue (see /admin/queues).', example: 'reconcile-stripe-manual-0b6f…' }) jobId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) queuedAt!: string;
}

/** POST /admin/reconciliation/run: the runs queued (a worker runs them; GET /admin/reconciliation shows how they went). */
export class QueuedReconciliationsDto {
  @ApiProperty({ type: [QueuedReconciliationDto] }) queued!: QueuedReconciliationDto[];
  @ApiProperty({ type: [String], description: 'Sources left out because a run of theirs is in progress.' }) running!: string[];
}
