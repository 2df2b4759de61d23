import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from '../support/admin-client.js';
import { webhookProviders } from '../../src/providers/index.js';
import { resetLedger, startTestApp, TEST_GITHUB_SECRET, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
const SLACK_SECRET = 'demo-slack-signing-secret-0000';
const DEMO = join(import.meta.dirname, '..', '..', 'scripts', 'demo.mjs');
/**
 * A secret for every provider, set in the app and given to the demo. A provider added without its
 * secret here (or without its src/providers/<name>/demo-sample.mjs) fails the every-provider test.
 */
const ALL_SECRETS: Record<string, string> = {
  GITHUB_WEBHOOK_SECRET: TEST_GITHUB_SECRET,
  STRIPE_WEBHOOK_SECRET: 'whsec_demo-stripe-secret-0000',
  TYPEFORM_WEBHOOK_SECRET: 'demo-typeform-secret-0000',
  SLACK_SIGNING_SECRET: SLACK_SECRET,
  // Standard Webhooks: whsec_ and the key in base64.
  DEPLOYMENTS_WEBHOOK_SECRET: `whsec_${Buffer.from('demo-deployments-secret-0000').toString('base64')}`,
  SECURITY_WEBHOOK_SECRET: 'demo-security-secret-0000',
};

/** Runs `npm run demo`'s script as a user would, against a running instance, with only the given variables. */
async function demo(env: Record<string, string>): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [DEMO], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: import.meta.dirname, timeout: 30_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

describe('npm run demo', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_API_KEYS: ADMIN_KEY, ADMIN_THROTTLE_LIMIT: '100000', ...ALL_SECRETS });
    await resetLedger(t.prisma);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends a signed sample per configured provider and prints what the ledger shows for it', async () => {
    const { code, out } = await demo({ HOOKWISE_URL: t.url, GITHUB_WEBHOOK_SECRET: TEST_GITHUB_SECRET, ADMIN_API_KEY: ADMIN_KEY });
    expect(code, out).toBe(0);
    expect(out).toMatch(/- github: POST \/webhooks\/github → 202 \{"id":"[0-9a-f-]{36}","status":"accepted"\}/);
    const row = await t.prisma.webhookEvent.findFirstOrThrow({ where: { provider: 'github', eventType: 'ping' } });
    expect(out).toContain(`github ping (${row.id})`);
    expect(out).toContain('status       IGNORED (ping: GitHub checking that the hook is reachable)');
    expect(out).toContain('subject      octo-org/hello-world');
    expect(out).toMatch(/github\s+IGNORED\s+1/);
    expect(out).not.toContain(ADMIN_KEY);
  });

  it('sends a signed Slack message when SLACK_SIGNING_SECRET is set', async () => {
    const { code, out } = await demo({ HOOKWISE_URL: t.url, SLACK_SIGNING_SECRET: SLACK_SECRET, ADMIN_API_KEY: ADMIN_KEY });
    expect(code, out).toBe(0);
    expect(out).toMatch(/- slack: POST \/webhooks\/slack → 202 \{"id":"[0-9a-f-]{36}","status":"accepted"\}/);
    expect(out).toContain('status       IGNORED (no TODO keyword in the message)');
    expect(out).toContain('subject      C0DEMO0001');
  });

  it('sends every provider’s own sample, signed as that provider signs, and each is recorded IGNORED: nothing acts on it', async () => {
    await resetLedger(t.prisma);
    const { code, out } = await demo({ HOOKWISE_URL: t.url, ADMIN_API_KEY: ADMIN_KEY, ...ALL_SECRETS });
    expect(code, out).toBe(0);
    // Every provider but those whose sample file says why there is none (a sender signing with its private key).
    const names: string[] = [];
    for (const { name } of webhookProviders) {
      const sample = (await import(join(import.meta.dirname, '..', '..', 'src', 'providers', name, 'demo-sample.mjs'))) as { noDemo?: string };
      if (sample.noDemo) expect(out).toContain(`- ${name}: skipped (no sample: ${sample.noDemo})`);
      else names.push(name);
    }
    expect(names).toEqual(expect.arrayContaining(['github', 'stripe', 'typeform', 'slack', 'deployments', 'security']));
    for (const name of names) expect(out, name).toMatch(new RegExp(`- ${name}: POST /webhooks/${name} → 202 \\{"id":"[0-9a-f-]{36}","status":"accepted"\\}`));
    expect(out).not.toMatch(/skipped \((?!no sample: )/);

    const events = await t.prisma.webhookEvent.findMany({ select: { id: true, provider: true, eventType: true, status: true, statusReason: true } });
    expect(events.map((e) => e.provider).sort()).toEqual([...names].sort());
    for (const event of events) {
      expect(event, `${event.provider} ${event.eventType}`).toMatchObject({ status: 'IGNORED', statusReason: expect.any(String) });
      expect(out).toContain(`${event.provider} ${event.eventType} (${event.id})`);
      expect(out).toContain(`status       IGNORED (${event.statusReason})`);
    }
    expect(Object.fromEntries(events.map((e) => [e.provider, e.eventType]))).toMatchObject({
      typeform: 'form_response',
      security: 'secret_scanning_alert.resolved',
      deployments: 'deployment.started',
      stripe: 'customer.created',
    });
    expect(await t.prisma.agentRun.count()).toBe(0);
    expect(await t.prisma.agentAction.count()).toBe(0);
    for (const secret of Object.values(ALL_SECRETS)) expect(out).not.toContain(secret);
  });

  it('names no provider itself: the samples are found in the provider folders', () => {
    const script = readFileSync(DEMO, 'utf8').toLowerCase();
    for (const { name } of webhookProviders) expect(script, name).not.toContain(name);
  });

  it('fails when a sample is refused: this script’s secret is not the one Hookwise verifies with', async () => {
    const { code, out } = await demo({ HOOKWISE_URL: t.url, ADMIN_API_KEY: ADMIN_KEY, GITHUB_WEBHOOK_SECRET: TEST_GITHUB_SECRET, STRIPE_WEBHOOK_SECRET: 'whsec_not-the-configured-one' });
    expect(code, out).toBe(1);
    expect(out).toMatch(/- github: POST \/webhooks\/github → 202 /);
    expect(out).toMatch(/- stripe: POST \/webhooks\/stripe → 401 \{[^\n]*"error":"signature_mismatch"/);
  });

  it('says what to set when no provider secret is configured, and fails', async () => {
    const { code, out } = await demo({ HOOKWISE_URL: t.url, ADMIN_API_KEY: ADMIN_KEY });
    expect(code).toBe(1);
    expect(out).toContain('github: skipped (GITHUB_WEBHOOK_SECRET is not set)');
  });

  it('explains an unreachable instance', async () => {
    const { code, out } = await demo({ HOOKWISE_URL: 'http://127.0.0.1:1', GITHUB_WEBHOOK_SECRET: TEST_GITHUB_SECRET, ADMIN_API_KEY: ADMIN_KEY });
    expect(code).toBe(1);
    expect(out).toContain('Is Hookwise running at http://127.0.0.1:1?');
  });
});
