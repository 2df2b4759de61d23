import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON. */
  body?: unknown;
}

export type FakeHandler = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

/**
 * A local HTTP server that records every request and answers through a replaceable handler: the
 * base of the fake third-party APIs the connector tests talk to through the real clients.
 */
export class RecordingHttpServer {
  readonly requests: RecordedRequest[] = [];
  private handler: FakeHandler;

  private constructor(
    private readonly server: Server,
    defaultHandler: FakeHandler,
  ) {
    this.handler = defaultHandler;
  }

  static async start(defaultHandler: FakeHandler): Promise<RecordingHttpServer> {
    let instance: RecordingHttpServer | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const url = new URL(req.url ?? '/', 'http://fake');
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        instance!.requests.push(recorded);
        try {
          const answer = await instance!.handler(recorded);
          const isText = typeof answer.body === 'string';
          const payload = answer.body === undefined ? '' : isText ? (answer.body as string) : JSON.stringify(answer.body);
          res.writeHead(answer.status, {
            'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
            ...answer.headers,
          });
          res.end(payload);
        } catch (err) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`fake server handler failed: ${(err as Error).message}`);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    instance = new RecordingHttpServer(server, defaultHandler);
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Answers with `handler` from now on (until the next call). */
  respondWith(handler: FakeHandler): void {
    this.handler = handler;
  }

  reset(defaultHandler: FakeHandler): void {
    this.requests.length = 0;
    this.handler = defaultHandler;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
