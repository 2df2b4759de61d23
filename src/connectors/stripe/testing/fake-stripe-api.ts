import { setTimeout as sleep } from 'node:timers/promises';
import { RecordingHttpServer, type FakeResponse, type RecordedRequest } from '../../../../test/support/recording-http-server.js';

/**
 * Stripe API stand-in, reached by the real `stripe` SDK through STRIPE_API_URL: `GET
 * /v1/customers/:id` answers the customers added with `addCustomer` (Stripe's 404 error object
 * otherwise) and `GET /v1/events` the events added with `addEvent`, newest first, paged like
 * Stripe (`limit`, `starting_after`, `has_more`, `types[]`, `created[gte|gt|lt|lte]`). Every request is recorded; requests
 * without a `Bearer sk_`/`rk_` key get Stripe's 401.
 */
export class FakeStripeApi {
  private customers = new Map<string, Record<string, unknown>>();
  private events: Array<Record<string, unknown>> = [];
  /** When set, every request is answered with this status and a Stripe error body. */
  failWith: number | null = null;
  /** When set, event list requests beyond this many answer 500 (a Stripe that fails mid-pagination). */
  failEventListsAfter: number | null = null;
  private eventLists = 0;
  /** Event list requests wait this long before answering (a Stripe slow enough to cut a run off mid-way). */
  eventListDelayMs = 0;

  private constructor(readonly server: RecordingHttpServer) {}

  static async start(): Promise<FakeStripeApi> {
    const fake: FakeStripeApi = new FakeStripeApi(await RecordingHttpServer.start((req) => fake.answer(req)));
    return fake;
  }

  /** The value for STRIPE_API_URL. */
  get url(): string {
    return this.server.url;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  /** A Customer object shaped like Stripe's API reference (`object: 'customer'`). */
  addCustomer(customer: { id: string; email?: string | null; name?: string | null; address?: { state?: string | null; country?: string | null } | null }): void {
    this.customers.set(customer.id, {
      id: customer.id,
      object: 'customer',
      address: customer.address ? { city: null, country: null, line1: null, line2: null, postal_code: null, state: null, ...customer.address } : null,
      balance: 0,
      created: 1680893993,
      currency: null,
      default_source: null,
      delinquent: false,
      description: null,
      email: customer.email ?? null,
      invoice_prefix: '0759376C',
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: {},
      name: customer.name ?? null,
      next_invoice_sequence: 1,
      phone: null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: 'none',
      test_clock: null,
    });
  }

  addEvent(event: Record<string, unknown>): void {
    this.events.unshift(event);
  }

  reset(): void {
    this.customers.clear();
    this.events = [];
    this.failWith = null;
    this.failEventListsAfter = null;
    this.eventLists = 0;
    this.eventListDelayMs = 0;
    this.server.reset((req) => this.answer(req));
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async answer(req: RecordedRequest): Promise<FakeResponse> {
    if (req.method === 'GET' && req.path === '/v1/events' && this.eventListDelayMs) await sleep(this.eventListDelayMs, undefined, { ref: false });
    if (!/^Bearer (sk|rk)_/.test(String(req.headers.authorization ?? ''))) {
      return stripeError(401, 'invalid_request_error', 'Invalid API Key provided');
    }
    if (this.failWith !== null) return stripeError(this.failWith, 'api_error', `fake stripe failure ${this.failWith}`);
    const customer = /^\/v1\/customers\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && customer) {
      const found = this.customers.get(decodeURIComponent(customer[1]));
      return found ? { status: 200, body: found } : stripeError(404, 'invalid_request_error', `No such customer: '${customer[1]}'`, 'resource_missing');
    }
    if (req.method === 'GET' && req.path === '/v1/events') {
      const limit = Number(req.query.get('limit') ?? 10);
      // The SDK sends arrays as types[0]=…&types[1]=…
      const types = [...req.query.entries()].filter(([k]) => /^types\[\d*\]$/.test(k)).map(([, v]) => v);
      this.eventLists++;
      if (this.failEventListsAfter !== null && this.eventLists > this.failEventListsAfter) return stripeError(500, 'api_error', 'fake stripe failure mid-pagination');
      let list = types.length ? this.events.filter((e) => types.includes(String(e.type))) : this.events;
      list = list.filter((e) => createdWithin(Number(e.created), req.query));
      const after = req.query.get('starting_after');
      if (after) list = list.slice(list.findIndex((e) => e.id === after) + 1);
      return { status: 200, body: { object: 'list', url: '/v1/events', has_more: list.length > limit, data: list.slice(0, limit) } };
    }
    return stripeError(404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${req.path})`);
  }
}

/** Stripe's `created` filter: `created[gte]=…` and the like, unix seconds. */
function createdWithin(created: number, query: URLSearchParams): boolean {
  const bound = (op: string) => (query.has(`created[${op}]`) ? Number(query.get(`created[${op}]`)) : null);
  const [gte, gt, lte, lt] = ['gte', 'gt', 'lte', 'lt'].map(bound);
  return (gte === null || created >= gte) && (gt === null || created > gt) && (lte === null || created <= lte) && (lt === null || created < lt);
}

function stripeError(status: number, type: string, message: string, code?: string): FakeResponse {
  return { status, body: { error: { type, message, ...(code ? { code } : {}) } } };
}
