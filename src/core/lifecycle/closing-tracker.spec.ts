import { describe, expect, it } from 'vitest';
import { stillClosing, trackClosing } from './closing-tracker.js';

function held() {
  let release!: () => void;
  let fail!: (err: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  return { promise, release, fail };
}

describe('closing tracker', () => {
  it('lists each closure until it settles, resolved or rejected, with how long it has taken', async () => {
    const pool = held();
    const worker = held();
    let running = 2;
    const closingPool = trackClosing('database pool', pool.promise);
    const closingWorker = trackClosing(() => `worker webhooks-github: ${running} job(s) running`, worker.promise);
    const now = Date.now() + 1500;

    expect(stillClosing(now)).toEqual([
      expect.stringMatching(/^database pool \(15\d\d ms\)$/),
      expect.stringMatching(/^worker webhooks-github: 2 job\(s\) running \(15\d\d ms\)$/),
    ]);
    running = 1;
    expect(stillClosing(now)[1]).toMatch(/^worker webhooks-github: 1 job\(s\) running/);

    pool.release();
    await closingPool;
    expect(stillClosing(now)).toEqual([expect.stringMatching(/^worker webhooks-github/)]);

    worker.fail(new Error('connection lost'));
    await expect(closingWorker).rejects.toThrow('connection lost');
    expect(stillClosing()).toEqual([]);
  });
});
