import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
