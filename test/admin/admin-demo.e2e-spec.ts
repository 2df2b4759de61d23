import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from '../support/admin-client.js';
import { resetLedger, startTestApp, TEST_GITHUB_SECRET, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
const SLACK_SECRET = 'demo-slack-signing-secret-0000';
const DEMO = join(import.meta.dirname, '..', '..', 'scripts', 'demo.mjs');

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
    t = await startTestApp({ ADMIN_API_KEYS: ADMIN_KEY, ADMIN_THROTTLE_LIMIT: '100000', SLACK_SIGNING_SECRET: SLACK_SECRET });
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
