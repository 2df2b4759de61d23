import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { GithubSignatureVerifier } from './github-signature.verifier.js';

const require = createRequire(import.meta.url);
const vectors = require('../../providers/github/fixtures/signature-vectors.json') as {
  valid: { secret: string; payload: string; signature: string }[];
  invalid: { secret: string; payload: string; signature: string; reason: string }[];
};

const headers = (signature?: string) => (signature === undefined ? {} : { 'x-hub-signature-256': signature });

describe('GithubSignatureVerifier', () => {
  it.each(vectors.valid)('accepts the official vector signed with "$secret"', async ({ secret, payload, signature }) => {
    const verifier = new GithubSignatureVerifier([secret]);
    await expect(verifier.verify(Buffer.from(payload, 'utf8'), headers(signature))).resolves.toEqual({ valid: true });
  });

  it.each(vectors.invalid)('refuses $signature for secret "$secret"', async ({ secret, payload, signature, reason }) => {
    const verifier = new GithubSignatureVerifier([secret]);
    const result = await verifier.verify(Buffer.from(payload, 'utf8'), headers(signature));
    expect(result).toMatchObject({ valid: false, reason });
  });

  it('accepts any secret of a rotation list, in any position', async () => {
    const { secret, payload, signature } = vectors.valid[0];
    const verifier = new GithubSignatureVerifier(['new-secret', secret]);
    await expect(verifier.verify(Buffer.from(payload), headers(signature))).resolves.toEqual({ valid: true });
  });

  it('reports a missing header as missing_signature', async () => {
    const verifier = new GithubSignatureVerifier(['mysecret']);
    await expect(verifier.verify(Buffer.from('{}'), headers())).resolves.toMatchObject({ valid: false, reason: 'missing_signature' });
    await expect(verifier.verify(Buffer.from('{}'), headers(''))).resolves.toMatchObject({ valid: false, reason: 'missing_signature' });
  });

  it('is unconfigured without secrets', () => {
    expect(new GithubSignatureVerifier([]).isConfigured()).toBe(false);
    expect(new GithubSignatureVerifier(['x']).isConfigured()).toBe(true);
  });
});
