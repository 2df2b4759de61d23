import { Inject, Injectable } from '@nestjs/common';
import type { WebClient } from '@slack/web-api';
import { AppConfig } from '../../config/env.schema.js';
import { secretValuesOf } from '../../config/settings-reference.js';
import { SlackConnectorConfig } from './slack-connector.config.js';
import { type ActionAttempt, connectorError, connectorRateLimited, isPermanentHttpStatus, networkFailureDetail, rateLimitPauseMs } from '../../core/index.js';

export interface SlackMessage {
  channel: string;
  text: string;
  threadTs?: string;
}

export interface PostedSlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  /** True when an earlier attempt of this same action had already posted it. */
  already_existed: boolean;
  /** Set when a retried action could not look for its earlier message (and posted anyway). */
  duplicate_check?: string;
}

/** The external id of a Slack message on the action ledger (see AgentTool.externalIds). */
export function slackMessageId(channel: string, ts: string): string {
  return `slack:${channel}:${ts}`;
}

/** The metadata every message carries: Slack has no idempotency keys, so the key rides along. */
const METADATA_EVENT_TYPE = 'hookwise_action';
/** How far back a retried action looks for its earlier message in the channel (or thread). */
const LOOKBACK_MESSAGES = 100;

/** Slack `error` codes that mean "try again later"; every other platform error is permanent. */
const TRANSIENT_PLATFORM_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** Posts messages with @slack/web-api against SLACK_API_URL, as the bot in SLACK_BOT_TOKEN. */
@Injectable()
export class SlackConnector {
  private client: WebClient | null = null;

  constructor(
    @Inject(SlackConnectorConfig) private readonly settings: SlackConnectorConfig,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  unavailableReason(): string | null {
    return this.settings.SLACK_BOT_TOKEN ? null : 'SLACK_BOT_TOKEN is not set';
  }

  /**
   * Posts the message with the action's key as metadata. A retried action (one that failed or was
   * cut off, perhaps after Slack took the message) first looks for a message with that key among
   * the channel's (or thread's) last LOOKBACK_MESSAGES and returns it instead of posting again.
   * That lookup needs the channels:history scope; without it the message is posted, and
   * `duplicate_check` says why the check was skipped.
   */
  async postMessage(message: SlackMessage, action: ActionAttempt): Promise<PostedSlackMessage> {
    const reason = this.unavailableReason();
    if (reason) throw connectorError('slack', reason, { permanent: true, secrets: [] });
    try {
      const web = await this.web();
      const thread = message.threadTs ? { thread_ts: message.threadTs } : {};
      let duplicateCheck: string | undefined;
      if (action.retried) {
        const earlier = await this.findEarlier(web, message, action.idempotencyKey).catch((err: unknown) => {
          duplicateCheck = `skipped: ${slackErrorCode(err)}`;
          return null;
        });
        if (earlier) return { channel: message.channel, ts: earlier, ...thread, already_existed: true };
      }
      const result = await web.chat.postMessage({
        channel: message.channel,
        text: message.text,
        thread_ts: message.threadTs,
        metadata: { event_type: METADATA_EVENT_TYPE, event_payload: { idempotency_key: action.idempotencyKey } },
      });
      return {
        channel: result.channel ?? message.channel,
        ts: result.ts ?? '',
        ...thread,
        already_existed: false,
        ...(duplicateCheck ? { duplicate_check: duplicateCheck } : {}),
      };
    } catch (err) {
      throw await this.classify(err);
    }
  }

  /** A Block Kit message (no idempotency key: approval requests are keyed by their action). */
  async postBlocks(channel: string, text: string, blocks: unknown[]): Promise<{ channel: string; ts: string }> {
    try {
      const result = await (await this.web()).chat.postMessage({ channel, text, blocks: blocks as never });
      return { channel: result.channel ?? channel, ts: result.ts ?? '' };
    } catch (err) {
      throw await this.classify(err);
    }
  }

  /**
   * Replaces a message's text, and its blocks when given (chat.update). The same update twice leaves
   * the same message, so a retried action can simply send it again.
   */
  async updateMessage(channel: string, ts: string, text: string, blocks?: unknown[]): Promise<void> {
    const reason = this.unavailableReason();
    if (reason) throw connectorError('slack', reason, { permanent: true, secrets: [] });
    try {
      await (await this.web()).chat.update({ channel, ts, text, ...(blocks ? { blocks: blocks as never } : {}) });
    } catch (err) {
      throw await this.classify(err, 'chat.update');
    }
  }

  /** A message only `user` sees (chat.postEphemeral). */
  async postEphemeral(channel: string, user: string, text: string): Promise<void> {
    try {
      await (await this.web()).chat.postEphemeral({ channel, user, text });
    } catch (err) {
      throw await this.classify(err, 'chat.postEphemeral');
    }
  }

  /** The permanent link to a message (chat.getPermalink). */
  async permalink(channel: string, ts: string): Promise<string> {
    const reason = this.unavailableReason();
    if (reason) throw connectorError('slack', reason, { permanent: true, secrets: [] });
    let permalink: string | undefined;
    try {
      permalink = (await (await this.web()).chat.getPermalink({ channel, message_ts: ts })).permalink;
    } catch (err) {
      throw await this.classify(err, 'chat.getPermalink');
    }
    if (!permalink) throw connectorError('slack', 'chat.getPermalink returned no permalink', { permanent: false, secrets: [] });
    return permalink;
  }

  /**
   * The e-mail of a Slack user (users.info, scope users:read.email), or null when Slack does not
   * show it (no scope, a bot, an external user): the issue is then left unassigned.
   */
  async userEmail(userId: string): Promise<string | null> {
    if (this.unavailableReason()) return null;
    try {
      const result = await (await this.web()).users.info({ user: userId });
      return result.user?.profile?.email ?? null;
    } catch (err) {
      const { WebAPIPlatformError } = await import('@slack/web-api');
      if (err instanceof WebAPIPlatformError) return null;
      throw await this.classify(err, 'users.info');
    }
  }

  /** The ts of a recent message carrying this key, or null. */
  private async findEarlier(web: WebClient, message: SlackMessage, idempotencyKey: string): Promise<string | null> {
    const page = message.threadTs
      ? await web.conversations.replies({ channel: message.channel, ts: message.threadTs, include_all_metadata: true, limit: LOOKBACK_MESSAGES })
      : await web.conversations.history({ channel: message.channel, include_all_metadata: true, limit: LOOKBACK_MESSAGES });
    // The SDK types event_payload as {}: it is whatever the poster put there.
    const earlier = page.messages?.find(
      (m) =>
        m.metadata?.event_type === METADATA_EVENT_TYPE &&
        (m.metadata.event_payload as { idempotency_key?: unknown } | undefined)?.idempotency_key === idempotencyKey,
    );
    return earlier?.ts ?? null;
  }

  /** The SDK is imported on first use: it costs ~14 MB of memory in a process that may never call Slack. */
  private async web(): Promise<WebClient> {
    if (this.client) return this.client;
    const { LogLevel, WebClient } = await import('@slack/web-api');
    this.client ??= new WebClient(this.settings.SLACK_BOT_TOKEN, {
      slackApiUrl: ensureTrailingSlash(this.settings.SLACK_API_URL),
      // The job queue owns retries (with backoff and a dead-letter state); the client must not wait minutes.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: this.config.CONNECTOR_TIMEOUT_MS,
      logLevel: LogLevel.ERROR,
      allowAbsoluteUrls: false,
    });
    return this.client;
  }

  private async classify(err: unknown, method = 'chat.postMessage'): Promise<Error> {
    const { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } = await import('@slack/web-api');
    const secrets = secretValuesOf(this.settings);
    if (err instanceof WebAPIPlatformError) {
      const code = err.data.error;
      return connectorError('slack', `${method} failed: ${code}`, { permanent: !TRANSIENT_PLATFORM_ERRORS.has(code), secrets });
    }
    if (err instanceof WebAPIRateLimitedError) {
      return connectorRateLimited('slack', `rate limited, retry after ${err.retryAfter}s`, rateLimitPauseMs({ 'retry-after': err.retryAfter }), secrets);
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

function slackErrorCode(err: unknown): string {
  const data = (err as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : err instanceof Error ? err.message : String(err);
}

function ensureTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
