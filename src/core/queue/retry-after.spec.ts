import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT_PAUSE_MS, MAX_RATE_LIMIT_PAUSE_MS, rateLimitPauseMs } from './retry-after.js';

describe('rateLimitPauseMs (how long a rate-limited answer asks the queue to wait)', () => {
  const now = Date.parse('2026-11-23T08:00:00Z');
  const headers = (values: Record<string, string>) => values;

  it('reads retry-after-ms first, then retry-after in seconds or as an HTTP date, then GitHub’s x-ratelimit-reset', () => {
    expect(rateLimitPauseMs(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), { now })).toBe(1500);
    expect(rateLimitPauseMs(headers({ 'retry-after': '12', 'x-ratelimit-reset': String(now / 1000 + 60) }), { now })).toBe(12_000);
    expect(rateLimitPauseMs(headers({ 'retry-after': 'Mon, 23 Nov 2026 08:00:45 GMT' }), { now })).toBe(45_000);
    expect(rateLimitPauseMs(headers({ 'x-ratelimit-reset': String(now / 1000 + 90) }), { now })).toBe(90_000);
  });

  it('falls back to 30 s (or the caller\'s fallback) without a usable header, and keeps the wait between 1 ms and 15 minutes', () => {
    expect(rateLimitPauseMs(headers({}), { now })).toBe(DEFAULT_RATE_LIMIT_PAUSE_MS);
    expect(rateLimitPauseMs(headers({ 'retry-after': 'soon' }), { now })).toBe(DEFAULT_RATE_LIMIT_PAUSE_MS);
    expect(rateLimitPauseMs(headers({}), { now, fallbackMs: 10_000 })).toBe(10_000);
    expect(rateLimitPauseMs(new Headers({ 'retry-after': '12' }), { now })).toBe(12_000);
    expect(rateLimitPauseMs(undefined, { now })).toBe(DEFAULT_RATE_LIMIT_PAUSE_MS);
    expect(rateLimitPauseMs(headers({ 'retry-after': 'Mon, 23 Nov 2026 07:59:00 GMT' }), { now })).toBe(1);
    expect(rateLimitPauseMs(headers({ 'retry-after': '86400' }), { now })).toBe(MAX_RATE_LIMIT_PAUSE_MS);
  });
});
