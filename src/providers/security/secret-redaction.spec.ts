import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecretValues } from './secret-redaction.js';

const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5'.repeat(3)}a1B2c3`;
const AWS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

describe('redactSecretValues (the security provider’s ingest redaction)', () => {
  it('returns null for an alert with nothing secret in it: it is stored as received', () => {
    const alert = {
      action: 'created',
      alert: { number: 42, secret_type: 'github_personal_access_token', secret_type_display_name: 'GitHub Personal Access Token', resolution_comment: null },
      repository: { full_name: 'octo-org/payments-api' },
      commit: 'b1e1c8f7a4e05b3c1f9d0a2e7c6b5a4d3e2f1a0b',
    };
    expect(redactSecretValues(alert)).toBeNull();
  });

  it('replaces a `secret` field at any depth, whatever it holds, and keeps secret_type', () => {
    const result = redactSecretValues({ alert: { number: 1, secret_type: 'aws_access_key_id', secret: 'plain-looking-but-named-secret' }, items: [{ secret: 123 }] });
    expect(result).toEqual({ payload: { alert: { number: 1, secret_type: 'aws_access_key_id', secret: REDACTED }, items: [{ secret: REDACTED }] } });
  });

  it('replaces credential formats inside any string, keys included, and leaves the rest of the text', () => {
    const comment = `Bypassed: the key ${AWS_KEY_ID} is a test key; also ${GITHUB_TOKEN}.`;
    const result = redactSecretValues({ alert: { resolution_comment: comment, [`note ${GITHUB_TOKEN}`]: 'x' } });
    expect(result).toEqual({ payload: { alert: { resolution_comment: `Bypassed: the key ${REDACTED} is a test key; also ${REDACTED}.`, [`note ${REDACTED}`]: 'x' } } });
  });

  it.each([
    ['GitHub fine-grained token', `github_pat_${'11ABCDEFG0'.repeat(3)}_abcdef`],
    ['Slack bot token', 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx'],
    ['Stripe live key', `sk_live_${'51Hx'.repeat(6)}`],
    ['Anthropic key', 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
    ['PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----'],
  ])('recognises a %s', (_, secret) => {
    const result = redactSecretValues({ text: `leaked: ${secret}` });
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(result).toEqual({ payload: { text: `leaked: ${REDACTED}` } });
  });

  it('keeps a `__proto__` key a key (as JSON.parse made it) and null, booleans and empty values as they are', () => {
    const payload = JSON.parse(`{"__proto__": {"secret": "s3cr3t-value"}, "secret": null, "token": "", "password": false}`);
    const result = redactSecretValues(payload)!;
    expect(Object.keys(result.payload as object)).toEqual(['__proto__', 'secret', 'token', 'password']);
    expect(JSON.stringify(result.payload)).toBe('{"__proto__":{"secret":"[redacted]"},"secret":null,"token":"","password":false}');
  });
});
