import { describe, expect, it } from 'vitest';
import { connectorError } from './connector-error.js';

describe('connectorError', () => {
  const token = 'xoxb-0123456789-abcdefghijklmnop';

  it('scrubs a credential the upstream quoted, even where the detail is cut', () => {
    // The token straddles the 500-character cut: scrubbing after the cut would leave its first half.
    const detail = `${'x'.repeat(490)} ${token} and more`;
    const message = connectorError('slack', detail, { permanent: true, secrets: [token] }).message;
    expect(message).not.toContain(token.slice(0, 9));
    expect(message).toContain(' [redact');
    expect(message.endsWith('…')).toBe(true);
  });
});
