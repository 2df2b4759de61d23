import type { INestApplicationContext } from '@nestjs/common';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../support/admin-client.js';
import { postSynthetic, syntheticDelivery } from '../support/synthetic-provider/synthetic-deliveries.js';
import { startTestApp, startTestWorker, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

describe('APP_ROLE=api and APP_ROLE=worker as separate processes', () => {
  let api: TestApp | undefined;
  let worker: INestApplicationContext | undefined;

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('the api only receives and enqueues; the worker processes', async () => {
    api = await startTestApp({ APP_ROLE: 'api', ADMIN_API_KEYS: ADMIN_KEY });
    const response = await postSynthetic(api.url, syntheticDelivery('other.event'));
    expect(response.status).toBe(202);
    const id = response.body!.id as string;

    // No processor in the api process: the job waits on a queue no worker serves (as the queue
    // dashboard shows it), and the event stays QUEUED.
    const queue = await waitFor('the job to wait on the queue', async () => {
      const board = await admin(api!.url, '/admin/queues/api/queues');
      const synthetic = board.body.queues?.find((q: { name: string }) => q.name === 'webhooks-synthetic');
      return synthetic?.counts.waiting === 1 ? synthetic : null;
    });
    expect(queue).toMatchObject({ hasWorkers: false, counts: { waiting: 1, active: 0, completed: 0, failed: 0 } });
    expect((await api.prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).status).toBe('QUEUED');

    worker = await startTestWorker(api.config);
    const done = await waitFor('the worker to process the event', async () => {
      const row = await api!.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      return row.status === 'IGNORED' ? row : null;
    });
    expect(done).toMatchObject({ attempts: 1, statusReason: 'no handler for synthetic event other.event' });
  });
});
