import { describe, expect, it } from 'vitest';
import { PeriodicTask } from './periodic-task.js';

describe('PeriodicTask', () => {
  it('runs at start and on every interval, never two passes at once, and stop() waits for the one in flight', async () => {
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

    task.start();
    expect(passes).toBe(1);
    const joined = task.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(passes).toBe(1); // the timer fired meanwhile, and joined the pass in flight
    release!();
    expect(await joined).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(passes).toBeGreaterThan(1);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release!();
    await stopping;
    const after = passes;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(passes).toBe(after);
    expect(maxInFlight).toBe(1);
  });
});
