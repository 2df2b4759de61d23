import { RecordingHttpServer, type FakeHandler, type FakeResponse, type RecordedRequest } from '../../../../test/support/recording-http-server.js';

export interface PostedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  metadata?: unknown;
  blocks?: unknown;
}

/**
 * Slack Web API stand-in for `chat.postMessage`, `conversations.history` and
 * `conversations.replies`, reached through @slack/web-api's `slackApiUrl`. Records each call
 * (headers, form fields) and answers like Slack: `{ ok: true, channel, ts }`; the history methods
 * list what was posted here (newest first), with metadata when `include_all_metadata` is set.
 */
export class FakeSlackApi {
  private seq = 0;
  private posted: PostedMessage[] = [];
  /** When set, the history methods answer `{ ok: false, error }` (e.g. missing_scope). */
  historyError: string | null = null;
  /** What chat.update received. */
  readonly updates: Array<{ channel: string; ts: string; text: string; blocks?: unknown }> = [];
  /** What chat.postEphemeral received. */
  readonly ephemerals: Array<{ channel: string; user: string; text: string }> = [];
  /** users.info answers: user id → e-mail (others: `user_not_found`). */
  readonly userEmails = new Map<string, string>();

  private constructor(readonly server: RecordingHttpServer) {}

  static async start(): Promise<FakeSlackApi> {
    const fake: FakeSlackApi = new FakeSlackApi(await RecordingHttpServer.start((req) => fake.postMessage(req)));
    return fake;
  }

  /** The value for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.server.url}/api/`;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  /** Form fields of a recorded call (the client sends application/x-www-form-urlencoded). */
  static fields(request: RecordedRequest): Record<string, string> {
    return Object.fromEntries(new URLSearchParams(request.body));
  }

  answer(response: FakeResponse | FakeHandler): void {
    this.server.respondWith(typeof response === 'function' ? response : () => response);
  }

  /** What chat.postMessage received, oldest first. */
  get messages(): ReadonlyArray<PostedMessage> {
    return this.posted;
  }

  reset(): void {
    this.posted = [];
    this.userEmails.clear();
    this.updates.length = 0;
    this.ephemerals.length = 0;
    this.historyError = null;
    this.server.reset((req) => this.postMessage(req));
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private postMessage(req: RecordedRequest): FakeResponse {
    if (!/^Bearer xoxb-/.test(String(req.headers.authorization ?? ''))) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    const fields = FakeSlackApi.fields(req);
    if (req.path === '/api/conversations.history' || req.path === '/api/conversations.replies') return this.history(req.path, fields);
    if (req.path === '/api/chat.update') {
      this.updates.push({ channel: fields.channel, ts: fields.ts, text: fields.text, blocks: fields.blocks ? JSON.parse(fields.blocks) : undefined });
      return { status: 200, body: { ok: true, channel: fields.channel, ts: fields.ts } };
    }
    if (req.path === '/api/chat.postEphemeral') {
      this.ephemerals.push({ channel: fields.channel, user: fields.user, text: fields.text });
      return { status: 200, body: { ok: true, message_ts: '1700000000.999999' } };
    }
    if (req.path === '/api/chat.getPermalink') {
      const permalink = `https://acme.slack.com/archives/${fields.channel}/p${String(fields.message_ts).replace('.', '')}`;
      return { status: 200, body: { ok: true, channel: fields.channel, permalink } };
    }
    if (req.path === '/api/users.info') {
      const email = this.userEmails.get(fields.user);
      if (!email) return { status: 200, body: { ok: false, error: 'user_not_found' } };
      return { status: 200, body: { ok: true, user: { id: fields.user, profile: { email } } } };
    }
    if (req.path !== '/api/chat.postMessage') return { status: 200, body: { ok: false, error: 'unknown_method' } };
    this.seq += 1;
    const ts = `1700000000.${String(this.seq).padStart(6, '0')}`;
    this.posted.push({ channel: fields.channel, ts, thread_ts: fields.thread_ts, text: fields.text, metadata: fields.metadata ? JSON.parse(fields.metadata) : undefined, blocks: fields.blocks ? JSON.parse(fields.blocks) : undefined });
    return { status: 200, body: { ok: true, channel: fields.channel, ts, message: { text: fields.text } } };
  }

  private history(path: string, fields: Record<string, string>): FakeResponse {
    if (this.historyError) return { status: 200, body: { ok: false, error: this.historyError } };
    const inThread = path === '/api/conversations.replies';
    const messages = this.posted
      .filter((m) => m.channel === fields.channel && (inThread ? m.thread_ts === fields.ts || m.ts === fields.ts : !m.thread_ts))
      .reverse()
      .slice(0, Number(fields.limit ?? 100))
      .map(({ ts, text, metadata }) => ({ type: 'message', ts, text, ...(fields.include_all_metadata === 'true' && metadata ? { metadata } : {}) }));
    return { status: 200, body: { ok: true, messages, has_more: false } };
  }
}
