import { describe, expect, it } from 'vitest';
import { StripeSignatureVerifier } from './stripe-signature.verifier.js';

// Derived vector (stripe-node's test inputs, timestamp from Stripe's docs), computed independently of the SDK.
const SECRET = 'whsec_test_secret';
const T = 1492774577;
const PRETTY = '{\n  "id": "evt_test_webhook",\n  "object": "event"\n}';
const PRETTY_SIG = 'c2f890decbc5ede7c5060bb9a6d31e0626a4342bacb9aeae2adb1bcea72f9812';
const COMPACT = '{"id":"evt_test_webhook","object":"event"}';
const COMPACT_SIG = '88a022085c6bdb887b02cb26ff76dd681234d9675c0f22844059f55552a8883a';

const at = (seconds: number) => () => seconds * 1000;
const headers = (value: string) => ({ 'stripe-signature': value });

describe('StripeSignatureVerifier (stripe package)', () => {
  it('accepts the vectors, with the secret used as-is (whsec_ prefix included)', async () => {
    const verifier = new StripeSignatureVerifier([SECRET], at(T));
    expect(await verifier.verify(Buffer.from(PRETTY), headers(`t=${T},v1=${PRETTY_SIG}`))).toEqual({ valid: true });
    expect(await verifier.verify(Buffer.from(COMPACT), headers(`t=${T},v1=${COMPACT_SIG}`))).toEqual({ valid: true });
    expect((await verifier.verify(Buffer.from(COMPACT), headers(`t=${T},v1=${PRETTY_SIG}`))).valid).toBe(false);
  });

  it('tries every v1 entry and every secret; never v0', async () => {
    const rolled = new StripeSignatureVerifier(['whsec_new', SECRET], at(T));
    expect(await rolled.verify(Buffer.from(PRETTY), headers(`t=${T},v1=potato,v1=${PRETTY_SIG},v0=${PRETTY_SIG}`))).toEqual({ valid: true });
    expect(await rolled.verify(Buffer.from(PRETTY), headers(`t=${T},v0=${PRETTY_SIG}`))).toMatchObject({ valid: false, reason: 'signature_mismatch' });
  });

  it('holds the timestamp to 300 s on both sides', async () => {
    const header = headers(`t=${T},v1=${PRETTY_SIG}`);
    for (const [now, valid] of [[T + 300, true], [T - 300, true], [T + 301, false], [T - 301, false]] as const) {
      const result = await new StripeSignatureVerifier([SECRET], at(now)).verify(Buffer.from(PRETTY), header);
      expect(result.valid, `now = t ${now - T >= 0 ? '+' : ''}${now - T} s`).toBe(valid);
      if (!valid) expect(result).toMatchObject({ reason: 'timestamp_out_of_tolerance' });
    }
  });

  it('is not configured without a secret', () => {
    expect(new StripeSignatureVerifier([]).isConfigured()).toBe(false);
  });
});
