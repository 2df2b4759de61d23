import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import { secretValuesOf } from '../../config/settings-reference.js';
import { HttpActionsConnectorConfig } from './http-actions-connector.config.js';
import { connectorError, connectorRateLimited, isPermanentHttpStatus, networkFailureDetail, rateLimitPauseMs, redactSecrets } from '../../core/index.js';

/** Which configured endpoint a tool calls. */
export type ActionEndpoint = 'ROLLBACK_URL' | 'REVOKE_URL' | 'SMOKE_TEST_URL';

export interface ActionHttpResponse {
  status: number;
  /** The endpoint's answer: parsed JSON, or text cut to MAX_BODY_CHARS. */
  body: unknown;
}

const MAX_BODY_CHARS = 4000;

/**
 * Calls the operator-configured HTTP endpoints (rollback, key revocation, smoke test) with fetch,
 * sending the action's idempotency key as `Idempotency-Key` and ACTION_HTTP_TOKEN as a bearer token.
 */
@Injectable()
export class ActionHttpConnector {
  constructor(
    @Inject(HttpActionsConnectorConfig) private readonly settings: HttpActionsConnectorConfig,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  unavailableReason(endpoint: ActionEndpoint): string | null {
    return this.settings[endpoint] ? null : `${endpoint} is not set`;
  }

  async request(
    endpoint: ActionEndpoint,
    options: { method: 'GET' | 'POST'; idempotencyKey: string; body?: unknown; query?: Record<string, string | undefined> },
  ): Promise<ActionHttpResponse> {
    const base = this.settings[endpoint];
    const secrets = secretValuesOf(this.settings);
    if (!base) throw connectorError(endpoint, `${endpoint} is not set`, { permanent: true, secrets });
    const url = new URL(base);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);

    const headers: Record<string, string> = { accept: 'application/json', 'idempotency-key': options.idempotencyKey };
    if (this.settings.ACTION_HTTP_TOKEN) headers.authorization = `Bearer ${this.settings.ACTION_HTTP_TOKEN}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await fetch(url, {
        method: options.method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        // A redirect would re-send the bearer token somewhere nobody configured.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.CONNECTOR_TIMEOUT_MS),
      });
    } catch (err) {
      throw connectorError(endpoint, `${options.method} failed: ${networkFailureDetail(err, this.config.CONNECTOR_TIMEOUT_MS)}`, { permanent: false, secrets });
    }

    const body = await readBody(response);
    if (response.status >= 200 && response.status < 300) return { status: response.status, body };
    // Scrubbed before it is cut: a cut could halve the token, which connectorError would then miss.
    const said = typeof body === 'string' ? body : body ? JSON.stringify(body) : '';
    const summary = `${options.method} answered HTTP ${response.status}${said ? `: ${redactSecrets(said, secrets).slice(0, 300)}` : ''}`;
    if (response.status >= 300 && response.status < 400) {
      throw connectorError(endpoint, `${summary} (redirects are not followed; configure the final URL)`, { permanent: true, secrets });
    }
    if (response.status === 429) throw connectorRateLimited(endpoint, summary, rateLimitPauseMs(response.headers), secrets);
    throw connectorError(endpoint, summary, { permanent: isPermanentHttpStatus(response.status), secrets });
  }
}

async function readBody(response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return null;
  }
  if (!text) return null;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      // Fall through: report it as text.
    }
  }
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text;
}
