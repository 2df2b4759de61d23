import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LinearConnectorConfig } from './linear-connector.config.js';
import { CreateLinearIssueTool } from './create-linear-issue.tool.js';
import { LinearConnector } from './linear.connector.js';
import { PermanentError } from '../../core/processing/permanent-error.js';
import { RateLimitedError } from '../../core/processing/rate-limited-error.js';
import { FakeLinearApi } from './testing/fake-linear-api.js';
import { freePort } from '../../../test/support/private-redis.js';
import { rejectionOf } from '../../../test/support/rejection-of.js';
import { connectorFromEnv } from '../../../test/support/connector-from-env.js';

const linearConnector = (env: Record<string, string> = {}) => connectorFromEnv(LinearConnector, LinearConnectorConfig, env);

const API_KEY = 'lin_api_s3cr3tK3yValue0123456789';
const TEAM = '2b6c0c5e-0000-4000-8000-00000000team';
const context = { eventId: 'evt_7', idempotencyKey: 'evt_7.create_linear_issue.c0ffee' };

describe('create_linear_issue (@linear/sdk → LINEAR_API_URL)', () => {
  let linear: FakeLinearApi;
  let tool: CreateLinearIssueTool;

  beforeAll(async () => {
    linear = await FakeLinearApi.start(API_KEY);
    tool = new CreateLinearIssueTool(
      linearConnector({ LINEAR_API_KEY: API_KEY, LINEAR_API_URL: linear.apiUrl, LINEAR_TEAM_ID: TEAM }),
    );
  });
  afterAll(() => linear.stop());
  beforeEach(() => linear.reset());

  it('sends the issueCreate mutation with the API key, the team and an id derived from the idempotency key', async () => {
    const result = await tool.execute(
      { title: 'Checkout returns 500 after deploy v42', description: '## What happened\nStack trace…', priority: 'urgent' },
      context,
    );

    expect(linear.requests).toHaveLength(1);
    const [request] = linear.requests;
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBe(API_KEY);
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    const { query, variables } = FakeLinearApi.operation(request);
    expect(query).toMatch(/mutation \w+\(\$input: IssueCreateInput!\)/);
    expect(query).toContain('issueCreate(input: $input)');
    expect(variables.input).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      teamId: TEAM,
      title: 'Checkout returns 500 after deploy v42',
      description: '## What happened\nStack trace…',
      priority: 1,
    });
    expect(result).toEqual({
      id: variables.input.id,
      identifier: 'ENG-1',
      url: 'https://linear.app/acme/issue/ENG-1',
      title: 'Checkout returns 500 after deploy v42',
      already_existed: false,
    });
  });

  it('proposes the same issue id for the same action, so a retry finds the first issue instead of opening a second', async () => {
    const first = await tool.execute({ title: 'Leaked key in repo' }, context);
    const retried = await tool.execute({ title: 'Leaked key in repo' }, context);

    expect(retried).toEqual({ ...first, already_existed: true });
    expect(linear.issues.size).toBe(1);
    // create (refused: id exists) then the lookup by that id
    expect(linear.requests.map((r) => FakeLinearApi.operation(r).query.match(/^\s*(mutation|query)/)?.[1])).toEqual([
      'mutation',
      'mutation',
      'query',
    ]);

    const other = await tool.execute({ title: 'Leaked key in repo' }, { eventId: 'evt_8', idempotencyKey: 'evt_8.create_linear_issue.c0ffee' });
    expect(other.id).not.toBe(first.id);
    expect(linear.issues.size).toBe(2);
  });

  it('rejects bad arguments before any request', async () => {
    for (const args of [{ title: '' }, { title: 'x', priority: 'p0' }, { title: 'x', team: 'other' }, {}]) {
      await expect(tool.execute(args as never, context)).rejects.toBeInstanceOf(PermanentError);
    }
    expect(linear.requests).toHaveLength(0);
  });

  it('classifies failures: authentication permanent, rate limit and 5xx transient; no key in the message', async () => {
    const wrongKey = new CreateLinearIssueTool(
      linearConnector({ LINEAR_API_KEY: 'lin_api_wrongWrongWrong', LINEAR_API_URL: linear.apiUrl, LINEAR_TEAM_ID: TEAM }),
    );
    const auth = await rejectionOf(wrongKey.execute({ title: 'x' }, context));
    expect(auth).toBeInstanceOf(PermanentError);
    expect(auth.message).toMatch(/^linear: AuthenticationError/);
    expect(auth.message).not.toContain('lin_api_wrongWrongWrong');

    linear.answer({ status: 429, headers: { 'retry-after': '5' }, body: { errors: [{ message: 'Rate limit exceeded', extensions: { type: 'ratelimited' } }] } });
    const limited = await rejectionOf(tool.execute({ title: 'x' }, context));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ retryAfterMs: 5000, message: expect.stringMatching(/Ratelimited/) });

    linear.answer({ status: 502, body: 'bad gateway' });
    const badGateway = await rejectionOf(tool.execute({ title: 'x' }, context));
    expect(badGateway).not.toBeInstanceOf(PermanentError);
    expect(badGateway.message).toBe('linear: NetworkError (HTTP 502): GraphQL Error (Code: 502) - bad gateway');

    linear.answer((req) => ({ status: 400, body: { errors: [{ message: `bad key ${String(req.headers.authorization)}`, extensions: { type: 'invalid input' } }] } }));
    const echoed = await rejectionOf(tool.execute({ title: 'x' }, context));
    expect(echoed).toBeInstanceOf(PermanentError);
    expect(echoed.message).not.toContain(API_KEY);
  });

  it('treats an unreachable API as transient', async () => {
    const down = new CreateLinearIssueTool(
      linearConnector({ LINEAR_API_KEY: API_KEY, LINEAR_API_URL: `http://127.0.0.1:${await freePort()}/graphql`, LINEAR_TEAM_ID: TEAM }),
    );
    const err = await rejectionOf(down.execute({ title: 'x' }, context));
    expect(err).not.toBeInstanceOf(PermanentError);
    expect(err.message).toBe('linear: request failed: fetch failed (ECONNREFUSED)');
    expect(err.message).not.toContain(API_KEY);
  });

  it('is unavailable without LINEAR_API_KEY or LINEAR_TEAM_ID', () => {
    const reason = (env: Record<string, string>) => new CreateLinearIssueTool(linearConnector(env)).unavailableReason();
    expect(reason({})).toBe('LINEAR_API_KEY is not set');
    expect(reason({ LINEAR_API_KEY: API_KEY })).toBe('LINEAR_TEAM_ID is not set');
    expect(reason({ LINEAR_API_KEY: API_KEY, LINEAR_TEAM_ID: TEAM })).toBeNull();
  });
});
