/**
 * A line for something that can happen many times a second (every delivery refused while the
 * database is down, every body refused while the budget is full): written at most once per
 * `intervalMs`, and told how many occurrences went unwritten since the last line.
 */
export class ThrottledReport {
  private lastWritten = 0;
  private unwritten = 0;

  constructor(private readonly intervalMs = 5000) {}

  /** One occurrence; `write` is called when a line is due, with the number of occurrences before it not written. */
  occurred(write: (notWritten: number) => void): void {
    this.unwritten++;
    const now = Date.now();
    if (now - this.lastWritten < this.intervalMs) return;
    write(this.unwritten - 1);
    this.lastWritten = now;
    this.unwritten = 0;
  }
}
