import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { FAULT_EVENT, FAULT_SECRET, post } from './delivery-driver.js';

export interface MalformedRequest {
  kind: string;
  path: string;
  body: Buffer;
  headers: Record<string, string | string[]>;
}

const sign = (body: Buffer | string) => `sha256=${createHmac('sha256', FAULT_SECRET).update(body).digest('hex')}`;
const validBody = () => Buffer.from(JSON.stringify({ action: 'effect', repository: { full_name: 'octo-org/x' }, n: randomUUID() }));

function githubHeaders(body: Buffer | null, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    'content-type': 'application/json',
    'x-github-event': FAULT_EVENT,
    'x-github-delivery': randomUUID(),
    ...(body ? { 'x-hub-signature-256': sign(body) } : {}),
    ...extra,
  };
}

/** Each kind builds one request that must be refused with a 4xx and leave no ledger row. */
const KINDS: Record<string, () => Omit<MalformedRequest, 'kind'>> = {
  'random bytes, unsigned': () => {
    const body = randomBytes(1 + Math.floor(Math.random() * 2048));
    return { path: '/webhooks/github', body, headers: githubHeaders(null, { 'content-type': 'application/octet-stream' }) };
  },
  'random bytes, wrong signature': () => {
    const body = randomBytes(1 + Math.floor(Math.random() * 2048));
    return { path: '/webhooks/github', body, headers: githubHeaders(null, { 'x-hub-signature-256': `sha256=${randomBytes(32).toString('hex')}` }) };
  },
  'truncated JSON, signed': () => {
    const full = validBody();
    const body = full.subarray(0, Math.max(1, Math.floor(Math.random() * (full.length - 1))));
    return { path: '/webhooks/github', body, headers: githubHeaders(body) };
  },
  'truncated JSON, unsigned': () => {
    const body = validBody().subarray(0, 20);
    return { path: '/webhooks/github', body, headers: githubHeaders(null) };
  },
  'invalid UTF-8, signed': () => {
    const body = Buffer.concat([Buffer.from('{"action":"effect","text":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]);
    return { path: '/webhooks/github', body, headers: githubHeaders(body) };
  },
  'invalid UTF-8, unsigned': () => {
    const body = Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]);
    return { path: '/webhooks/github', body, headers: githubHeaders(null) };
  },
  'huge header': () => {
    const body = validBody();
    return { path: '/webhooks/github', body, headers: githubHeaders(body, { 'x-padding': 'x'.repeat(20_000) }) };
  },
  'duplicate signature headers': () => {
    const body = validBody();
    return { path: '/webhooks/github', body, headers: githubHeaders(body, { 'x-hub-signature-256': [sign(body), sign(body)] }) };
  },
  'duplicate delivery-id headers, signed': () => {
    const body = validBody();
    return { path: '/webhooks/github', body, headers: githubHeaders(body, { 'x-github-delivery': [randomUUID(), randomUUID()] }) };
  },
  'duplicate event headers, signed': () => {
    const body = validBody();
    return { path: '/webhooks/github', body, headers: githubHeaders(body, { 'x-github-event': [FAULT_EVENT, 'push'] }) };
  },
  'form content type without payload field, signed': () => {
    const body = Buffer.from('a=1&b=2');
    return { path: '/webhooks/github', body, headers: githubHeaders(body, { 'content-type': 'application/x-www-form-urlencoded' }) };
  },
  'XML body, signed': () => {
    const body = Buffer.from('<?xml version="1.0"?><event><action>effect</action></event>');
    return { path: '/webhooks/github', body, headers: githubHeaders(body, { 'content-type': 'application/xml' }) };
  },
  'JSON array, signed': () => {
    const body = Buffer.from('[1,2,3]');
    return { path: '/webhooks/github', body, headers: githubHeaders(body) };
  },
  'empty body, signed': () => {
    const body = Buffer.alloc(0);
    return { path: '/webhooks/github', body, headers: githubHeaders(body) };
  },
  'missing event header, signed': () => {
    const body = validBody();
    const headers = githubHeaders(body);
    delete headers['x-github-event'];
    return { path: '/webhooks/github', body, headers };
  },
  'replayed signature of another body': () => {
    const body = validBody();
    return { path: '/webhooks/github', body, headers: githubHeaders(null, { 'x-hub-signature-256': sign(validBody()) }) };
  },
  'stale timestamped signature (Standard Webhooks headers)': () => {
    const body = validBody();
    const timestamp = String(Math.floor(Date.now() / 1000) - 3600);
    return { path: '/webhooks/github', body, headers: { ...githubHeaders(null), 'webhook-id': randomUUID(), 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${randomBytes(32).toString('base64')}` } };
  },
  'future timestamped signature (Stripe header)': () => {
    const body = validBody();
    const t = Math.floor(Date.now() / 1000) + 3600;
    return { path: '/webhooks/github', body, headers: { ...githubHeaders(null), 'stripe-signature': `t=${t},v1=${createHmac('sha256', FAULT_SECRET).update(`${t}.${body}`).digest('hex')}` } };
  },
  'body over the size limit, signed': () => {
    const body = Buffer.from(JSON.stringify({ action: 'effect', padding: 'x'.repeat(70 * 1024) }));
    return { path: '/webhooks/github', body, headers: githubHeaders(body) };
  },
  'unknown provider': () => {
    const body = validBody();
    return { path: '/webhooks/not-a-provider', body, headers: githubHeaders(body) };
  },
};

export function malformedRequests(count: number): MalformedRequest[] {
  const kinds = Object.keys(KINDS);
  return Array.from({ length: count }, (_, i) => ({ kind: kinds[i % kinds.length], ...KINDS[kinds[i % kinds.length]]() }));
}

/** Sends them all; returns answers by status (0 = connection error) and prints any non-4xx by kind. */
export async function sendMalformed(baseUrl: string, requests: MalformedRequest[], concurrency: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const unexpected = new Map<string, number>();
  let next = 0;
  const lane = async () => {
    while (next < requests.length) {
      const request = requests[next++];
      const result = await post(baseUrl, request.path, request.body, request.headers, true);
      statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      if (result.status < 400 || result.status > 499) {
        const key = `${request.kind} → ${result.status || 'conn-error'}`;
        unexpected.set(key, (unexpected.get(key) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  for (const [key, n] of unexpected) console.log(`[faults] malformed: unexpected answer ${key} ×${n}`);
  return statuses;
}
