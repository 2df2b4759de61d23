import { Injectable } from '@nestjs/common';
import { EventStatus, type Prisma, type WebhookEvent } from '../../generated/prisma/client.js';
import { PrismaService } from './prisma.service.js';
import { storedError } from './stored-error.js';

/** States from which a job may (re)start work: a stalled PROCESSING row is picked up again. */
const STARTABLE: EventStatus[] = [EventStatus.RECEIVED, EventStatus.QUEUED, EventStatus.FAILED, EventStatus.PROCESSING];

/** Status transitions of ledger rows after ingestion. Inserts live in LedgerWriter (group commit). */
@Injectable()
export class EventLedger {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: string): Promise<WebhookEvent | null> {
    return this.prisma.webhookEvent.findUnique({ where: { id } });
  }

  /** Claims the event for an attempt; null when it is already terminal (or unknown). */
  async startAttempt(id: string): Promise<WebhookEvent | null> {
    const claimed = await this.prisma.webhookEvent.updateManyAndReturn({
      where: { id, status: { in: STARTABLE } },
      data: { status: EventStatus.PROCESSING, attempts: { increment: 1 } },
    });
    return claimed[0] ?? null;
  }

  async markSucceeded(id: string): Promise<void> {
    await this.finish(id, EventStatus.SUCCEEDED, { statusReason: null, lastError: null });
  }

  async markIgnored(id: string, reason: string): Promise<void> {
    await this.finish(id, EventStatus.IGNORED, { statusReason: reason });
  }

  async markDead(id: string, error: string, reason: string): Promise<void> {
    await this.finish(id, EventStatus.DEAD, { lastError: storedError(error), statusReason: reason });
  }

  /** A failed attempt that will be retried. */
  async markFailed(id: string, error: string): Promise<void> {
    await this.prisma.webhookEvent.updateMany({
      where: { id },
      data: { status: EventStatus.FAILED, lastError: storedError(error) },
    });
  }

  /** RECEIVED rows that never reached the queue (Redis down, crash between commit and enqueue). */
  findUnqueued(providers: string[], receivedBefore: Date, limit: number): Promise<Pick<WebhookEvent, 'id' | 'provider'>[]> {
    return this.prisma.webhookEvent.findMany({
      where: { provider: { in: providers }, status: EventStatus.RECEIVED, receivedAt: { lt: receivedBefore } },
      orderBy: { receivedAt: 'asc' },
      take: limit,
      select: { id: true, provider: true },
    });
  }

  /**
   * Events a job should be working on (QUEUED, PROCESSING, FAILED) untouched since `updatedBefore`,
   * in id (= arrival) order after `afterId`, for the outbox relay to check that their job still exists.
   */
  findStalled(providers: string[], updatedBefore: Date, afterId: string | null, limit: number): Promise<Pick<WebhookEvent, 'id' | 'provider'>[]> {
    return this.prisma.webhookEvent.findMany({
      where: {
        provider: { in: providers },
        status: { in: [EventStatus.QUEUED, EventStatus.PROCESSING, EventStatus.FAILED] },
        updatedAt: { lt: updatedBefore },
        ...(afterId ? { id: { gt: afterId } } : {}),
      },
      orderBy: { id: 'asc' },
      take: limit,
      select: { id: true, provider: true },
    });
  }

  // updateMany, not update: update would read the whole row back (payload included) for nothing.
  private async finish(id: string, status: EventStatus, data: Prisma.WebhookEventUpdateManyMutationInput): Promise<void> {
    await this.prisma.webhookEvent.updateMany({ where: { id }, data: { ...data, status, processedAt: new Date() } });
  }
}
