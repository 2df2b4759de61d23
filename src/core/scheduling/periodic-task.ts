/**
 * A background pass run every `intervalMs` (the timer does not keep the process alive), never two
 * at once: a pass asked for while one runs gets that one. `stop()` clears the timer and waits for
 * the pass in flight, for shutdown hooks. `pass` should not throw; it reports its own failures.
 */
export class PeriodicTask<T> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;

  constructor(
    private readonly pass: () => Promise<T>,
    private readonly intervalMs: number,
  ) {}

  /** Runs a pass now, then one every interval. */
  start(): void {
    void this.runOnce();
    this.timer ??= setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  runOnce(): Promise<T> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
