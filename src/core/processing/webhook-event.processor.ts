import { getQueueToken, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DelayedError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../../config/env.schema.js';
import { EventLedger } from '../events/event-ledger.js';
import { reopenForContinuation } from './continuation-reopen.js';
import { EventHandlerRegistry } from './event-handler.registry.js';
import { LocalWorkerPause } from '../queue/local-worker-pause.js';
import { PermanentError } from './permanent-error.js';
import { webhookQueueName } from '../queue/queue-names.js';
import { RateLimitedError } from './rate-limited-error.js';
import { queueWidePause, waitOutRateLimit, type QueuePause } from '../queue/upstream-rate-limit.js';
import type { WebhookJobData } from '../queue/webhook-job.js';
import { workerLimiter } from '../queue/worker-limiter.js';

/**
 * Runs one attempt of a webhook event: claims the ledger row (QUEUED → PROCESSING), routes it to
 * its handler and records the outcome. Failed attempts are FAILED and retried by BullMQ with
 * backoff; the last failed attempt, or a PermanentError, ends DEAD. A job for an event that is
 * already terminal (enqueued twice by the outbox relay, say) does nothing. An attempt stopped by an
 * upstream rate limit (RateLimitedError) is not counted: the event is QUEUED again and the whole
 * queue waits as long as the upstream asked. A continuation job (EventContinuation: an operator
 * decided one of the event's pending actions) first reopens the finished event (reopenForContinuation),
 * then runs it the same way.
 *
 * Each provider declares `@WebhookProcessor('<provider>') class XProcessor extends WebhookEventProcessor {}`.
 */
export abstract class WebhookEventProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private pause: QueuePause | undefined;

  constructor(
    private readonly ledger: EventLedger,
    private readonly handlers: EventHandlerRegistry,
    private readonly logger: PinoLogger,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
    // The worker hands its options to every fetch of the next job, where BullMQ applies the limiter.
    const limiter = workerLimiter(this.config);
    if (limiter) this.worker.opts.limiter = limiter;
  }

  beforeApplicationShutdown(): void {
    this.pause?.cancel();
  }

  async process(job: Job<WebhookJobData>, token?: string): Promise<string> {
    const eventId = job.data.eventId;
    const log = this.logger.logger.child({ reqId: eventId, queue: job.queueName });
    if (job.data.continuation) {
      const step = await reopenForContinuation(job, this.ledger);
      if (step === 'skip') {
        log.info({ reason: job.data.continuation.reason }, 'continuation not needed: the event is not finished, and its own job runs it after the decision');
        return 'skipped';
      }
      if (step === 'wait') {
        // Not an attempt: the job checks again once the attempt running now has had time to end.
        await job.moveToDelayed(Date.now() + this.config.JOB_BACKOFF_MS, token);
        throw new DelayedError();
      }
    }
    const event = await this.ledger.startAttempt(eventId);
    if (!event) {
      log.debug('event already terminal or unknown; nothing to do');
      return 'skipped';
    }

    const handler = this.handlers.find(event.provider, event.eventType);
    if (!handler) {
      const reason = `no handler for ${event.provider} event ${event.eventType}`;
      if (!(await this.ledger.markIgnored(event, reason))) return this.superseded(log);
      log.info({ eventType: event.eventType }, reason);
      return 'ignored';
    }

    try {
      const outcome = await handler.handle(event, event.attempts);
      if (outcome?.status === 'ignored') {
        if (!(await this.ledger.markIgnored(event, outcome.reason))) return this.superseded(log);
        log.info({ handler: handler.name, reason: outcome.reason }, 'event ignored by handler');
        return 'ignored';
      }
      if (!(await this.ledger.markSucceeded(event))) return this.superseded(log);
      log.info({ handler: handler.name, attempt: event.attempts }, 'event processed');
      return 'succeeded';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof RateLimitedError) {
        // The event goes back to QUEUED and its job waits: neither counts as an attempt.
        const reason = `rate limited upstream: the queue waits ${err.retryAfterMs} ms; the attempt does not count`;
        await this.ledger.requeueRateLimited(event, message, reason);
        const delayed = await waitOutRateLimit(job, token, err.retryAfterMs, this.queuePause());
        log.warn({ handler: handler.name, attempt: event.attempts, err: message, waitMs: err.retryAfterMs }, 'rate limited upstream; pausing the queue');
        throw delayed;
      }
      const permanent = err instanceof PermanentError || err instanceof UnrecoverableError;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (permanent || lastAttempt) {
        const reason = permanent ? 'permanent error: not retried' : `gave up after ${event.attempts} attempts`;
        if (!(await this.ledger.markDead(event, message, reason))) return this.superseded(log);
        log.error({ handler: handler.name, attempt: event.attempts, err: message }, `event dead: ${reason}`);
        throw permanent ? new UnrecoverableError(message) : err;
      }
      if (!(await this.ledger.markFailed(event, message))) return this.superseded(log);
      log.warn({ handler: handler.name, attempt: event.attempts, err: message }, 'event attempt failed; will retry');
      throw err;
    }
  }

  /**
   * This run's claim was taken over by a newer run of the same job (BullMQ started it again after a
   * stall while this one was still going): the newer run records the outcome, and BullMQ will not
   * accept this run's result anyway (its lock is gone).
   */
  private superseded(log: PinoLogger['logger']): string {
    log.warn('event claimed again by a newer run of its job (stalled job started again); this run\'s outcome is not recorded');
    return 'superseded';
  }

  /** Queue-wide where the workers have a limiter (see workerLimiter), else this process's worker only. */
  private queuePause(): QueuePause {
    this.pause ??= workerLimiter(this.config)
      ? queueWidePause(this.moduleRef.get<Queue>(getQueueToken(this.worker.name), { strict: false }))
      : new LocalWorkerPause(this.worker);
    return this.pause;
  }
}

/** Makes a WebhookEventProcessor subclass the worker of a provider's queue. */
export function WebhookProcessor(provider: string): ClassDecorator {
  return Processor(webhookQueueName(provider));
}
