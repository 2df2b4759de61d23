import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../../config/env.schema.js';
import { LedgerSweep } from '../scheduling/ledger-sweep.js';
import { ActionLedger } from './action-ledger.js';

/**
 * An action is written EXECUTING before its connector is called. A process that dies mid-call
 * (kill -9, OOM, a lost node) leaves it EXECUTING for good: a retried job finds the row and does
 * not call the connector again, and nobody learns how the action ended. At start and every
 * OUTBOX_RELAY_INTERVAL_MS this marks EXECUTING rows older than ACTION_EXECUTION_TIMEOUT_MS as
 * FAILED, saying the outcome is unknown; FAILED rows are taken over (same idempotency key, which
 * the connectors pass on downstream) when the event is retried or replayed.
 * Safe in any number of processes: the update is conditional on the row still being EXECUTING.
 */
@Injectable()
export class InterruptedActionSweeper extends LedgerSweep {
  constructor(
    private readonly ledger: ActionLedger,
    private readonly logger: PinoLogger,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    super('interrupted-action sweep', logger, config.OUTBOX_RELAY_INTERVAL_MS);
  }

  protected async pass(): Promise<number> {
    const timeout = this.config.ACTION_EXECUTION_TIMEOUT_MS;
    const marked = await this.ledger.markInterrupted(
      new Date(Date.now() - timeout),
      `interrupted: still EXECUTING after ${timeout} ms (the process running it stopped); whether it took effect is unknown. ` +
        'A retry or replay of the event runs it again with the same idempotency key.',
    );
    for (const action of marked) {
      this.logger.warn({ actionId: action.id, eventId: action.eventId, tool: action.tool }, 'action interrupted mid-call: marked FAILED, outcome unknown');
    }
    return marked.length;
  }
}
