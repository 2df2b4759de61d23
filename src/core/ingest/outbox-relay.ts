import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import { EventLedger } from '../ledger/event-ledger.js';
import { JobDispatcher } from './job-dispatcher.js';

/** Rows younger than this are still in the dispatcher's hands; the relay leaves them alone. */
const GRACE_MS = 2000;
const BATCH = 500;

/**
 * The outbox relay: finds ledger rows that were committed but never reached the queue (Redis was
 * down, or the process died between commit and enqueue) and enqueues them. Runs at start and then
 * every OUTBOX_RELAY_INTERVAL_MS. Running it in several processes is safe: jobId = ledger id.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly ledger: EventLedger,
    private readonly dispatcher: JobDispatcher,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.config.OUTBOX_RELAY_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass; returns how many events were enqueued. Never throws. */
  runOnce(): Promise<number> {
    this.running ??= this.relay().finally(() => (this.running = null));
    return this.running;
  }

  private async relay(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const rows = await this.ledger.findUnqueued(new Date(Date.now() - GRACE_MS), BATCH);
        if (rows.length === 0) break;
        total += await this.dispatcher.enqueue(rows);
        if (rows.length < BATCH) break;
      }
      if (total > 0) this.logger.log(`outbox relay enqueued ${total} event(s) that had not reached the queue`);
    } catch (err) {
      this.logger.warn(`outbox relay pass failed (will retry): ${(err as Error).message}`);
    }
    return total;
  }
}
