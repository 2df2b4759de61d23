import { Inject, Injectable } from '@nestjs/common';
import type { WebClient } from '@slack/web-api';
import { AppConfig } from '../../../config/env.schema.js';
import { connectorError } from './connector-error.js';
import { isPermanentHttpStatus } from './is-permanent-http-status.js';
import { networkFailureDetail } from './network-failure-detail.js';

export interface SlackMessage {
  channel: string;
  text: string;
  threadTs?: string;
}

export interface PostedSlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
}

/** Slack `error` codes that mean "try again later"; every other platform error is permanent. */
const TRANSIENT_PLATFORM_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** Posts messages with @slack/web-api against SLACK_API_URL, as the bot in SLACK_BOT_TOKEN. */
@Injectable()
export class SlackConnector {
  private client: WebClient | null = null;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  unavailableReason(): string | null {
    return this.config.SLACK_BOT_TOKEN ? null : 'SLACK_BOT_TOKEN is not set';
  }

  async postMessage(message: SlackMessage, idempotencyKey: string): Promise<PostedSlackMessage> {
    const reason = this.unavailableReason();
    if (reason) throw connectorError('slack', reason, { permanent: true, secrets: [] });
    try {
      const web = await this.web();
      const result = await web.chat.postMessage({
        channel: message.channel,
        text: message.text,
        thread_ts: message.threadTs,
        // Slack has no idempotency keys; the key rides along as message metadata so a duplicate is recognisable.
        metadata: { event_type: 'hookwise_action', event_payload: { idempotency_key: idempotencyKey } },
      });
      return {
        channel: result.channel ?? message.channel,
        ts: result.ts ?? '',
        ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      };
    } catch (err) {
      throw await this.classify(err);
    }
  }

  /** The SDK is imported on first use: it costs ~14 MB of memory in a process that may never call Slack. */
  private async web(): Promise<WebClient> {
    if (this.client) return this.client;
    const { LogLevel, WebClient } = await import('@slack/web-api');
    this.client ??= new WebClient(this.config.SLACK_BOT_TOKEN, {
      slackApiUrl: ensureTrailingSlash(this.config.SLACK_API_URL),
      // The job queue owns retries (with backoff and a dead-letter state); the client must not wait minutes.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 15_000,
      logLevel: LogLevel.ERROR,
      allowAbsoluteUrls: false,
    });
    return this.client;
  }

  private async classify(err: unknown): Promise<Error> {
    const { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } = await import('@slack/web-api');
    const secrets = [this.config.SLACK_BOT_TOKEN];
    if (err instanceof WebAPIPlatformError) {
      const code = err.data.error;
      return connectorError('slack', `chat.postMessage failed: ${code}`, { permanent: !TRANSIENT_PLATFORM_ERRORS.has(code), secrets });
    }
    if (err instanceof WebAPIRateLimitedError) {
      return connectorError('slack', `rate limited, retry after ${err.retryAfter}s`, { permanent: false, secrets });
    }
    if (err instanceof WebAPIHTTPError) {
      return connectorError('slack', `HTTP ${err.statusCode} ${err.statusMessage}`, {
        permanent: isPermanentHttpStatus(err.statusCode),
        secrets,
      });
    }
    if (err instanceof WebAPIRequestError) {
      return connectorError('slack', `request failed: ${networkFailureDetail(err.original)}`, { permanent: false, secrets });
    }
    return connectorError('slack', err instanceof Error ? err.message : String(err), { permanent: false, secrets });
  }
}

function ensureTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
