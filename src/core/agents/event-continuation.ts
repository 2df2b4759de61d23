import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { ActionDecision } from '../actions/action-decision.js';
import { ActionService } from '../actions/action.service.js';
import { EventLedger } from '../events/event-ledger.js';
import { CONTINUE_EVENT_JOB, webhookQueueName } from '../queue/queue-names.js';
import type { WebhookJobData } from '../queue/webhook-job.js';

/**
 * An event resumes once an operator has decided one of its pending actions. Its handler already
 * ran to the end (the action waited), so nothing else would run it again: after every decision
 * (ActionService.onDecided; not a handler approving its own action) a continuation job goes on the
 * event's provider queue, and a worker runs the handler again, like any attempt of the event (its
 * queue's priority and limiter, retries with backoff, DEAD in the end; see reopenForContinuation).
 * Handlers are built to be run again (the exactly-once step and action keys): the steps already
 * done are found, the decided action is EXECUTED or REJECTED, and only what remains happens
 * (resolve the alert, report the outcome).
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
}
