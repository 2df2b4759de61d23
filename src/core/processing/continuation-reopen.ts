import type { Job } from 'bullmq';
import { EventStatus } from '../../generated/prisma/client.js';
import type { EventLedger } from '../events/event-ledger.js';
import type { WebhookJobData } from '../queue/webhook-job.js';

/** What a continuation job does next: run the event as an attempt, check again later, or nothing. */
export type ContinuationStep = 'run' | 'wait' | 'skip';

/**
 * The first step of a continuation job (queued by EventContinuation after a decision on one of the
 * event's pending actions): reopens the finished event (SUCCEEDED, IGNORED or DEAD → QUEUED, the
 * status reason naming the decision), which the job then runs like any attempt. 'skip' when the event
 * is still waiting for its own job (QUEUED, FAILED, RECEIVED), which starts after the decision and so
 * sees it, or is unknown; 'wait' while an attempt runs (PROCESSING), which may have read the action
 * before the decision. The job's later runs (retries, a restart after a stall) go straight to 'run'.
 */
export async function reopenForContinuation(job: Job<WebhookJobData>, ledger: EventLedger): Promise<ContinuationStep> {
  const { eventId, continuation } = job.data;
  if (!continuation || continuation.reopened) return 'run';
  if (!(await ledger.reopen(eventId, continuation.reason))) {
    const event = await ledger.findById(eventId);
    return event?.status === EventStatus.PROCESSING ? 'wait' : 'skip';
  }
  // Marked on the job at once: a retry after a failed attempt finds the event FAILED, not finished.
  await job.updateData({ eventId, continuation: { ...continuation, reopened: true } });
  return 'run';
}
