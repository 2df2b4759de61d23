import { sign } from '@octokit/webhooks-methods';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** One delivery attempt as GitHub records it for a hook, with what it sent (for redelivery). */
export interface FakeHookDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
  throttled_at: null;
  /** What GitHub sent: posted again, signed, on a redelivery request. */
  payload: Record<string, unknown>;
}

/** Where GitHub (this stand-in) sends redeliveries: Hookwise's endpoint and the hook's secret. */
export interface RedeliveryTarget {
  url: string;
  secret: string;
}

const PATHS = [
  /^\/repos\/([^/]+)\/([^/]+)\/hooks\/(\d+)\/deliveries/,
  /^\/orgs\/([^/]+)\/hooks\/(\d+)\/deliveries/,
  /^\/app\/hook\/deliveries/,
];

/**
 * GitHub's record of hook deliveries, for FakeGithubApi: `GET /repos/{o}/{r}/hooks/{id}/deliveries`,
 * `GET /orgs/{org}/hooks/{id}/deliveries` and `GET /app/hook/deliveries` (newest first, `per_page`,
 * a `cursor` followed through the Link header as GitHub pages them), and `POST
 * …/deliveries/{id}/attempts`, which, as GitHub does, posts the delivery again to the hook's URL,
 * signed, with the same X-GitHub-Delivery, and records the attempt (`redelivery: true`).
 */
export class FakeHookDeliveries {
  /** Attempts by hook (`repos/acme/api/hooks/1`, `orgs/acme/hooks/2`, `app/hook`), newest first. */
  private readonly byHook = new Map<string, FakeHookDelivery[]>();
  /** Every list request: the hook and the cursor asked for. */
  readonly listings: Array<{ hook: string; cursor: string | null; authorization: string | undefined }> = [];
  /** Every redelivery request: the hook and the delivery id. */
  readonly redeliveryRequests: Array<{ hook: string; deliveryId: number; guid: string | undefined }> = [];
  redeliverTo: RedeliveryTarget | null = null;
  /** A list request takes this long (to let two runs overlap, if anything let them). */
  listingDelayMs = 0;
  /** List requests answered at once; the most there ever were. */
  listingsInFlight = 0;
  maxListingsInFlight = 0;
  /** When set, list requests beyond this many answer 502 (a GitHub that fails mid-pagination). */
  failListingsAfter: number | null = null;
  private nextId = 90_000_000_000;

  constructor(private readonly apiUrl: () => string) {}

  /** Records a delivery GitHub made `agoMs` ago, answered with `statusCode` (0: no answer). */
  add(hook: string, delivery: { guid: string; event: string; payload: Record<string, unknown>; statusCode: number; agoMs: number }): FakeHookDelivery {
    const attempt: FakeHookDelivery = {
      id: this.nextId++,
      guid: delivery.guid,
      delivered_at: new Date(Date.now() - delivery.agoMs).toISOString().replace(/\.\d+Z$/, 'Z'),
      redelivery: false,
      duration: 0.27,
      status: delivery.statusCode >= 200 && delivery.statusCode < 300 ? 'OK' : delivery.statusCode ? `Invalid HTTP Response: ${delivery.statusCode}` : 'timed out',
      status_code: delivery.statusCode,
      event: delivery.event,
      action: typeof delivery.payload.action === 'string' ? delivery.payload.action : null,
      installation_id: null,
      repository_id: 1296269,
      throttled_at: null,
      payload: delivery.payload,
    };
    this.insert(hook, attempt);
    return attempt;
  }

  attempts(hook: string): FakeHookDelivery[] {
    return this.byHook.get(hook) ?? [];
  }

  reset(): void {
    this.byHook.clear();
    this.listings.length = 0;
    this.redeliveryRequests.length = 0;
    this.redeliverTo = null;
    this.listingDelayMs = 0;
    this.listingsInFlight = 0;
    this.maxListingsInFlight = 0;
    this.failListingsAfter = null;
  }

  handles(url: string): boolean {
    return PATHS.some((path) => path.test(url));
  }

  async answer(method: string, url: string, authorization: string | undefined, res: ServerResponse): Promise<void> {
    const parsed = new URL(url, 'http://fake');
    const attempts = /^\/(.+?)\/deliveries\/(\d+)\/attempts$/.exec(parsed.pathname);
    if (method === 'POST' && attempts) return this.redeliver(attempts[1], Number(attempts[2]), res);
    const list = /^\/(.+?)\/deliveries$/.exec(parsed.pathname);
    if (method === 'GET' && list) return this.list(list[1], parsed, authorization, res);
    json(res, 404, { message: 'Not Found' });
  }

  private async list(hook: string, url: URL, authorization: string | undefined, res: ServerResponse): Promise<void> {
    const cursor = url.searchParams.get('cursor');
    this.listings.push({ hook, cursor, authorization });
    this.maxListingsInFlight = Math.max(this.maxListingsInFlight, ++this.listingsInFlight);
    try {
      if (this.listingDelayMs) await sleep(this.listingDelayMs);
      if (this.failListingsAfter !== null && this.listings.length > this.failListingsAfter) {
        json(res, 502, { message: 'Server Error' });
        return;
      }
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const all = this.attempts(hook);
      const start = cursor ? all.findIndex((d) => String(d.id) === cursor) : 0;
      const page = start < 0 ? [] : all.slice(start, start + perPage);
      const next = start >= 0 ? all[start + perPage] : undefined;
      const headers: Record<string, string> = {};
      if (next) {
        const nextUrl = new URL(`${this.apiUrl()}/${hook}/deliveries`);
        nextUrl.searchParams.set('per_page', String(perPage));
        nextUrl.searchParams.set('cursor', String(next.id));
        headers.link = `<${nextUrl}>; rel="next"`;
      }
      json(res, 200, page.map(({ payload: _payload, ...listed }) => listed), headers);
    } finally {
      this.listingsInFlight--;
    }
  }

  private async redeliver(hook: string, deliveryId: number, res: ServerResponse): Promise<void> {
    const original = this.attempts(hook).find((d) => d.id === deliveryId);
    this.redeliveryRequests.push({ hook, deliveryId, guid: original?.guid });
    if (!original) return json(res, 404, { message: 'Not Found' });
    json(res, 202, {});
    // GitHub redelivers after accepting the request: the same guid, a fresh signature.
    let statusCode = 0;
    if (this.redeliverTo) {
      const body = `${JSON.stringify(original.payload, null, 2)}\n`;
      const response = await fetch(this.redeliverTo.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/044aadd',
          'x-github-event': original.event,
          'x-github-delivery': original.guid,
          'x-github-hook-id': hook.split('/').at(-1) ?? '',
          'x-hub-signature-256': await sign(this.redeliverTo.secret, body),
        },
        body,
      }).catch(() => null);
      statusCode = response?.status ?? 0;
      await response?.text();
    }
    this.insert(hook, { ...original, id: this.nextId++, redelivery: true, status_code: statusCode, delivered_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z') });
  }

  private insert(hook: string, attempt: FakeHookDelivery): void {
    const list = this.byHook.get(hook) ?? [];
    list.push(attempt);
    list.sort((a, b) => b.delivered_at.localeCompare(a.delivered_at) || b.id - a.id);
    this.byHook.set(hook, list);
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
