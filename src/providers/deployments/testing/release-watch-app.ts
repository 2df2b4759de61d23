import { FakeAnthropic, honoursOutputSchemaOnly } from '../../../../test/support/fake-anthropic.js';
import { ADMIN_KEY } from '../../../../test/support/admin-client.js';
import { resetLedger, startTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { FakeHttpEndpoint } from '../../../connectors/http-actions/testing/fake-http-endpoint.js';
import { FakeSlackApi } from '../../../connectors/slack/testing/fake-slack-api.js';
import { FakePrometheus } from './fake-prometheus.js';
import { TEST_DEPLOY_SECRET } from './deployment-deliveries.js';

export const ASSESSMENT = {
  summary: 'The new version answers 5xx on a fifth of its requests since the deploy; the previous version did not.',
  suspected_cause: 'a regression in v42',
  confidence: 'high',
};

/** The app with every stand-in of the release watch: Anthropic, the service under check, Prometheus, the rollback endpoint, Slack. */
export interface ReleaseWatchApp {
  t: TestApp;
  anthropic: FakeAnthropic;
  service: FakeHttpEndpoint;
  prometheus: FakePrometheus;
  rollback: FakeHttpEndpoint;
  slack: FakeSlackApi;
  /** Text of every chat.postMessage Slack received. */
  slackTexts(): string[];
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startReleaseWatchApp(env: Record<string, string | undefined> = {}): Promise<ReleaseWatchApp> {
  const [anthropic, service, prometheus, rollback, slack] = await Promise.all([
    FakeAnthropic.start(),
    FakeHttpEndpoint.start(),
    FakePrometheus.start(),
    FakeHttpEndpoint.start(),
    FakeSlackApi.start(),
  ]);
  const closeFakes = () => Promise.all([anthropic.close(), service.stop(), prometheus.stop(), rollback.stop(), slack.stop()]);
  let t: TestApp;
  try {
    t = await startTestApp({
      ANTHROPIC_API_KEY: 'sk-ant-test-release-watch',
      ANTHROPIC_BASE_URL: anthropic.url,
      DEPLOYMENTS_WEBHOOK_SECRET: TEST_DEPLOY_SECRET,
      DEPLOY_SMOKE_CHECKS: JSON.stringify({ '*': [{ path: '/healthz', status: 200, body: 'ok', timeoutMs: 1000 }] }),
      DEPLOY_PROMETHEUS_URL: prometheus.url,
      DEPLOY_ERROR_RATE_QUERIES: JSON.stringify({ '*': 'job:errors:ratio{service="$service",env="$environment"}' }),
      DEPLOY_ERROR_RATE_THRESHOLD: '0.05',
      DEPLOY_WATCH_WINDOW_MS: '600',
      DEPLOY_WATCH_INTERVAL_MS: '150',
      DEPLOY_AUTO_ROLLBACK_ENVIRONMENTS: 'staging',
      DEPLOY_SLACK_CHANNEL: '#deploys',
      ROLLBACK_URL: `${rollback.url}/rollback`,
      SLACK_BOT_TOKEN: 'xoxb-test-release-watch',
      SLACK_API_URL: slack.apiUrl,
      ADMIN_API_KEYS: ADMIN_KEY,
      ...env,
    });
  } catch (err) {
    await closeFakes();
    throw err;
  }
  const app: ReleaseWatchApp = {
    t,
    anthropic,
    service,
    prometheus,
    rollback,
    slack,
    slackTexts: () => slack.requests.filter((r) => r.path.endsWith('chat.postMessage')).map((r) => FakeSlackApi.fields(r).text),
    async reset() {
      await resetLedger(t.prisma);
      anthropic.reset();
      anthropic.fallback = honoursOutputSchemaOnly(ASSESSMENT);
      service.reset();
      prometheus.reset();
      rollback.reset();
      slack.reset();
    },
    async close() {
      await t.close();
      await closeFakes();
    },
  };
  return app;
}
