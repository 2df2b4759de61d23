import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';
import { trackClosing } from '../lifecycle/closing-tracker.js';
import { ConnectionTroubleLog } from '../queue/connection-trouble-log.js';
import { PeriodicTask } from './periodic-task.js';

/**
 * A pass over the ledger at start and every `intervalMs` that closes rows a dead process left
 * behind (interrupted actions, interrupted agent runs). A pass that fails (PostgreSQL away) is
 * logged once per outage, and a pass in flight is waited for at shutdown.
 */
export abstract class LedgerSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeps: PeriodicTask<number>;
  private readonly failures: ConnectionTroubleLog;

  protected constructor(
    private readonly name: string,
    logger: PinoLogger,
    intervalMs: number,
  ) {
    this.sweeps = new PeriodicTask(() => this.passReportingFailure(), intervalMs);
    this.failures = new ConnectionTroubleLog(logger, name, 'sweeps succeed again');
  }

  onApplicationBootstrap(): void {
    this.sweeps.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await trackClosing(`${this.name}: pass in flight`, this.sweeps.stop());
  }

  /** One pass; resolves with how many rows it closed. Never throws. */
  sweep(): Promise<number> {
    return this.sweeps.runOnce();
  }

  /** Closes what it finds and logs each; resolves with how many. */
  protected abstract pass(): Promise<number>;

  private async passReportingFailure(): Promise<number> {
    try {
      const closed = await this.pass();
      this.failures.ready();
      return closed;
    } catch (err) {
      this.failures.failed(err as Error);
      return 0;
    }
  }
}
