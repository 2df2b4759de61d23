import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { DEFAULT_MIGRATIONS_DIR, MigrationRunner } from '../../src/core/database/migration-runner.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testDatabaseUrl } from '../support/test-environment.js';

describe('migrations', () => {
  it("are recorded in Prisma's _prisma_migrations exactly as Prisma records them", async () => {
    const folders = readdirSync(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(folders);
      for (const row of rows) {
        const sql = readFileSync(join(DEFAULT_MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.applied_steps_count).toBe(1);
        expect(row.rolled_back_at).toBeNull();
      }
    } finally {
      await client.end();
    }
  });

  it('apply nothing the second time', async () => {
    const report = await new MigrationRunner(testDatabaseUrl()).run();
    expect(report.applied).toEqual([]);
    expect(report.alreadyApplied).toBeGreaterThan(0);
  });

  it('create the database when it does not exist', async () => {
    const url = new URL(testDatabaseUrl());
    const name = `${url.pathname.slice(1)}_fresh`;
    url.pathname = `/${name}`;
    const admin = new URL(testDatabaseUrl());
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)}`);
      const report = await new MigrationRunner(url.toString()).run();
      expect(report.applied.length).toBeGreaterThan(0);
    } finally {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await client.end();
    }
  });
});

describe('schema.prisma agrees with the migrated database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('writes and reads every WebhookEvent field through the Prisma client', async () => {
    const data = {
      id: uuidv7(),
      provider: 'schema-test',
      deliveryId: `delivery-${uuidv7()}`,
      eventType: 'thing.happened',
      subject: 'acme/widgets',
      status: 'DEAD' as const,
      statusReason: 'gave up after 5 attempts',
      payload: { nested: { list: [1, 'two', null], unicode: 'é ♥' } },
      headers: { 'x-github-event': 'issues' },
      deliveryCount: 3,
      provenance: 'reconciled' as const,
      lastDeliveredAt: new Date('2026-11-22T10:00:00.123Z'),
      attempts: 5,
      lastError: 'boom',
      receivedAt: new Date('2026-11-22T09:59:59.001Z'),
      processedAt: new Date('2026-11-22T10:00:01.999Z'),
    };
    await t.prisma.webhookEvent.create({ data });
    const stored = await t.prisma.webhookEvent.findUniqueOrThrow({ where: { id: data.id } });
    expect(stored).toMatchObject(data);
    expect(stored.updatedAt).toBeInstanceOf(Date);
    await t.prisma.webhookEvent.delete({ where: { id: data.id } });
  });

  it('writes and reads every ReconciliationPoint and ReconciliationRun field through the Prisma client', async () => {
    const source = `schema-test-${uuidv7()}`;
    const point = { source, reconciledUntil: new Date('2026-12-07T17:00:00.123Z') };
    await t.prisma.reconciliationPoint.create({ data: point });
    expect(await t.prisma.reconciliationPoint.findUniqueOrThrow({ where: { source } })).toMatchObject({ ...point, updatedAt: expect.any(Date) });
    const run = {
      id: uuidv7(),
      source,
      trigger: 'manual',
      status: 'FAILED',
      since: new Date('2026-12-07T16:00:00.001Z'),
      until: new Date('2026-12-07T17:00:00.123Z'),
      found: 150,
      missing: 7,
      redelivered: 3,
      ingested: 2,
      errors: 2,
      lastError: 'one\ntwo',
      startedAt: new Date('2026-12-07T17:01:00.000Z'),
      finishedAt: new Date('2026-12-07T17:01:02.500Z'),
    };
    await t.prisma.reconciliationRun.create({ data: run });
    expect(await t.prisma.reconciliationRun.findUniqueOrThrow({ where: { id: run.id } })).toEqual(run);
    await t.prisma.reconciliationRun.delete({ where: { id: run.id } });
    await t.prisma.reconciliationPoint.delete({ where: { source } });
  });
});
