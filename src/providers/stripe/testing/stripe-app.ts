import { FakeAnthropic } from '../../../../test/support/fake-anthropic.js';
import { resetLedger, startTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { FakeSmtp } from '../../../connectors/mail/testing/fake-smtp.js';
import { FakeSlackApi } from '../../../connectors/slack/testing/fake-slack-api.js';
import { FakeStripeApi } from '../../../connectors/stripe/testing/fake-stripe-api.js';
import { TEST_STRIPE_SECRET } from './stripe-deliveries.js';

/** The app under test with its agents on a fake Anthropic API, mail on a fake SMTP server, Slack and the Stripe API on local stand-ins. */
export interface StripeApp {
  t: TestApp;
  anthropic: FakeAnthropic;
  smtp: FakeSmtp;
  slack: FakeSlackApi;
  stripeApi: FakeStripeApi;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startStripeApp(env: Record<string, string | undefined> = {}): Promise<StripeApp> {
  const anthropic = await FakeAnthropic.start();
  const smtp = await FakeSmtp.start();
  const slack = await FakeSlackApi.start();
  const stripeApi = await FakeStripeApi.start();
  const closeFakes = async () => {
    await anthropic.close();
    await smtp.stop();
    await slack.stop();
    await stripeApi.stop();
  };
  let t: TestApp;
  try {
    t = await startTestApp({
      STRIPE_WEBHOOK_SECRET: TEST_STRIPE_SECRET,
      ANTHROPIC_API_KEY: 'sk-ant-test-stripe-key',
      ANTHROPIC_BASE_URL: anthropic.url,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Acme Billing <billing@acme.test>',
      SLACK_BOT_TOKEN: 'xoxb-test-stripe-token',
      SLACK_API_URL: slack.apiUrl,
      STRIPE_API_KEY: 'sk_test_stripeapikeyneverlogged',
      STRIPE_API_URL: stripeApi.url,
      BUSINESS_NAME: 'Acme Software Pvt Ltd',
      BUSINESS_ADDRESS: '12 MG Road\\nBengaluru 560001',
      BUSINESS_GSTIN: '29ABCDE1234F1Z5',
      BUSINESS_STATE_CODE: 'KA',
      PAYMENT_UPDATE_URL: 'https://acme.test/billing/update',
      JOB_ATTEMPTS: '3',
      ...env,
    });
  } catch (err) {
    await closeFakes();
    throw err;
  }
  return {
    t,
    anthropic,
    smtp,
    slack,
    stripeApi,
    async reset() {
      await resetLedger(t.prisma);
      anthropic.reset();
      smtp.reset();
      slack.reset();
      stripeApi.reset();
    },
    async close() {
      await t.close();
      await closeFakes();
    },
  };
}
