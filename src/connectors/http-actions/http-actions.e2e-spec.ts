import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpActionsConnectorConfig } from './http-actions-connector.config.js';
import { ActionHttpConnector } from './action-http.connector.js';
import { RevokeKeyTool } from './revoke-key.tool.js';
import { RollbackDeployTool } from './rollback-deploy.tool.js';
import { RunSmokeTestTool } from './run-smoke-test.tool.js';
import { PermanentError } from '../../core/processing/permanent-error.js';
import { RateLimitedError } from '../../core/processing/rate-limited-error.js';
import { FakeHttpEndpoint } from './testing/fake-http-endpoint.js';
import { freePort } from '../../../test/support/private-redis.js';
import { rejectionOf } from '../../../test/support/rejection-of.js';
import { connectorFromEnv } from '../../../test/support/connector-from-env.js';

const httpConnector = (env: Record<string, string> = {}) => connectorFromEnv(ActionHttpConnector, HttpActionsConnectorConfig, env);

const TOKEN = 'act-s3cr3t-bearer-token-42';
const context = { eventId: 'evt_5', idempotencyKey: 'evt_5.rollback_deploy.1f1f' };

describe('HTTP action tools (fetch → ROLLBACK_URL / REVOKE_URL / SMOKE_TEST_URL)', () => {
  let endpoint: FakeHttpEndpoint;
  let http: ActionHttpConnector;

  beforeAll(async () => {
    endpoint = await FakeHttpEndpoint.start();
    http = httpConnector({
      ROLLBACK_URL: `${endpoint.url}/deploys/rollback`,
      REVOKE_URL: `${endpoint.url}/keys/revoke?tenant=acme`,
      SMOKE_TEST_URL: `${endpoint.url}/smoke`,
      ACTION_HTTP_TOKEN: TOKEN,
    });
  });
  afterAll(() => endpoint.stop());
  beforeEach(() => endpoint.reset());

  it('rollback_deploy POSTs {deployment, reason, event_id} with the bearer token and Idempotency-Key', async () => {
    endpoint.answer({ status: 202, body: { rollback: 'queued', to: 'v41' } });
    const tool = new RollbackDeployTool(http);

    const result = await tool.execute({ deployment: 'web@v42', reason: 'error rate 12% after deploy' }, context);

    expect(tool.destructive).toBe(true);
    expect(result).toEqual({ status: 202, body: { rollback: 'queued', to: 'v41' } });
    expect(endpoint.requests).toHaveLength(1);
    const [request] = endpoint.requests;
    expect(`${request.method} ${request.path}`).toBe('POST /deploys/rollback');
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers['idempotency-key']).toBe('evt_5.rollback_deploy.1f1f');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ deployment: 'web@v42', reason: 'error rate 12% after deploy', event_id: 'evt_5' });
  });

  it('rollback_deploy sends to_version when the caller knows the version to roll back to', async () => {
    await new RollbackDeployTool(http).execute({ deployment: 'dep_42', reason: 'smoke checks failed', to_version: 'v41' }, context);
    expect(JSON.parse(endpoint.requests[0].body)).toEqual({ deployment: 'dep_42', reason: 'smoke checks failed', to_version: 'v41', event_id: 'evt_5' });
    await expect(new RollbackDeployTool(http).execute({ deployment: 'dep_42', reason: 'x', to_version: '' }, context)).rejects.toBeInstanceOf(PermanentError);
    expect(endpoint.requests).toHaveLength(1);
  });

  it('revoke_key POSTs {key_id, reason, event_id} to REVOKE_URL, keeping its query string', async () => {
    const tool = new RevokeKeyTool(http);
    const result = await tool.execute({ key_id: 'AKIA****XYZ', reason: 'found in public gist' }, { eventId: 'evt_6', idempotencyKey: 'k-6' });

    expect(tool.destructive).toBe(true);
    expect(result).toEqual({ status: 200, body: { ok: true } });
    const [request] = endpoint.requests;
    expect(`${request.method} ${request.path}?${request.query}`).toBe('POST /keys/revoke?tenant=acme');
    expect(request.headers['idempotency-key']).toBe('k-6');
    expect(JSON.parse(request.body)).toEqual({ key_id: 'AKIA****XYZ', reason: 'found in public gist', event_id: 'evt_6' });
  });

  it('run_smoke_test GETs SMOKE_TEST_URL with the deployment as a query parameter and returns the verdict', async () => {
    endpoint.answer({ status: 200, body: 'all 14 checks passed' });
    const tool = new RunSmokeTestTool(http);

    const result = await tool.execute({ deployment: 'web@v42' }, { eventId: 'evt_5', idempotencyKey: 'k-smoke' });

    expect(tool.destructive).toBe(false);
    expect(result).toEqual({ status: 200, body: 'all 14 checks passed' });
    const [request] = endpoint.requests;
    expect(`${request.method} ${request.path}`).toBe('GET /smoke');
    expect(request.query.get('deployment')).toBe('web@v42');
    expect(request.headers['idempotency-key']).toBe('k-smoke');
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.body).toBe('');

    await tool.execute({}, { eventId: 'evt_5', idempotencyKey: 'k-smoke-2' });
    expect(endpoint.requests[1].query.has('deployment')).toBe(false);
  });

  it('sends no Authorization header when ACTION_HTTP_TOKEN is unset', async () => {
    const anonymous = new RunSmokeTestTool(httpConnector({ SMOKE_TEST_URL: `${endpoint.url}/smoke` }));
    await anonymous.execute({}, context);
    expect(endpoint.requests[0].headers.authorization).toBeUndefined();
    expect(endpoint.requests[0].headers['idempotency-key']).toBe(context.idempotencyKey);
  });

  it('rejects bad arguments before any request', async () => {
    const rollback = new RollbackDeployTool(http);
    const revoke = new RevokeKeyTool(http);
    await expect(rollback.execute({ deployment: 'web@v42' } as never, context)).rejects.toBeInstanceOf(PermanentError);
    await expect(rollback.execute({ deployment: '', reason: 'x' }, context)).rejects.toBeInstanceOf(PermanentError);
    await expect(revoke.execute({ key_id: 'k', reason: 'r', url: 'http://evil.test' } as never, context)).rejects.toBeInstanceOf(PermanentError);
    await expect(new RunSmokeTestTool(http).execute({ deployment: 42 } as never, context)).rejects.toBeInstanceOf(PermanentError);
    expect(endpoint.requests).toHaveLength(0);
  });

  it.each([
    [400, true],
    [401, true],
    [404, true],
    [409, true],
    [422, true],
    [408, false],
    [429, false],
    [500, false],
    [502, false],
    [503, false],
  ])('HTTP %i is %s permanent', async (status, permanent) => {
    endpoint.answer({ status, body: { error: `status ${status}` } });
    const err = await rejectionOf(new RollbackDeployTool(http).execute({ deployment: 'web@v42', reason: 'x' }, context));
    expect(err instanceof PermanentError).toBe(permanent);
    expect(err.message).toContain(`HTTP ${status}`);
  });

  it('HTTP 429 is a rate limit: the event waits what Retry-After asks', async () => {
    endpoint.answer({ status: 429, headers: { 'retry-after': '20' }, body: { error: 'slow down' } });
    const err = await rejectionOf(new RollbackDeployTool(http).execute({ deployment: 'web@v42', reason: 'x' }, context));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err).toMatchObject({ retryAfterMs: 20_000, message: expect.stringContaining('HTTP 429') });
  });

  it('does not follow redirects (the bearer token would go along) and calls that permanent', async () => {
    endpoint.answer({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } });
    const err = await rejectionOf(new RollbackDeployTool(http).execute({ deployment: 'web@v42', reason: 'x' }, context));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.message).toMatch(/redirects are not followed/);
    expect(endpoint.requests).toHaveLength(1);
  });

  it('never puts the token in an error, even when the endpoint echoes it', async () => {
    endpoint.answer((req) => ({ status: 401, body: `token ${String(req.headers.authorization)} rejected` }));
    const err = await rejectionOf(new RevokeKeyTool(http).execute({ key_id: 'k', reason: 'r' }, context));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.message).not.toContain(TOKEN);
    expect(err.message).toContain('[redacted]');
  });

  it('treats an unreachable endpoint as transient', async () => {
    const closedPort = await freePort();
    const down = new RollbackDeployTool(
      httpConnector({ ROLLBACK_URL: `http://127.0.0.1:${closedPort}/rollback`, ACTION_HTTP_TOKEN: TOKEN }),
    );
    const err = await rejectionOf(down.execute({ deployment: 'web@v42', reason: 'x' }, context));
    expect(err).not.toBeInstanceOf(PermanentError);
    expect(err.message).toMatch(/^ROLLBACK_URL: POST failed: .*ECONNREFUSED/);
  });

  it('each tool is unavailable without its URL and names the variable', () => {
    const none = httpConnector({});
    expect(new RollbackDeployTool(none).unavailableReason()).toBe('ROLLBACK_URL is not set');
    expect(new RevokeKeyTool(none).unavailableReason()).toBe('REVOKE_URL is not set');
    expect(new RunSmokeTestTool(none).unavailableReason()).toBe('SMOKE_TEST_URL is not set');
    expect(new RollbackDeployTool(http).unavailableReason()).toBeNull();
  });
});
