import { describe, expect, it } from 'vitest';
import { runCostUsd } from './model-pricing.js';

describe('runCostUsd', () => {
  it('prices input, output, cache writes (1.25×) and cache reads (0.1×) at the model’s list price', () => {
    const tokens = { inputTokens: 1_000_000, outputTokens: 100_000, cacheWriteTokens: 200_000, cacheReadTokens: 1_000_000 };
    // Sonnet 4.x: $3 in, $15 out → 3 + 1.5 + 0.75 + 0.3
    expect(runCostUsd('claude-sonnet-4-6', tokens)).toBe('5.550000');
    // Haiku 4.5: $1 in, $5 out → 1 + 0.5 + 0.25 + 0.1
    expect(runCostUsd('claude-haiku-4-5-20251001', tokens)).toBe('1.850000');
  });

  it('has no price for an unknown model', () => {
    expect(runCostUsd('some-other-model', { inputTokens: 1, outputTokens: 1, cacheWriteTokens: 0, cacheReadTokens: 0 })).toBeNull();
  });
});
