import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/bootstrap.js';
import type { AppConfig } from '../../src/config/env.schema.js';
import type { EmbeddedDatabase } from '../../src/core/database/embedded-database.js';
import { migrateIfEnabled } from '../../src/core/database/migrate-on-start.js';
import { PrismaService } from '../../src/core/database/prisma.service.js';
import { startEmbeddedDatabaseIfNeeded } from '../../src/core/database/start-embedded-database.js';
import { githubDelivery, githubExample, postGithub, type GithubDelivery } from '../../src/providers/github/testing/github-deliveries.js';
import { recordHandledEvents } from '../support/handled-events.js';
import { logCapture } from '../support/log-capture.js';
import { testConfig } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** What `npm start` does with no DATABASE_URL and no REDIS_URL, minus the process itself. */
async function bootZeroInstall(dataDir: string, bootLog: string[]) {
  const config: AppConfig = testConfig({
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    QUEUE_BACKEND: undefined,
    QUEUE_PREFIX: 'hookwise-test-embedded',
    DATA_DIR: dataDir,
    MIGRATE_ON_START: 'true',
  });
  const embedded = await startEmbeddedDatabaseIfNeeded(config, (line) => bootLog.push(line));
  await migrateIfEnabled(config, (line) => bootLog.push(line));
  const app = await createHttpApp(config, { logDestination: logCapture() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const handled = recordHandledEvents(app, 'test-embedded-counter', { provider: 'github', eventType: 'issues.opened' });
  return { config, embedded: embedded!, app, url: await app.getUrl(), prisma: app.get(PrismaService), handled };
}

async function shutdown(app: NestFastifyApplication, embedded: EmbeddedDatabase): Promise<void> {
  await app.close();
  await embedded.stop();
}

describe('zero-install mode: embedded PostgreSQL and the PostgreSQL queue', () => {
  // A private (0700) temporary directory as DATA_DIR: as root, the server runs as the unprivileged
  // "postgres" user, and Hookwise lets it in.
  const dataDir = mkdtempSync(join(tmpdir(), 'hookwise-embedded-'));
  let running: { app: NestFastifyApplication; embedded: EmbeddedDatabase } | null = null;

  afterAll(async () => {
    if (running) await shutdown(running.app, running.embedded);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every event across a restart: jobs survive, and a repeated delivery is a duplicate', async () => {
    const bootLog: string[] = [];
    const first = await bootZeroInstall(dataDir, bootLog);
    running = first;
    expect(first.config.QUEUE_BACKEND).toBe('postgres');
    expect(bootLog.join('\n')).toContain(`using the EMBEDDED PostgreSQL (DATABASE_URL is not set): data in ${dataDir}`);
    expect(bootLog.join('\n')).toContain('queue schema hookwise_test_embedded_queue up to date');
    const ready = await fetch(`${first.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ details: { database: { status: 'up' }, queue: { status: 'up', backend: 'postgres' } } });
    // The password protecting the embedded server is kept out of reach of other users.
    expect(statSync(join(dataDir, 'postgres-password')).mode & 0o077).toBe(0);

    const deliveries: GithubDelivery[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const delivery = await githubDelivery('issues', githubExample('issues', 'opened'));
      const response = await postGithub(first.url, delivery);
      expect(response.status).toBe(202);
      deliveries.push(delivery);
      ids.push(response.body!.id as string);
    }
    // Stop at once: whatever was not processed yet waits in the PostgreSQL queue.
    await shutdown(first.app, first.embedded);
    running = null;
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false); // a clean stop removes it

    const second = await bootZeroInstall(dataDir, []);
    running = second;
    expect(second.embedded.url).not.toBe(first.embedded.url); // a fresh free port each start
    for (const [i, delivery] of deliveries.entries()) {
      const again = await postGithub(second.url, delivery);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ id: ids[i], status: 'duplicate' });
    }
    await waitFor('every event to be processed', async () => (await second.prisma.webhookEvent.count({ where: { id: { in: ids }, status: 'SUCCEEDED' } })) === ids.length, 30_000);
    const rows = await second.prisma.webhookEvent.findMany({ where: { id: { in: ids } } });
    expect(rows).toHaveLength(20);
    expect(rows.every((row) => row.deliveryCount === 2)).toBe(true);
    expect(new Set([...first.handled, ...second.handled])).toEqual(new Set(ids));

    // The server log is where the boot log says the data is.
    expect(readFileSync(join(dataDir, 'postgres.log'), 'utf8')).toContain('database system is ready to accept connections');
  }, 90_000);
});
