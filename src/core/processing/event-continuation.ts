import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
import { EventStatus } from '../../generated/prisma/client.js';
import type { ActionDecision } from '../actions/action-decision.js';
import { ActionService } from '../actions/action.service.js';
import { EventLedger } from '../events/event-ledger.js';
import { CONTINUE_EVENT_JOB, webhookQueueName } from '../queue/queue-names.js';
import type { WebhookJobData } from '../queue/webhook-job.js';

/** What a continuation job does next: run the event as an attempt, check again later, or nothing. */
export type ContinuationStep = 'run' | 'wait' | 'skip';

/**
 * An event resumes once an operator has decided one of its pending actions. Its handler already
 * ran to the end (the action waited), so nothing else would run it again: after every decision
 * (ActionService.onDecided; not a handler approving its own action) a continuation job goes on the
 * event's provider queue, and a worker runs the handler again, like any attempt of the event (its
 * queue's priority and limiter, retries with backoff, DEAD in the end). Handlers are built to be run
 * again (the exactly-once step and action keys): the steps already done are found, the decided
 * action is EXECUTED or REJECTED, and only what remains happens (resolve the alert, report the outcome).
 *
 * The job reopens the event only when it has finished (SUCCEEDED, IGNORED or DEAD → QUEUED, with a
 * status reason naming the decision). An event still waiting for its job (QUEUED, FAILED, RECEIVED)
 * is left to that job, which starts after the decision and so sees it. While an attempt is running
 * (PROCESSING), which may have read the action before the decision, the job waits and checks again.
 */
@Injectable()
export class EventContinuation implements OnModuleInit {
  private readonly logger = new Logger(EventContinuation.name);

  constructor(
    private readonly actions: ActionService,
    private readonly ledger: EventLedger,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    this.actions.onDecided((decision) => this.request(decision));
  }

  /** Queues the continuation of the decided action's event (one job per decision). */
  async request({ action, decision, decidedBy }: ActionDecision): Promise<void> {
    const event = await this.ledger.findById(action.eventId);
    if (!event) return;
    const reason = `continues: ${action.tool} (action ${action.id}) ${decision} by ${decidedBy}`;
    const decidedAt = (action.approvedAt ?? action.rejectedAt ?? action.updatedAt).getTime();
    const queue = this.moduleRef.get<Queue<WebhookJobData>>(getQueueToken(webhookQueueName(event.provider)), { strict: false });
    await queue.add(CONTINUE_EVENT_JOB, { eventId: event.id, continuation: { reason } }, { jobId: `${event.id}-after-${action.id}-${decidedAt}` });
    this.logger.log(`event ${event.id} (${event.status}) will continue: ${action.tool} ${decision} by ${decidedBy}`);
  }

  /** The first step of a continuation job (see the class comment); its later runs go straight to 'run'. */
  async reopen(job: Job<WebhookJobData>): Promise<ContinuationStep> {
    const { eventId, continuation } = job.data;
    if (!continuation || continuation.reopened) return 'run';
    if (!(await this.ledger.reopen(eventId, continuation.reason))) {
      const event = await this.ledger.findById(eventId);
      return event?.status === EventStatus.PROCESSING ? 'wait' : 'skip';
    }
    // Marked on the job at once: a retry after a failed attempt finds the event FAILED, not finished.
    await job.updateData({ eventId, continuation: { ...continuation, reopened: true } });
    return 'run';
  }
}
