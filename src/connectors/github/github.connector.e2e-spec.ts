import { createVerify, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGithubApi } from './testing/fake-github-api.js';
import { GithubConnectorConfig } from './github-connector.config.js';
import { GithubPostIssueCommentTool } from './github-post-issue-comment.tool.js';
import { GithubConnector } from './github.connector.js';
import { PermanentError } from '../../core/processing/permanent-error.js';
import { RecordingHttpServer } from '../../../test/support/recording-http-server.js';
import { connectorFromEnv } from '../../../test/support/connector-from-env.js';

describe('github_post_issue_comment arguments (the model writes them, a delivery may steer it)', () => {
  let github: RecordingHttpServer;
  let tool: GithubPostIssueCommentTool;

  beforeAll(async () => {
    github = await RecordingHttpServer.start(() => ({ status: 201, body: { id: 1, html_url: 'https://github.example/c/1' } }));
    // A GitHub Enterprise base URL: the API lives under a path a `..` could climb out of.
    const settings = { GITHUB_TOKEN: 'ghp_test-token', GITHUB_API_URL: `${github.url}/api/v3` };
    tool = new GithubPostIssueCommentTool(connectorFromEnv(GithubConnector, GithubConnectorConfig, settings));
  });
  afterAll(async () => {
    await github?.stop();
  });

  const attempt = { eventId: '01a20c85-0000-7000-8000-000000000000', idempotencyKey: 'k', retried: false };

  it('posts to /repos/<owner>/<repo>/issues/<n>/comments under the configured base', async () => {
    await tool.execute({ owner: 'acme', repo: 'web.app-2', issue_number: 7, body: 'hi' }, attempt);
    expect(github.requests.at(-1)?.path).toBe('/api/v3/repos/acme/web.app-2/issues/7/comments');
  });

  for (const [owner, repo] of [
    ['..', '..'],
    ['acme', '..'],
    ['.', 'app'],
    ['acme/other', 'app'],
    ['https://evil.example', 'app'],
    ['acme', 'app?x=1'],
    ['acme', 'app\r\nx-injected: 1'],
  ]) {
    it(`refuses owner ${JSON.stringify(owner)} and repo ${JSON.stringify(repo)} before anything is sent`, async () => {
      const before = github.requests.length;
      const refused = await tool.execute({ owner, repo, issue_number: 1, body: 'x' }, attempt).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(PermanentError);
      expect(github.requests.length).toBe(before);
    });
  }
});

describe("hook deliveries: the GitHub App's own hook, read and redelivered as the app (a JWT it signs)", () => {
  let github: FakeGithubApi;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

  beforeAll(async () => {
    github = await FakeGithubApi.start();
  });
  afterAll(async () => {
    await github?.close();
  });

  it('lists GET /app/hook/deliveries page by page with a bearer JWT (iss = the app id, RS256) and redelivers through …/attempts', async () => {
    // The key as an environment variable usually holds it: on one line, "\n" for each line break.
    const settings = { GITHUB_API_URL: github.url, GITHUB_TOKEN: 'ghp_not-for-the-app', GITHUB_APP_ID: '123456', GITHUB_APP_PRIVATE_KEY: pem.replaceAll('\n', '\\n') };
    const connector = connectorFromEnv(GithubConnector, GithubConnectorConfig, settings);
    expect(connector.hasAppCredentials()).toBe(true);
    const attempts = Array.from({ length: 130 }, (_, i) => github.hooks.add('app/hook', { guid: `guid-${i}`, event: 'ping', payload: { zen: 'hi' }, statusCode: 502, agoMs: i * 1000 }));

    const pages: number[] = [];
    for await (const page of connector.hookDeliveries({ kind: 'app' })) pages.push(page.length);
    expect(pages).toEqual([100, 30]);
    expect(github.hooks.listings.map((l) => l.cursor)).toEqual([null, String(attempts[100].id)]);
    const [scheme, jwt] = github.hooks.listings[0].authorization!.split(' ');
    expect(scheme.toLowerCase()).toBe('bearer');
    const [header, claims, signature] = jwt.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    const { iss, iat, exp } = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { iss: string; iat: number; exp: number };
    expect(iss).toBe('123456');
    expect(exp - iat).toBeLessThanOrEqual(600);
    expect(createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(publicKey, Buffer.from(signature, 'base64url'))).toBe(true);

    await connector.redeliverHookDelivery({ kind: 'app' }, attempts[3].id);
    expect(github.hooks.redeliveryRequests).toEqual([{ hook: 'app/hook', deliveryId: attempts[3].id, guid: 'guid-3' }]);
    const missing = await connector.redeliverHookDelivery({ kind: 'app' }, 42).catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(PermanentError);
    expect((missing as Error).message).toContain('redeliver delivery 42 of hook app: HTTP 404');
  });
});
