/** How often an error that keeps repeating is reported again. */
export const REPEAT_REPORT_MS = 60_000;
/** Distinct messages tracked per episode; past that, new ones share one entry. */
const MAX_TRACKED_MESSAGES = 20;

/** Nest's Logger or nestjs-pino's PinoLogger. */
interface WarningLogger {
  warn(message: string): void;
}

interface MessageReport {
  firstAt: number;
  lastReportedAt: number;
  /** Occurrences since the last report, not logged. */
  repeats: number;
}

/**
 * The errors of one queue's or worker's connections (or of another task that fails while one is
 * down), reported once per outage instead of once per attempt (BullMQ reconnects every second at
 * first: a Redis down for an hour would otherwise write thousands of identical lines). A message is
 * logged the first time it occurs, then at most every REPEAT_REPORT_MS with the count of repeats in
 * between; when the connection is ready again, one line says so and how long it failed.
 */
export class ConnectionTroubleLog {
  private lastErrorAt = 0;
  /** The messages of the current outage; empty while the connection works. */
  private readonly messages = new Map<string, MessageReport>();

  /** Lines read `<subject>: <error message>`, and `<subject>: <recovery> after 17.2 s` at the end. */
  constructor(
    private readonly logger: WarningLogger,
    private readonly subject: string,
    private readonly recovery = 'connected again',
    private readonly now: () => number = Date.now,
  ) {}

  failed(err: Error): void {
    const now = this.now();
    // While a connection keeps failing, errors come at least every 20 s (BullMQ's longest reconnect
    // delay): after a longer quiet spell this is a new episode.
    if (now - this.lastErrorAt > REPEAT_REPORT_MS) this.messages.clear();
    this.lastErrorAt = now;

    const key = this.messages.size < MAX_TRACKED_MESSAGES || this.messages.has(err.message) ? err.message : '(other errors)';
    const report = this.messages.get(key);
    if (!report) {
      this.messages.set(key, { firstAt: now, lastReportedAt: now, repeats: 0 });
      this.logger.warn(`${this.subject}: ${err.message}`);
    } else if (now - report.lastReportedAt < REPEAT_REPORT_MS) {
      report.repeats++;
    } else {
      this.logger.warn(
        `${this.subject}: ${err.message} (failing for ${seconds(now - report.firstAt)} s; ${report.repeats} more like it since the last report)`,
      );
      report.lastReportedAt = now;
      report.repeats = 0;
    }
  }

  ready(): void {
    const now = this.now();
    if (this.messages.size > 0 && now - this.lastErrorAt <= REPEAT_REPORT_MS) {
      const reports = [...this.messages.values()];
      const failingSince = Math.min(...reports.map((report) => report.firstAt));
      const unreported = reports.reduce((sum, report) => sum + report.repeats, 0);
      const note = unreported === 0 ? '' : `; ${unreported} repeated ${unreported === 1 ? 'error was' : 'errors were'} not logged`;
      // A warning too: a log filtered to warnings must show the outage's end as well as its start.
      this.logger.warn(`${this.subject}: ${this.recovery} after ${seconds(now - failingSince)} s${note}`);
    }
    this.messages.clear();
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
