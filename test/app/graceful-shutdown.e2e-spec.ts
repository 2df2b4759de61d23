import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postSynthetic, syntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { startTestApp } from '../support/test-app.js';
import { testDatabaseUrl } from '../support/test-environment.js';

/** A request that got no answer, with the network error's code (ECONNREFUSED, ECONNRESET, …). */
function noAnswer(err: Error) {
  const cause = (err as Error & { cause?: { code?: string } }).cause;
  return { status: 0, body: undefined, code: cause?.code ?? err.name };
}

async function withDatabase<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

describe('graceful shutdown', () => {
  // The app is closed by the test, so the rows it acknowledged (never processed) are removed here.
  afterAll(() => withDatabase((client) => client.query('TRUNCATE webhook_events CASCADE')));

  it('answers every delivery it has read and commits every acknowledged one before closing', async () => {
    const t = await startTestApp();
    // Which deliveries reached the HTTP server (their headers were read): each of those must get an answer.
    const read = new Set<string>();
    t.app.getHttpServer().on('request', (request: { headers: Record<string, string | undefined> }) => read.add(request.headers['x-synthetic-delivery']!));
    const deliveries = Array.from({ length: 100 }, () => syntheticDelivery('thing.created'));

    const inFlight = deliveries.map((delivery) => postSynthetic(t.url, delivery).catch(noAnswer));
    await Promise.race(inFlight); // the server is busy with the burst: now shut it down
    await t.close();
    const responses = await Promise.all(inFlight);

    const acknowledged = responses.filter((r) => r.status === 202).map((r) => r.body!.id as string);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [i, response] of responses.entries()) {
      const { deliveryId } = deliveries[i];
      expect([0, 202, 503], deliveryId).toContain(response.status);
      // No answer only for a connection refused or dropped before the server read the request:
      // a request it had read is always answered, never reset.
      if (response.status === 0) {
        expect('code' in response && ['ECONNREFUSED', 'ECONNRESET'].includes(response.code), `${deliveryId}: ${JSON.stringify(response)}`).toBe(true);
        expect(read.has(deliveryId), `${deliveryId} was read by the server, then got no answer`).toBe(false);
      }
    }

    // Every acknowledged delivery is committed; anything not acknowledged was refused outright, never half-done.
    const stored = await withDatabase(async (client) => {
      const { rows } = await client.query<{ id: string; delivery_id: string }>(
        "SELECT id, delivery_id FROM webhook_events WHERE provider = 'synthetic' AND delivery_id = ANY($1::text[])",
        [deliveries.map((d) => d.deliveryId)],
      );
      return rows;
    });
    expect(stored.map((row) => row.id).sort()).toEqual([...acknowledged].sort());
  });
});
