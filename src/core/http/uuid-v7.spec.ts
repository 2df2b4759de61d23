import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from './uuid-v7.js';

describe('uuidv7', () => {
  it('is a valid RFC 9562 version 7 UUID with the RFC variant', () => {
    for (let i = 0; i < 1000; i++) {
      const id = uuidv7();
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
      expect('89ab').toContain(id[19]);
    }
  });

  it('carries the time in its first 48 bits, so ids sort by millisecond', () => {
    const at = Date.UTC(2026, 10, 22, 12, 0, 0, 123);
    const id = uuidv7(at);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
    expect(uuidv7(at) < uuidv7(at + 1)).toBe(true);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 50_000 }, () => uuidv7(0)));
    expect(ids.size).toBe(50_000);
  });
});
