import { createPublicKey, type KeyObject } from 'node:crypto';

/**
 * GitHub's secret scanning public keys from SECRET_SCANNING_PARTNER_PUBLIC_KEYS: key identifier →
 * key. Accepts GitHub's own document (`{"public_keys":[{"key_identifier","key",…}]}`, pasted from
 * https://api.github.com/meta/public_keys/secret_scanning) or a plain `{"<id>": "<PEM>"}` object.
 * A setting that is not one of those, or a key that is not an EC P-256 public key, stops the boot
 * with a message naming it, rather than refusing every delivery later.
 */
export function githubPublicKeys(setting: string | undefined): ReadonlyMap<string, KeyObject> {
  if (!setting?.trim()) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(setting);
  } catch {
    throw new Error('SECRET_SCANNING_PARTNER_PUBLIC_KEYS is not JSON: give GitHub\'s public_keys document or an object of key identifier → PEM');
  }
  const pairs = pemPairs(parsed);
  const keys = new Map<string, KeyObject>();
  for (const [id, pem] of pairs) {
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new Error(`SECRET_SCANNING_PARTNER_PUBLIC_KEYS: the key of ${id} is not a PEM public key`);
    }
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new Error(`SECRET_SCANNING_PARTNER_PUBLIC_KEYS: the key of ${id} is not an ECDSA P-256 key`);
    }
    keys.set(id, key);
  }
  return keys;
}

function pemPairs(parsed: unknown): Array<[string, string]> {
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { public_keys?: unknown }).public_keys)) {
    return (parsed as { public_keys: unknown[] }).public_keys.map((entry, i) => {
      const { key_identifier: id, key } = (entry ?? {}) as { key_identifier?: unknown; key?: unknown };
      if (typeof id !== 'string' || !id || typeof key !== 'string') {
        throw new Error(`SECRET_SCANNING_PARTNER_PUBLIC_KEYS: public_keys[${i}] needs a key_identifier and a key`);
      }
      return [id, key];
    });
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    return Object.entries(parsed).map(([id, pem]) => {
      if (typeof pem !== 'string') throw new Error(`SECRET_SCANNING_PARTNER_PUBLIC_KEYS: the key of ${id} is not a PEM string`);
      return [id, pem];
    });
  }
  throw new Error('SECRET_SCANNING_PARTNER_PUBLIC_KEYS: give GitHub\'s public_keys document or an object of key identifier → PEM');
}
