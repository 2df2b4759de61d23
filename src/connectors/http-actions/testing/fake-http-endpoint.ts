import { RecordingHttpServer, type FakeHandler, type FakeResponse } from '../../../../test/support/recording-http-server.js';

const ok: FakeHandler = () => ({ status: 200, body: { ok: true } });

/** An operator's rollback / revoke / smoke-test endpoint: records calls, answers `{ ok: true }` unless told otherwise. */
export class FakeHttpEndpoint {
  private constructor(readonly server: RecordingHttpServer) {}

  static async start(): Promise<FakeHttpEndpoint> {
    return new FakeHttpEndpoint(await RecordingHttpServer.start(ok));
  }

  get url(): string {
    return this.server.url;
  }

  get requests() {
    return this.server.requests;
  }

  answer(response: FakeResponse | FakeHandler): void {
    this.server.respondWith(typeof response === 'function' ? response : () => response);
  }

  reset(): void {
    this.server.reset(ok);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
