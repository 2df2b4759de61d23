import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCredentialCall {
  kind: 'revoke' | 'replace' | 'store';
  /** The service (revoke, replace) or the store path (store). */
  target: string;
  body: Record<string, any>;
  headers: IncomingHttpHeaders;
}

/**
 * One local server standing in for the operator's credential endpoints and the secrets store:
 * `POST /revoke/<service>`, `POST /replace/<service>` (answers `{secret}` with a fresh value from
 * `nextReplacement`) and a Vault KV v2 `POST /v1/<mount>/data/<path>` (keeps versions). Records all.
 */
export class FakeCredentialsApi {
  readonly calls: ReceivedCredentialCall[] = [];
  /** The KV store: path → versions written (values). */
  readonly store = new Map<string, string[]>();
  replacementValue = 'AKIAREPLACEMENT0000000000000001';
  revokeStatus = 200;
  /** While set, `POST /replace/<service>` is answered only once it settles: a rotation held in flight. */
  replacementsHeld: Promise<void> | null = null;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeCredentialsApi> {
    let fake: FakeCredentialsApi | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>) : {};
        if (fake!.replacementsHeld && req.url?.startsWith('/replace/')) await fake!.replacementsHeld;
        const answer = fake!.answer(req.method ?? 'GET', req.url ?? '/', body, req.headers);
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    fake = new FakeCredentialsApi(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  of(kind: ReceivedCredentialCall['kind']): ReceivedCredentialCall[] {
    return this.calls.filter((c) => c.kind === kind);
  }

  reset(): void {
    this.calls.length = 0;
    this.store.clear();
    this.revokeStatus = 200;
    this.replacementsHeld = null;
  }

  /** Holds every replacement request until the returned function is called. */
  holdReplacements(): () => void {
    let release!: () => void;
    this.replacementsHeld = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.replacementsHeld = null;
      release();
    };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(method: string, url: string, body: Record<string, any>, headers: IncomingHttpHeaders): { status: number; body: unknown } {
    const revoke = /^\/revoke\/([a-z0-9_-]+)$/.exec(url);
    if (method === 'POST' && revoke) {
      this.calls.push({ kind: 'revoke', target: revoke[1], body, headers });
      // A refusal echoes what it was sent, as careless endpoints do: the connector must scrub it.
      return { status: this.revokeStatus, body: this.revokeStatus === 200 ? { revoked: true } : { error: 'invalid key', received: body.secret } };
    }
    const replace = /^\/replace\/([a-z0-9_-]+)$/.exec(url);
    if (method === 'POST' && replace) {
      this.calls.push({ kind: 'replace', target: replace[1], body, headers });
      return { status: 200, body: { secret: this.replacementValue } };
    }
    const kv = /^\/v1\/([^/]+)\/data\/(.+)$/.exec(url);
    if (method === 'POST' && kv) {
      const path = `${kv[1]}/${decodeURIComponent(kv[2])}`;
      this.calls.push({ kind: 'store', target: path, body, headers });
      const versions = this.store.get(path) ?? [];
      versions.push(String(body.data?.value));
      this.store.set(path, versions);
      return { status: 200, body: { data: { version: versions.length, created_time: new Date().toISOString() } } };
    }
    return { status: 404, body: { errors: ['not found'] } };
  }
}
