import { RecordingHttpServer } from '../../../../test/support/recording-http-server.js';

/** A Prometheus query API stand-in: GET /api/v1/query answers a one-series vector with `value` (settable). */
export class FakePrometheus {
  /** The error rate the next queries return; null: an empty vector. */
  value: number | null = 0.01;
  /** When set, queries are answered with this HTTP status (a Prometheus that is down). */
  failWith: number | null = null;

  private constructor(readonly server: RecordingHttpServer) {}

  static async start(): Promise<FakePrometheus> {
    const fake: FakePrometheus = new FakePrometheus(
      await RecordingHttpServer.start((req) => {
        if (req.path !== '/api/v1/query') return { status: 404, body: { status: 'error', error: 'not found' } };
        if (fake.failWith !== null) return { status: fake.failWith, body: 'unavailable' };
        const result = fake.value === null ? [] : [{ metric: {}, value: [Date.now() / 1000, String(fake.value)] }];
        return { status: 200, body: { status: 'success', data: { resultType: 'vector', result } } };
      }),
    );
    return fake;
  }

  get url(): string {
    return this.server.url;
  }

  /** The PromQL of every query received. */
  get queries(): string[] {
    return this.server.requests.filter((r) => r.path === '/api/v1/query').map((r) => r.query.get('query') ?? '');
  }

  reset(): void {
    this.value = 0.01;
    this.failWith = null;
    this.server.requests.length = 0;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
