import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ThrottledReport } from './throttled-report.js';

describe('ThrottledReport', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the first occurrence at once, then at most one line per interval with the number not written', () => {
    const report = new ThrottledReport(5000);
    const lines: number[] = [];
    const occur = () => report.occurred((notWritten) => lines.push(notWritten));

    occur();
    occur();
    occur();
    expect(lines).toEqual([0]);

    vi.advanceTimersByTime(5000);
    occur();
    expect(lines).toEqual([0, 2]);

    vi.advanceTimersByTime(4999);
    occur();
    expect(lines).toEqual([0, 2]);
  });
});
