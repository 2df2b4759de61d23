import { describe, expect, it } from 'vitest';
import { ConnectionTroubleLog, REPEAT_REPORT_MS } from './connection-trouble-log.js';

function setUp() {
  const lines: string[] = [];
  const logger = { warn: (m: string) => lines.push(`WARN ${m}`) };
  let now = Date.parse('2026-11-23T22:00:00Z');
  const trouble = new ConnectionTroubleLog(logger, 'worker webhooks-github', 'connected again', () => now);
  const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379');
  return { lines, trouble, refused, advance: (ms: number) => (now += ms) };
}

describe('ConnectionTroubleLog (a queue connection’s errors, once per outage)', () => {
  it('logs an error once, counts its repeats, reminds every minute while it lasts, and says when the connection is back', () => {
    const { lines, trouble, refused, advance } = setUp();
    trouble.failed(refused);
    for (let i = 0; i < 10; i++) {
      advance(1_000);
      trouble.failed(refused);
    }
    expect(lines).toEqual(['WARN worker webhooks-github: connect ECONNREFUSED 127.0.0.1:6379']);

    for (let s = 0; s < 5; s++) {
      advance(20_000); // BullMQ's longest reconnect delay
      trouble.failed(refused);
    }
    trouble.ready();
    expect(lines.slice(1)).toEqual([
      // 12 repeats before the reminder at 70 s, then 2 after it (90 s, 110 s).
      'WARN worker webhooks-github: connect ECONNREFUSED 127.0.0.1:6379 (failing for 70.0 s; 12 more like it since the last report)',
      'WARN worker webhooks-github: connected again after 110.0 s; 2 repeated errors were not logged',
    ]);
  });

  it('logs a different error at once, and nothing on a connection that was not failing', () => {
    const { lines, trouble, refused, advance } = setUp();
    trouble.ready();
    trouble.failed(refused);
    advance(500);
    trouble.failed(new Error('Connection is closed.'));
    advance(500);
    trouble.failed(refused);
    trouble.ready();
    expect(lines).toEqual([
      'WARN worker webhooks-github: connect ECONNREFUSED 127.0.0.1:6379',
      'WARN worker webhooks-github: Connection is closed.',
      'WARN worker webhooks-github: connected again after 1.0 s; 1 repeated error was not logged',
    ]);
  });

  it('takes an error after a quiet spell for a new outage, and a ready long after the last error as no news', () => {
    const { lines, trouble, refused, advance } = setUp();
    trouble.failed(refused);
    advance(REPEAT_REPORT_MS + 1);
    trouble.failed(refused);
    advance(REPEAT_REPORT_MS + 1);
    trouble.ready();
    expect(lines).toEqual([
      'WARN worker webhooks-github: connect ECONNREFUSED 127.0.0.1:6379',
      'WARN worker webhooks-github: connect ECONNREFUSED 127.0.0.1:6379',
    ]);
  });
});
