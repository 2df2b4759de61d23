import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { githubDelivery, githubExample, postGithub } from './support/github-deliveries.js';
import { startTestApp } from './support/test-app.js';
import { testDatabaseUrl } from './support/test-environment.js';

describe('graceful shutdown', () => {
  it('answers in-flight deliveries and commits every acknowledged one before closing', async () => {
    const t = await startTestApp();
    const deliveries = await Promise.all(Array.from({ length: 100 }, () => githubDelivery('push', githubExample('push'))));

    const inFlight = deliveries.map((delivery) =>
      postGithub(t.url, delivery).catch((err: Error) => ({ status: 0, body: undefined, error: err.message })),
    );
    await Promise.race(inFlight); // the server is busy with the burst: now shut it down
    await t.close();
    const responses = await Promise.all(inFlight);

    const acknowledged = responses.filter((r) => r.status === 202).map((r) => r.body!.id as string);
    expect(acknowledged.length).toBeGreaterThan(0);
    // Anything not acknowledged was refused outright, never half-done.
    for (const response of responses) expect([0, 202, 503]).toContain(response.status);

    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT id FROM webhook_events WHERE id = ANY($1::uuid[])', [acknowledged]);
      expect(rows).toHaveLength(acknowledged.length);
    } finally {
      await client.end();
    }
  });
});
