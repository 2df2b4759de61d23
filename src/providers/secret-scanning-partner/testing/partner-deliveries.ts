import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { postDelivery, type EndpointAnswer } from '../../../../test/support/post-delivery.js';

/** A signing key as GitHub holds one: its identifier, the private half, and the public PEM to configure. */
export interface GithubSigningKey {
  id: string;
  privateKey: KeyObject;
  publicPem: string;
}

/** A fresh ECDSA P-256 key pair standing in for one of GitHub's secret scanning keys. */
export function githubSigningKey(id: string): GithubSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { id, privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** SECRET_SCANNING_PARTNER_PUBLIC_KEYS in GitHub's own document shape (api.github.com/meta/public_keys/secret_scanning). */
export function publicKeysSetting(keys: GithubSigningKey[]): string {
  return JSON.stringify({ public_keys: keys.map((k, i) => ({ key_identifier: k.id, key: k.publicPem, is_current: i === 0 })) });
}

export interface PartnerMatch {
  token: string;
  type: string;
  url: string;
  source?: string;
}

export interface PartnerDelivery {
  body: string;
  headers: Record<string, string>;
}

/** Signs the body as GitHub does: base64 of the DER ECDSA-SHA256 signature, and the key's identifier. */
export function partnerDelivery(matches: unknown, key: GithubSigningKey, options: { body?: string } = {}): PartnerDelivery {
  const body = options.body ?? JSON.stringify(matches);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Secret-Scanning',
      'github-public-key-identifier': key.id,
      'github-public-key-signature': sign('sha256', Buffer.from(body), { key: key.privateKey, dsaEncoding: 'der' }).toString('base64'),
    },
  };
}

export function postPartner(baseUrl: string, delivery: PartnerDelivery): Promise<EndpointAnswer> {
  return postDelivery(baseUrl, '/webhooks/secret-scanning-partner', delivery);
}
