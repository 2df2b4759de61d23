import type { INestApplicationContext } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookQueueName } from '../../src/core/queue/queue-names.js';
import { ADMIN_KEY, admin } from '../support/admin-client.js';
import { RECORDED_EVENT_TYPE, recordHandledEvents } from '../support/handled-events.js';
import { PrivateRedis } from '../support/private-redis.js';
import { PrivateRedisCluster } from '../support/private-redis-cluster.js';
import { postSynthetic, syntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { resetLedger, startTestApp, startTestWorker, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

// Needs redis-server (three private cluster nodes); skipped without it, except with CI=true.
describe.skipIf(!PrivateRedis.available())('on a Redis Cluster (REDIS_CLUSTER=true)', () => {
  let cluster: PrivateRedisCluster;
  let api: TestApp;
  let worker: INestApplicationContext;
  let handled: string[];

  beforeAll(async () => {
    cluster = await PrivateRedisCluster.start();
    // Two of the three nodes as seeds: the client finds the third itself.
    api = await startTestApp({
      APP_ROLE: 'api',
      QUEUE_BACKEND: 'redis',
      REDIS_URL: cluster.seedUrls(2),
      REDIS_CLUSTER: 'true',
      ADMIN_API_KEYS: ADMIN_KEY,
    });
    await resetLedger(api.prisma);
    worker = await startTestWorker(api.config);
    handled = recordHandledEvents(worker, 'test-cluster-counter');
  }, 60_000);

  async function keysOnEachNode(): Promise<string[][]> {
    return Promise.all(
      cluster.ports.map(async (port) => {
        const node = cluster.node(port);
        try {
          return await node.keys('*');
        } finally {
          node.disconnect();
        }
      }),
    );
  }

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await cluster?.stop();
  });

  it('reports the cluster ready', async () => {
    const ready = await fetch(`${api.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ details: { redis: { status: 'up' } } });
  });

  it('acknowledges, queues and processes every delivery once, with all queue keys in one hash slot', async () => {
    const deliveries = Array.from({ length: 40 }, () => syntheticDelivery(RECORDED_EVENT_TYPE));
    const responses = await Promise.all(deliveries.map((delivery) => postSynthetic(api.url, delivery)));
    expect(responses.map((r) => r.status)).toEqual(deliveries.map(() => 202));
    const ids = responses.map((r) => r.body!.id as string);
    // A provider's redelivery of the first one: acknowledged as the same event, never run again.
    const again = await postSynthetic(api.url, deliveries[0]);
    expect(again.body).toEqual({ id: ids[0], status: 'duplicate' });

    await waitFor(
      'every event to be processed on the cluster',
      async () => (await api.prisma.webhookEvent.count({ where: { id: { in: ids }, status: 'SUCCEEDED' } })) === ids.length,
      30_000,
    );
    expect([...handled].sort()).toEqual([...ids].sort());
    // The api reads queue depths from the cluster for /metrics (a failed read leaves the series out).
    const metrics = await admin<string>(api.url, '/metrics');
    expect(metrics.body).toContain('hookwise_queue_jobs{queue="webhooks-synthetic",state="waiting"} 0');
    expect(metrics.body).toContain('hookwise_queue_jobs{queue="webhooks-synthetic",state="failed"} 0');

    // BullMQ's scripts need every key of a queue on one node: the prefix is a hash tag.
    const keysPerNode = await keysOnEachNode();
    const nodesWithKeys = keysPerNode.filter((keys) => keys.length > 0);
    expect(nodesWithKeys).toHaveLength(1);
    expect(nodesWithKeys[0].every((key) => key.startsWith(`{${api.config.QUEUE_PREFIX}}:`))).toBe(true);
    expect(nodesWithKeys[0]).toContain(`{${api.config.QUEUE_PREFIX}}:${webhookQueueName('synthetic')}:meta`);
  }, 60_000);
});
