import { afterEach, describe, expect, it, vi } from 'vitest';
import { PeriodicTask } from './periodic-task.js';

describe('PeriodicTask', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at start and on every interval, never two passes at once, and stop() waits for the one in flight', async () => {
    vi.useFakeTimers();
    let passes = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let release: (() => void) | null = null;
    const task = new PeriodicTask(async () => {
      passes++;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise<void>((resolve) => (release = resolve));
      inFlight--;
      return passes;
    }, 10);
    const asked = vi.spyOn(task, 'runOnce');

    task.start();
    expect(passes).toBe(1);
    const joined = task.runOnce();
    expect(task.runOnce()).toBe(joined); // a pass asked for while one runs gets that one
    await vi.advanceTimersByTimeAsync(50);
    // runOnce was called 3 times above (by start, then twice here) and 5 times by the timer meanwhile: each joined the pass in flight.
    expect(asked).toHaveBeenCalledTimes(3 + 5);
    expect(passes).toBe(1);
    release!();
    expect(await joined).toBe(1);

    await vi.advanceTimersByTimeAsync(10);
    expect(passes).toBe(2); // the next tick starts a new pass
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(20);
    expect(stopped).toBe(false); // waiting for pass 2
    release!();
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(40);
    expect(passes).toBe(2); // no tick after stop()
    expect(vi.getTimerCount()).toBe(0);
    expect(maxInFlight).toBe(1);
  });
});
