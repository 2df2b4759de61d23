import { describe, expect, it } from 'vitest';
import { actionIdempotencyKey, canonicalJson } from './idempotency-key.js';

describe('action idempotency keys', () => {
  it('do not depend on key order, at any depth', () => {
    const a = actionIdempotencyKey('e1', 'send_email', { to: 'a@x.io', meta: { b: 1, a: [{ y: 2, x: 1 }] } });
    const b = actionIdempotencyKey('e1', 'send_email', { meta: { a: [{ x: 1, y: 2 }], b: 1 }, to: 'a@x.io' });
    expect(a).toBe(b);
    expect(a).toMatch(/^e1:send_email:[0-9a-f]{64}$/);
  });

  it('differ by event, tool, argument value and array order', () => {
    const base = actionIdempotencyKey('e1', 't', { list: [1, 2] });
    expect(actionIdempotencyKey('e2', 't', { list: [1, 2] })).not.toBe(base);
    expect(actionIdempotencyKey('e1', 'u', { list: [1, 2] })).not.toBe(base);
    expect(actionIdempotencyKey('e1', 't', { list: [2, 1] })).not.toBe(base);
  });

  it('treat an undefined property as absent, as JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });
});
