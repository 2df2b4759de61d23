import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/env.schema.js';
import { secretValuesOf } from '../../config/settings-reference.js';
import { connectorError, connectorRateLimited, isPermanentHttpStatus, networkFailureDetail, rateLimitPauseMs, redactSecrets } from '../../core/index.js';
import { CredentialsConnectorConfig } from './credentials-connector.config.js';

export interface StoredSecret {
  path: string;
  version: number | null;
}

/** `service=url,service=url` → map. */
export function serviceUrls(setting: string | undefined): ReadonlyMap<string, string> {
  return new Map(
    (setting ?? '')
      .split(',')
      .map((pair) => pair.split('=').map((part) => part.trim()))
      .filter(([service, url]) => service && url)
      .map(([service, url]) => [service, url]),
  );
}

/**
 * Calls the operator's credential endpoints (revoke, replacement, per service) and the secrets
 * store (Vault-compatible KV v2). Secret values pass through it and nowhere else: they are never
 * returned in a result, logged, or put in an error (errors are scrubbed of them).
 */
@Injectable()
export class CredentialsConnector {
  private readonly revokeUrls: ReadonlyMap<string, string>;
  private readonly rotateUrls: ReadonlyMap<string, string>;

  constructor(
    @Inject(CredentialsConnectorConfig) private readonly settings: CredentialsConnectorConfig,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.revokeUrls = serviceUrls(settings.CREDENTIALS_REVOKE_URLS);
    this.rotateUrls = serviceUrls(settings.CREDENTIALS_ROTATE_URLS);
  }

  revokeUnavailable(service: string): string | null {
    return this.revokeUrls.has(service) ? null : `CREDENTIALS_REVOKE_URLS names no endpoint for ${service}`;
  }

  rotateUnavailable(service: string): string | null {
    if (!this.rotateUrls.has(service)) return `CREDENTIALS_ROTATE_URLS names no endpoint for ${service}`;
    if (!this.settings.SECRETS_STORE_URL) return 'SECRETS_STORE_URL is not set';
    return null;
  }

  /** Whether any service can be revoked / rotated at all (the tools' unavailableReason). */
  anyRevoke(): string | null {
    return this.revokeUrls.size ? null : 'CREDENTIALS_REVOKE_URLS is not set';
  }

  anyRotate(): string | null {
    if (!this.rotateUrls.size) return 'CREDENTIALS_ROTATE_URLS is not set';
    return this.settings.SECRETS_STORE_URL ? null : 'SECRETS_STORE_URL is not set';
  }

  /** POSTs the secret to the service's revoke endpoint. Returns the HTTP status only: the answer might echo the secret. */
  async revoke(service: string, body: Record<string, unknown> & { secret: string }, idempotencyKey: string): Promise<{ status: number }> {
    const url = this.revokeUrls.get(service);
    if (!url) throw connectorError('credentials', `${this.revokeUnavailable(service)}`, { permanent: true, secrets: [] });
    const { status } = await this.call(`revoke ${service}`, url, 'POST', body, idempotencyKey, this.bearer(), [body.secret]);
    return { status };
  }

  /** Asks the service's replacement endpoint for a new credential: `{secret}` (or `{value}`) in its answer. */
  async replacement(service: string, body: Record<string, unknown>, idempotencyKey: string): Promise<string> {
    const url = this.rotateUrls.get(service);
    if (!url) throw connectorError('credentials', `${this.rotateUnavailable(service)}`, { permanent: true, secrets: [] });
    const { json } = await this.call(`replacement for ${service}`, url, 'POST', body, idempotencyKey, this.bearer(), []);
    const secret = (json as { secret?: unknown; value?: unknown } | null)?.secret ?? (json as { value?: unknown } | null)?.value;
    if (typeof secret !== 'string' || secret === '') {
      throw connectorError('credentials', `replacement for ${service}: the answer carries no "secret"`, { permanent: true, secrets: [] });
    }
    return secret;
  }

  /** Writes `value` at <prefix>/<service> in the KV v2 store (`POST /v1/<mount>/data/<path>`). */
  async store(service: string, value: string, metadata: Record<string, string>, idempotencyKey: string): Promise<StoredSecret> {
    const base = this.settings.SECRETS_STORE_URL;
    if (!base) throw connectorError('secrets store', 'SECRETS_STORE_URL is not set', { permanent: true, secrets: [] });
    const path = `${this.settings.SECRETS_STORE_PATH_PREFIX.replace(/^\/+|\/+$/g, '')}/${service}`;
    const url = `${base.replace(/\/+$/, '')}/v1/${encodeURIComponent(this.settings.SECRETS_STORE_MOUNT)}/data/${path.split('/').map(encodeURIComponent).join('/')}`;
    const headers: Record<string, string> = this.settings.SECRETS_STORE_TOKEN ? { 'x-vault-token': this.settings.SECRETS_STORE_TOKEN } : {};
    const { json } = await this.call('secrets store write', url, 'POST', { data: { value, ...metadata } }, idempotencyKey, headers, [value]);
    const version = (json as { data?: { version?: unknown } } | null)?.data?.version;
    return { path: `${this.settings.SECRETS_STORE_MOUNT}/${path}`, version: typeof version === 'number' ? version : null };
  }

  private bearer(): Record<string, string> {
    return this.settings.CREDENTIALS_HTTP_TOKEN ? { authorization: `Bearer ${this.settings.CREDENTIALS_HTTP_TOKEN}` } : {};
  }

  private async call(
    what: string,
    url: string,
    method: 'POST',
    body: unknown,
    idempotencyKey: string,
    extraHeaders: Record<string, string>,
    values: string[],
  ): Promise<{ status: number; json: unknown }> {
    const secrets = [...secretValuesOf(this.settings), ...values];
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { accept: 'application/json', 'content-type': 'application/json', 'idempotency-key': idempotencyKey, ...extraHeaders },
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.CONNECTOR_TIMEOUT_MS),
      });
    } catch (err) {
      throw connectorError('credentials', `${what}: request failed: ${networkFailureDetail(err, this.config.CONNECTOR_TIMEOUT_MS)}`, { permanent: false, secrets });
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) {
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { status: response.status, json };
    }
    // The answer is scrubbed of every value this call carried, then cut.
    const summary = `${what}: HTTP ${response.status}${text ? `: ${redactSecrets(text, secrets).slice(0, 300)}` : ''}`;
    if (response.status === 429) throw connectorRateLimited('credentials', summary, rateLimitPauseMs(response.headers), secrets);
    if (response.status >= 300 && response.status < 400) throw connectorError('credentials', `${summary} (redirects are not followed)`, { permanent: true, secrets });
    throw connectorError('credentials', summary, { permanent: isPermanentHttpStatus(response.status), secrets });
  }
}
