import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../../config/env.schema.js';
import { LedgerSweep } from '../scheduling/ledger-sweep.js';
import { AgentRunLedger } from './agent-run-ledger.js';

/**
 * Runs recorded before owners were: no run lasts this long (at most AGENT_MAX_ITERATIONS ≤ 100 model
 * calls of at most 3 × 180 s, and tool calls bounded by CONNECTOR_TIMEOUT_MS), so one still RUNNING is abandoned.
 */
export const OWNERLESS_RUN_LIMIT_MS = 24 * 60 * 60 * 1000;

/**
 * A run left RUNNING by a process that died says "this is happening now" for good. The next
 * attempt of its event closes it when it starts a run (AgentRunner); this closes the others (the
 * event ended DEAD, no retry came, or the next attempt did not need the model): at start and every
 * OUTBOX_RELAY_INTERVAL_MS, every RUNNING run whose process is gone (AgentRunOwner) becomes FAILED,
 * `interrupted`. A run of a live process is never touched, however long it runs or whatever its job's
 * lock. Safe in any number of processes: the update is conditional on the run still being RUNNING.
 */
@Injectable()
export class InterruptedRunSweeper extends LedgerSweep {
  constructor(
    private readonly runs: AgentRunLedger,
    private readonly logger: PinoLogger,
    @Inject(AppConfig) config: AppConfig,
  ) {
    super('interrupted-run sweep', logger, config.OUTBOX_RELAY_INTERVAL_MS);
  }

  protected async pass(): Promise<number> {
    const closed = await this.runs.sweepInterrupted(
      'interrupted: the process running this run stopped before it finished (found by the periodic sweep)',
      'interrupted: still RUNNING 24 h after it started, recorded by a version that did not say which process ran it; taken to be abandoned',
      new Date(Date.now() - OWNERLESS_RUN_LIMIT_MS),
    );
    for (const run of closed) {
      this.logger.warn({ runId: run.id, eventId: run.eventId, agent: run.agent, replayId: run.replayId }, 'agent run interrupted (its process stopped): marked FAILED');
    }
    return closed.length;
  }
}
