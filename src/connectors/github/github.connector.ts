import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Octokit } from '@octokit/rest';
import { AppConfig } from '../../config/env.schema.js';
import { secretValuesOf } from '../../config/settings-reference.js';
import { type ActionAttempt, connectorError, connectorRateLimited, idempotencyKeyDigest, isPermanentHttpStatus, networkFailureDetail, rateLimitPauseMs } from '../../core/index.js';
import { GithubConnectorConfig } from './github-connector.config.js';
import { githubAppJwt } from './github-app-jwt.js';
import { githubHookName, type GithubHook } from './github-hook.js';

export interface PostedGithubComment {
  id: number;
  html_url: string;
  /** True when an earlier attempt of this same action had already posted it. */
  already_existed: boolean;
}

/**
 * The external id of an issue or pull request comment on the action ledger (see AgentTool.externalIds):
 * an `issue_comment` event about that comment id is our own output coming back.
 */
export function githubCommentId(commentId: number | string): string {
  return `github:comment:${commentId}`;
}

/** A secret scanning alert as the connector read it; `secret` must never leave the tool that uses it. */
export interface SecretScanningAlert {
  number: number;
  state: string;
  secretType: string;
  htmlUrl: string | null;
  secret: string;
  /** First 12 hex digits of the secret's SHA-256: what tickets, messages, the ledger and the model see. */
  fingerprint: string;
}

export interface ResolvedSecretScanningAlert {
  number: number;
  state: string;
  resolution: string | null;
  html_url: string | null;
}

/** One delivery attempt in a hook's record (`GET …/hooks/{id}/deliveries`); a redelivery is an attempt of its own, with the same guid. */
export interface GithubHookDelivery {
  id: number;
  /** The X-GitHub-Delivery of the delivery, the same on every attempt. */
  guid: string;
  deliveredAt: Date;
  redelivery: boolean;
  /** HTTP status the receiver answered; 0 when it gave none (refused, timed out). */
  statusCode: number;
  event: string;
  action: string | null;
}

/** A short, stable name for a secret that does not reveal it: `sha256:` and 12 hex digits of its SHA-256. */
export function secretFingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 12)}`;
}

/**
 * GitHub REST through @octokit/rest against GITHUB_API_URL (GitHub Enterprise works too). Reading
 * works without a token on public repositories; writing needs GITHUB_TOKEN, and without it the
 * tools dry-run.
 */
@Injectable()
export class GithubConnector {
  private readonly octokit: Octokit;

  constructor(
    @Inject(GithubConnectorConfig) private readonly settings: GithubConnectorConfig,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.octokit = this.client(settings.GITHUB_TOKEN);
  }

  unavailableReason(): string | null {
    return this.settings.GITHUB_TOKEN ? null : 'GITHUB_TOKEN is not set';
  }

  /** The unified diff of a pull request. */
  async pullRequestDiff(owner: string, repo: string, pullNumber: number): Promise<string> {
    try {
      const response = await this.octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber, mediaType: { format: 'diff' } });
      return response.data as unknown as string;
    } catch (err) {
      throw this.classify(`GET diff of ${owner}/${repo}#${pullNumber}`, err);
    }
  }

  /**
   * GitHub has no idempotency keys, so the comment carries its action's key in an invisible HTML
   * comment; a retried action first looks for a comment with that marker and returns it instead of
   * posting a second one.
   */
  async createIssueComment(
    owner: string,
    repo: string,
    issueNumber: number,
    body: string,
    action: ActionAttempt,
  ): Promise<PostedGithubComment> {
    const reason = this.unavailableReason();
    if (reason) throw connectorError('github', reason, { permanent: true, secrets: [] });
    const marker = `<!-- hookwise-action:${idempotencyKeyDigest(action.idempotencyKey)} -->`;
    try {
      if (action.retried) {
        const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
        const earlier = comments.find((comment) => comment.body?.includes(marker));
        if (earlier) return { id: earlier.id, html_url: earlier.html_url, already_existed: true };
      }
      const { data } = await this.octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: `${body}\n\n${marker}` });
      return { id: data.id, html_url: data.html_url, already_existed: false };
    } catch (err) {
      throw this.classify(`comment on ${owner}/${repo}#${issueNumber}`, err);
    }
  }

  /**
   * One secret scanning alert, secret included (`GET /repos/{owner}/{repo}/secret-scanning/alerts/{n}`).
   * The secret is for the tool that revokes it, at the moment it does so: never return it from a
   * tool, log it, store it or show it to a model. `fingerprint` is what may be shown instead.
   */
  async secretScanningAlert(owner: string, repo: string, alertNumber: number): Promise<SecretScanningAlert> {
    let data: { number?: number; state?: string; secret_type?: string; html_url?: string; secret?: string };
    try {
      ({ data } = await this.octokit.rest.secretScanning.getAlert({ owner, repo, alert_number: alertNumber }));
    } catch (err) {
      throw this.classify(`GET secret scanning alert ${owner}/${repo}#${alertNumber}`, err);
    }
    const secret = typeof data.secret === 'string' ? data.secret : '';
    if (!secret) throw connectorError('github', `secret scanning alert ${owner}/${repo}#${alertNumber} carries no secret`, { permanent: true, secrets: [] });
    return {
      number: data.number ?? alertNumber,
      state: String(data.state ?? 'open'),
      secretType: String(data.secret_type ?? 'unknown'),
      htmlUrl: data.html_url ?? null,
      secret,
      fingerprint: secretFingerprint(secret),
    };
  }

  /** Resolves a secret scanning alert as revoked (`PATCH …/secret-scanning/alerts/{n}`). */
  async resolveSecretScanningAlert(owner: string, repo: string, alertNumber: number, comment: string): Promise<ResolvedSecretScanningAlert> {
    const reason = this.unavailableReason();
    if (reason) throw connectorError('github', reason, { permanent: true, secrets: [] });
    try {
      const { data } = await this.octokit.rest.secretScanning.updateAlert({
        owner,
        repo,
        alert_number: alertNumber,
        state: 'resolved',
        resolution: 'revoked',
        resolution_comment: comment,
      });
      return { number: data.number ?? alertNumber, state: String(data.state), resolution: data.resolution ?? null, html_url: data.html_url ?? null };
    } catch (err) {
      throw this.classify(`resolve secret scanning alert ${owner}/${repo}#${alertNumber}`, err);
    }
  }

  /** Whether the GitHub App's own hook can be read (GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY set). */
  hasAppCredentials(): boolean {
    return Boolean(this.settings.GITHUB_APP_ID && this.settings.GITHUB_APP_PRIVATE_KEY);
  }

  /**
   * A hook's delivery attempts, newest first, a page (up to 100) at a time, following GitHub's
   * cursor; the caller stops iterating once it is far enough back.
   */
  async *hookDeliveries(hook: GithubHook): AsyncGenerator<GithubHookDelivery[]> {
    const octokit = this.clientFor(hook);
    const pages =
      hook.kind === 'repository'
        ? octokit.paginate.iterator(octokit.rest.repos.listWebhookDeliveries, { owner: hook.owner, repo: hook.repo, hook_id: hook.hookId, per_page: 100 })
        : hook.kind === 'organization'
          ? octokit.paginate.iterator(octokit.rest.orgs.listWebhookDeliveries, { org: hook.org, hook_id: hook.hookId, per_page: 100 })
          : octokit.paginate.iterator(octokit.rest.apps.listWebhookDeliveries, { per_page: 100 });
    try {
      for await (const page of pages) {
        yield page.data.map((d) => ({
          id: d.id,
          guid: d.guid,
          deliveredAt: new Date(d.delivered_at),
          redelivery: d.redelivery,
          statusCode: d.status_code,
          event: d.event,
          action: d.action ?? null,
        }));
      }
    } catch (err) {
      throw this.classify(`list deliveries of hook ${githubHookName(hook)}`, err);
    }
  }

  /** Asks GitHub to deliver one delivery again (`POST …/deliveries/{id}/attempts`): it arrives signed, with the same guid. */
  async redeliverHookDelivery(hook: GithubHook, deliveryId: number): Promise<void> {
    const octokit = this.clientFor(hook);
    try {
      if (hook.kind === 'repository') await octokit.rest.repos.redeliverWebhookDelivery({ owner: hook.owner, repo: hook.repo, hook_id: hook.hookId, delivery_id: deliveryId });
      else if (hook.kind === 'organization') await octokit.rest.orgs.redeliverWebhookDelivery({ org: hook.org, hook_id: hook.hookId, delivery_id: deliveryId });
      else await octokit.rest.apps.redeliverWebhookDelivery({ delivery_id: deliveryId });
    } catch (err) {
      throw this.classify(`redeliver delivery ${deliveryId} of hook ${githubHookName(hook)}`, err);
    }
  }

  /** The token client, or for the app's own hook a client authenticated as the app (a JWT; Octokit sends it as a bearer). */
  private clientFor(hook: GithubHook): Octokit {
    if (hook.kind !== 'app') return this.octokit;
    if (!this.hasAppCredentials()) throw connectorError('github', 'the app hook needs GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY', { permanent: true, secrets: [] });
    const privateKey = this.settings.GITHUB_APP_PRIVATE_KEY!.replaceAll('\\n', '\n');
    return this.client(githubAppJwt(this.settings.GITHUB_APP_ID!, privateKey));
  }

  private client(auth: string | undefined): Octokit {
    return new Octokit({
      auth,
      baseUrl: this.settings.GITHUB_API_URL.replace(/\/+$/, ''),
      userAgent: 'hookwise',
      // @octokit/request has no timeout option of its own: each request gets a deadline through its signal.
      request: { fetch: fetchWithTimeout(this.config.CONNECTOR_TIMEOUT_MS) },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
  }

  private classify(what: string, err: unknown): Error {
    const secrets = secretValuesOf(this.settings);
    // Octokit reports a request that got no answer (refused, reset, timed out) as a RequestError of
    // status 500 without a response: say what happened rather than an HTTP status GitHub never sent.
    const response = (err as { response?: { headers?: Record<string, string | undefined>; data?: unknown } }).response;
    if (!response) {
      const cause = (err as { cause?: unknown }).cause ?? err;
      const why = networkFailureDetail(cause, this.config.CONNECTOR_TIMEOUT_MS);
      return connectorError('github', `${what}: request failed: ${why}`, { permanent: false, secrets });
    }
    const status = (err as { status: number }).status;
    const githubMessage = (response.data as { message?: unknown } | undefined)?.message;
    const detail = `${what}: HTTP ${status}`;
    const said = typeof githubMessage === 'string' ? `: ${githubMessage}` : '';
    // GitHub answers a spent primary rate limit with x-ratelimit-remaining 0 and a secondary one with
    // retry-after, on a 403 as often as on a 429: neither is a permanent refusal.
    const headers = response.headers ?? {};
    if ((status === 403 || status === 429) && (headers['retry-after'] !== undefined || headers['x-ratelimit-remaining'] === '0')) {
      return connectorRateLimited('github', `${detail} (rate limited)${said}`, rateLimitPauseMs(headers), secrets);
    }
    return connectorError('github', `${detail}${said}`, { permanent: isPermanentHttpStatus(status), secrets });
  }
}

/** fetch with a deadline, for Octokit: a GitHub that accepts the connection and never answers fails the attempt instead of holding it forever. */
function fetchWithTimeout(timeoutMs: number) {
  return (url: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const deadline = AbortSignal.timeout(timeoutMs);
    return fetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, deadline]) : deadline });
  };
}
