import { FakeAnthropic } from '../../../../test/support/fake-anthropic.js';
import { FakeGithubApi } from '../../../connectors/github/testing/fake-github-api.js';
import { resetLedger, startTestApp, type TestApp } from '../../../../test/support/test-app.js';

/** The app under test with its agents on a fake Anthropic API and its GitHub connector on a fake GitHub API. */
export interface PrReviewApp {
  t: TestApp;
  anthropic: FakeAnthropic;
  github: FakeGithubApi;
  /** Empties the ledger and forgets what the fakes received and were told to answer. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** `env` adds to (or overrides) the fakes' URLs; the keys and tokens are the caller's, so each test file can look for its own in logs. */
export async function startPrReviewApp(env: Record<string, string | undefined>): Promise<PrReviewApp> {
  const anthropic = await FakeAnthropic.start();
  const github = await FakeGithubApi.start();
  const closeFakes = async () => {
    await anthropic.close();
    await github.close();
  };
  let t: TestApp;
  try {
    t = await startTestApp({ ANTHROPIC_BASE_URL: anthropic.url, GITHUB_API_URL: github.url, ...env });
  } catch (err) {
    await closeFakes();
    throw err;
  }
  return {
    t,
    anthropic,
    github,
    async reset() {
      await resetLedger(t.prisma);
      anthropic.reset();
      github.reset();
    },
    async close() {
      await t.close();
      await closeFakes();
    },
  };
}
