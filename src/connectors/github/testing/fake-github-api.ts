import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeHookDeliveries } from './fake-hook-deliveries.js';

export interface ReceivedGithubComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  authorization: string | undefined;
  /** Date.now() when it was posted. */
  postedAt: number;
}

/**
 * A local stand-in for the GitHub REST API, reached by the real Octokit through GITHUB_API_URL:
 * GET /repos/{owner}/{repo}/pulls/{n} (diff media type), and POST and GET (list, one page)
 * /repos/{owner}/{repo}/issues/{n}/comments, and hooks' delivery records with redelivery (`hooks`,
 * see FakeHookDeliveries). It records what it received.
 */
export class FakeGithubApi {
  /** Hooks' deliveries: listing, and redelivery to Hookwise's endpoint. */
  readonly hooks = new FakeHookDeliveries(() => this.url);
  readonly comments: ReceivedGithubComment[] = [];
  readonly diffRequests: string[] = [];
  /** `owner/repo#n` of every comment list request. */
  readonly commentListRequests: string[] = [];
  /** Diffs by `owner/repo#n`; others get a small default diff. */
  readonly diffs = new Map<string, string>();
  /** When set, comment POSTs answer with this status instead of 201 (and are not recorded). */
  commentFailureStatus: number | null = null;
  /** Until this time (ms), comment POSTs answer as GitHub does when the primary rate limit is spent. */
  commentsRateLimitedUntil: number | null = null;
  private nextCommentId = 1000;
  /** Secret scanning alerts by `owner/repo#n`, as GitHub's REST API returns them (secret included). */
  readonly secretScanningAlerts = new Map<string, { number: number; secret_type: string; secret: string; state: string; resolution: string | null; resolution_comment?: string | null }>();
  /** `owner/repo#n` of every GET of a secret scanning alert. */
  readonly secretScanningAlertReads: string[] = [];
  /** Every PATCH of a secret scanning alert: `owner/repo#n` and its body. */
  readonly secretScanningAlertUpdates: Array<{ alert: string; body: Record<string, unknown>; authorization: string | undefined }> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeGithubApi> {
    let fake: FakeGithubApi | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => fake!.answer(req.method ?? 'GET', req.url ?? '/', req.headers.accept, req.headers.authorization, Buffer.concat(chunks), res));
    });
    fake = new FakeGithubApi(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.comments.length = 0;
    this.diffRequests.length = 0;
    this.commentListRequests.length = 0;
    this.diffs.clear();
    this.secretScanningAlerts.clear();
    this.secretScanningAlertReads.length = 0;
    this.secretScanningAlertUpdates.length = 0;
    this.commentFailureStatus = null;
    this.commentsRateLimitedUntil = null;
    this.hooks.reset();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(
    method: string,
    url: string,
    accept: string | undefined,
    authorization: string | undefined,
    body: Buffer,
    res: import('node:http').ServerResponse,
  ): void {
    if (this.hooks.handles(url)) {
      void this.hooks.answer(method, url, authorization, res);
      return;
    }
    const pull = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(url);
    if (method === 'GET' && pull && accept?.includes('diff')) {
      const key = `${pull[1]}/${pull[2]}#${pull[3]}`;
      this.diffRequests.push(key);
      const diff = this.diffs.get(key) ?? 'diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-old\n+new\n';
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(diff);
      return;
    }
    const secretAlert = /^\/repos\/([^/]+)\/([^/]+)\/secret-scanning\/alerts\/(\d+)$/.exec(url);
    if (secretAlert) {
      const key = `${secretAlert[1]}/${secretAlert[2]}#${secretAlert[3]}`;
      const alert = this.secretScanningAlerts.get(key);
      if (!alert) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
        return;
      }
      if (method === 'PATCH') {
        const update = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        this.secretScanningAlertUpdates.push({ alert: key, body: update, authorization });
        Object.assign(alert, { state: update.state, resolution: update.resolution ?? null, resolution_comment: update.resolution_comment ?? null });
      } else {
        this.secretScanningAlertReads.push(key);
      }
      const html = `https://github.com/${secretAlert[1]}/${secretAlert[2]}/security/secret-scanning/${alert.number}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...alert, html_url: html, url: `${this.url}${url}` }));
      return;
    }
    const comment = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments(?:\?.*)?$/.exec(url);
    if (method === 'GET' && comment) {
      this.commentListRequests.push(`${comment[1]}/${comment[2]}#${comment[3]}`);
      const onIssue = this.comments.filter((c) => c.owner === comment[1] && c.repo === comment[2] && c.issueNumber === Number(comment[3]));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(onIssue.map((c) => githubComment(c))));
      return;
    }
    if (method === 'POST' && comment) {
      if (this.commentsRateLimitedUntil && Date.now() < this.commentsRateLimitedUntil) {
        const headers = { 'content-type': 'application/json', 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(this.commentsRateLimitedUntil / 1000)) };
        res.writeHead(403, headers).end(JSON.stringify({ message: 'API rate limit exceeded for user ID 1.' }));
        return;
      }
      if (this.commentFailureStatus) {
        res.writeHead(this.commentFailureStatus, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'fake failure' }));
        return;
      }
      const text = (JSON.parse(body.toString('utf8')) as { body: string }).body;
      const received = { id: this.nextCommentId++, owner: comment[1], repo: comment[2], issueNumber: Number(comment[3]), body: text, authorization, postedAt: Date.now() };
      this.comments.push(received);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(githubComment(received)));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
  }
}

function githubComment(c: ReceivedGithubComment) {
  return { id: c.id, body: c.body, html_url: `https://github.com/${c.owner}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}` };
}
