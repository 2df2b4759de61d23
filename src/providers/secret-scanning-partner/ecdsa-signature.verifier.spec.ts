import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EcdsaSignatureVerifier } from './ecdsa-signature.verifier.js';
import { githubPublicKeys } from './github-public-keys.js';
import { githubSigningKey, partnerDelivery, publicKeysSetting } from './testing/partner-deliveries.js';

const SAMPLE = JSON.parse(readFileSync(new URL('./fixtures/github-documented-sample.json', import.meta.url), 'utf8')) as {
  key_identifier: string;
  key: string;
  payload: string;
  signature: string;
};

describe('EcdsaSignatureVerifier (Github-Public-Key-Signature, ECDSA P-256 / SHA-256, DER in base64)', () => {
  it("accepts GitHub's documented sample with GitHub's key, and refuses it once a byte changes", async () => {
    const verifier = new EcdsaSignatureVerifier(githubPublicKeys(JSON.stringify({ [SAMPLE.key_identifier]: SAMPLE.key })));
    const headers = { 'github-public-key-identifier': SAMPLE.key_identifier, 'github-public-key-signature': SAMPLE.signature };
    expect(await verifier.verify(Buffer.from(SAMPLE.payload), headers)).toEqual({ valid: true });
    expect(await verifier.verify(Buffer.from(SAMPLE.payload.replace('some_url', 'some_uri')), headers)).toMatchObject({ valid: false, reason: 'signature_mismatch' });
  });

  it('reads both setting shapes: GitHub\'s public_keys document and an id → PEM object', () => {
    const [a, b] = [githubSigningKey('aaa1'), githubSigningKey('bbb2')];
    expect([...githubPublicKeys(publicKeysSetting([a, b])).keys()]).toEqual(['aaa1', 'bbb2']);
    expect([...githubPublicKeys(JSON.stringify({ aaa1: a.publicPem })).keys()]).toEqual(['aaa1']);
    expect(githubPublicKeys(undefined).size).toBe(0);
  });

  it('refuses a setting that is not JSON, a key that is not PEM, or a key on another curve, naming the key', async () => {
    expect(() => githubPublicKeys('aaa1=-----BEGIN PUBLIC KEY-----')).toThrow(/not JSON/);
    expect(() => githubPublicKeys(JSON.stringify({ aaa1: 'not a key' }))).toThrow(/the key of aaa1 is not a PEM public key/);
    const { generateKeyPairSync } = await import('node:crypto');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => githubPublicKeys(JSON.stringify({ k384: p384 }))).toThrow(/the key of k384 is not an ECDSA P-256 key/);
  });

  it('refuses a missing signature or key id, an unknown key id, a signature that is not base64 or not DER', async () => {
    const key = githubSigningKey('aaa1');
    const verifier = new EcdsaSignatureVerifier(githubPublicKeys(publicKeysSetting([key])));
    const { body, headers } = partnerDelivery([{ token: 't', type: 'x', url: 'u' }], key);
    const check = (h: Record<string, string>) => verifier.verify(Buffer.from(body), h);
    expect(await check(headers)).toEqual({ valid: true });
    expect(await check({ ...headers, 'github-public-key-signature': '' })).toMatchObject({ valid: false, reason: 'missing_signature' });
    expect(await check({ 'github-public-key-signature': headers['github-public-key-signature'] })).toMatchObject({ valid: false, reason: 'missing_signature' });
    expect(await check({ ...headers, 'github-public-key-identifier': 'ccc3' })).toMatchObject({ valid: false, message: expect.stringContaining('names no configured key') });
    expect(await check({ ...headers, 'github-public-key-signature': 'not base64!' })).toMatchObject({ valid: false, reason: 'signature_mismatch' });
    expect(await check({ ...headers, 'github-public-key-signature': Buffer.from('not der').toString('base64') })).toMatchObject({ valid: false, reason: 'signature_mismatch' });
  });
});
