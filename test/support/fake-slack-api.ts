import { RecordingHttpServer, type FakeHandler, type FakeResponse, type RecordedRequest } from './recording-http-server.js';

/**
 * Slack Web API stand-in for `chat.postMessage`, reached through @slack/web-api's `slackApiUrl`.
 * Records each call (headers, form fields) and answers like Slack: `{ ok: true, channel, ts }`.
 */
export class FakeSlackApi {
  private seq = 0;

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

  reset(): void {
    this.server.reset((req) => this.postMessage(req));
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private postMessage(req: RecordedRequest): FakeResponse {
    if (req.path !== '/api/chat.postMessage') return { status: 200, body: { ok: false, error: 'unknown_method' } };
    if (!/^Bearer xoxb-/.test(String(req.headers.authorization ?? ''))) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    const fields = FakeSlackApi.fields(req);
    this.seq += 1;
    return { status: 200, body: { ok: true, channel: fields.channel, ts: `1700000000.${String(this.seq).padStart(6, '0')}`, message: { text: fields.text } } };
  }
}
