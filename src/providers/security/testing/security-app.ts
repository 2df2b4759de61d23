import { FakeAnthropic } from '../../../../test/support/fake-anthropic.js';
import { ADMIN_KEY } from '../../../../test/support/admin-client.js';
import { resetLedger, startTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { FakeCredentialsApi } from '../../../connectors/credentials/testing/fake-credentials-api.js';
import { FakeGithubApi } from '../../../connectors/github/testing/fake-github-api.js';
import { FakeLinearApi } from '../../../connectors/linear/testing/fake-linear-api.js';
import { FakeSlackApi } from '../../../connectors/slack/testing/fake-slack-api.js';
import { TEST_SECURITY_SECRET } from './security-deliveries.js';

export const LINEAR_KEY = 'lin_api_securitytestkey0123456789';
export const LINEAR_TEAM = 'team-security';

/** The app with every stand-in the security response talks to: Anthropic, GitHub REST, credential endpoints + KV store, Linear, Slack. */
export interface SecurityApp {
  t: TestApp;
  anthropic: FakeAnthropic;
  github: FakeGithubApi;
  credentials: FakeCredentialsApi;
  linear: FakeLinearApi;
  slack: FakeSlackApi;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startSecurityApp(env: Record<string, string | undefined> = {}): Promise<SecurityApp> {
  const anthropic = await FakeAnthropic.start();
  const github = await FakeGithubApi.start();
  const credentials = await FakeCredentialsApi.start();
  const linear = await FakeLinearApi.start(LINEAR_KEY);
  const slack = await FakeSlackApi.start();
  const closeFakes = async () => {
    await Promise.all([anthropic.close(), github.close(), credentials.close(), linear.stop(), slack.server.stop()]);
  };
  let t: TestApp;
  try {
    t = await startTestApp({
      ADMIN_API_KEYS: ADMIN_KEY,
      ANTHROPIC_API_KEY: 'sk-ant-test-security-key',
      ANTHROPIC_BASE_URL: anthropic.url,
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: 'ghp_securitytesttoken0123456789abcd',
      SECURITY_WEBHOOK_SECRET: TEST_SECURITY_SECRET,
      LINEAR_API_KEY: LINEAR_KEY,
      LINEAR_TEAM_ID: LINEAR_TEAM,
      LINEAR_API_URL: linear.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-security-test-token',
      SLACK_API_URL: slack.apiUrl,
      CREDENTIALS_REVOKE_URLS: `aws=${credentials.url}/revoke/aws,stripe=${credentials.url}/revoke/stripe`,
      CREDENTIALS_ROTATE_URLS: `aws=${credentials.url}/replace/aws,stripe=${credentials.url}/replace/stripe`,
      SECRETS_STORE_URL: credentials.url,
      SECRETS_STORE_TOKEN: 'hvs.securitytestvaulttoken',
      ...env,
    });
  } catch (err) {
    await closeFakes();
    throw err;
  }
  return {
    t,
    anthropic,
    github,
    credentials,
    linear,
    slack,
    async reset() {
      await resetLedger(t.prisma);
      anthropic.reset();
      github.reset();
      credentials.reset();
      linear.reset();
      slack.reset();
    },
    async close() {
      await t.close();
      await closeFakes();
    },
  };
}
