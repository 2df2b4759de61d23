import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { AppConfig } from '../../config/env.schema.js';
import { StripeConnectorConfig } from './stripe-connector.config.js';
import { connectorError, connectorRateLimited, isPermanentHttpStatus, networkFailureDetail } from '../../core/index.js';

/** What Hookwise reads of a Stripe Customer. */
export interface StripeCustomer {
  id: string;
  email: string | null;
  name: string | null;
  /** The billing address's state or province, as entered (e.g. `KA`, `Karnataka`). */
  state: string | null;
  country: string | null;
  deleted: boolean;
}

/** One page of events (GET /v1/events), for reconciliation. */
export interface StripeEventPage {
  events: Stripe.Event[];
  hasMore: boolean;
}

/**
 * The Stripe API through the official `stripe` SDK, pointed at STRIPE_API_URL (its protocol, host
 * and port), with the SDK's own retries off: the job queue retries, and errors are classified like
 * every connector's (4xx other than 408/429 permanent, 429 a rate-limit wait, the rest transient).
 */
@Injectable()
export class StripeConnector {
  private client: Stripe | null = null;

  constructor(
    @Inject(StripeConnectorConfig) private readonly settings: StripeConnectorConfig,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  unavailableReason(): string | null {
    return this.settings.STRIPE_API_KEY ? null : 'STRIPE_API_KEY is not set';
  }

  /** The customer, or null when Stripe says it does not exist (404). */
  async customer(id: string): Promise<StripeCustomer | null> {
    const stripe = await this.stripe();
    try {
      const customer = await stripe.customers.retrieve(id);
      if (customer.deleted) return { id: customer.id, email: null, name: null, state: null, country: null, deleted: true };
      return {
        id: customer.id,
        email: customer.email ?? null,
        name: customer.name ?? null,
        state: customer.address?.state ?? null,
        country: customer.address?.country ?? null,
        deleted: false,
      };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return null;
      throw this.classify(err);
    }
  }

  /** One page of events, newest first (GET /v1/events), optionally of some types and after a time. */
  async listEvents(params: { types?: string[]; createdAfter?: number; startingAfter?: string; limit?: number } = {}): Promise<StripeEventPage> {
    const stripe = await this.stripe();
    try {
      const page = await stripe.events.list({
        limit: params.limit ?? 100,
        ...(params.types ? { types: params.types } : {}),
        ...(params.createdAfter !== undefined ? { created: { gt: params.createdAfter } } : {}),
        ...(params.startingAfter ? { starting_after: params.startingAfter } : {}),
      });
      return { events: page.data, hasMore: page.has_more };
    } catch (err) {
      throw this.classify(err);
    }
  }

  /**
   * Every event created in [since, until) (unix seconds), newest first, in pages of up to 100, read
   * with the SDK's auto-pagination. Stripe lists the last 30 days of events.
   */
  async *eventsCreatedBetween(since: number, until: number): AsyncGenerator<Stripe.Event[]> {
    const stripe = await this.stripe();
    let page: Stripe.Event[] = [];
    try {
      for await (const event of stripe.events.list({ created: { gte: since, lt: until }, limit: 100 })) {
        page.push(event);
        if (page.length === 100) {
          yield page;
          page = [];
        }
      }
    } catch (err) {
      throw this.classify(err);
    }
    if (page.length) yield page;
  }

  /** The SDK is imported on first use, not at start. */
  private async stripe(): Promise<Stripe> {
    const reason = this.unavailableReason();
    if (reason) throw connectorError('stripe', reason, { permanent: true, secrets: [] });
    if (this.client) return this.client;
    const { default: StripeSdk } = await import('stripe');
    const url = new URL(this.settings.STRIPE_API_URL);
    const protocol = url.protocol === 'http:' ? 'http' : 'https';
    this.client ??= new StripeSdk(this.settings.STRIPE_API_KEY!, {
      host: url.hostname,
      port: url.port || (protocol === 'http' ? 80 : 443),
      protocol,
      maxNetworkRetries: 0,
      timeout: this.config.CONNECTOR_TIMEOUT_MS,
      telemetry: false,
    });
    return this.client;
  }

  private classify(err: unknown): Error {
    const e = err as { statusCode?: number; message?: string; code?: string; type?: string; headers?: Record<string, string> };
    const secrets = this.settings.STRIPE_API_KEY ? [this.settings.STRIPE_API_KEY] : [];
    const status = e.statusCode;
    if (status === 429) {
      const retryAfter = Number(e.headers?.['retry-after']);
      return connectorRateLimited('stripe', `429 ${e.message ?? 'rate limited'}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 10_000, secrets);
    }
    if (status !== undefined) return connectorError('stripe', `${status} ${e.message ?? ''}`.trim(), { permanent: isPermanentHttpStatus(status), secrets });
    return connectorError('stripe', networkFailureDetail(err, this.config.CONNECTOR_TIMEOUT_MS), { permanent: false, secrets });
  }
}
