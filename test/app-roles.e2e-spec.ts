import type { INestApplicationContext } from '@nestjs/common';
import { afterAll, describe, expect, it } from 'vitest';
import { githubDelivery, githubExample, postGithub } from './support/github-deliveries.js';
import { startTestApp, startTestWorker, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

describe('APP_ROLE=api and APP_ROLE=worker as separate processes', () => {
  let api: TestApp | undefined;
  let worker: INestApplicationContext | undefined;

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('the api only receives and enqueues; the worker processes', async () => {
    api = await startTestApp({ APP_ROLE: 'api' });
    const response = await postGithub(api.url, await githubDelivery('push', githubExample('push')));
    expect(response.status).toBe(202);
    const id = response.body!.id as string;

    const queued = await waitFor('the event to be QUEUED', async () => {
      const row = await api!.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      return row.status === 'QUEUED' ? row : null;
    });
    // No processor in the api process: the event waits on the queue.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await api.prisma.webhookEvent.findUniqueOrThrow({ where: { id } })).status).toBe(queued.status);

    worker = await startTestWorker(api.config);
    const done = await waitFor('the worker to process the event', async () => {
      const row = await api!.prisma.webhookEvent.findUniqueOrThrow({ where: { id } });
      return row.status === 'IGNORED' ? row : null;
    });
    expect(done).toMatchObject({ attempts: 1, statusReason: 'no handler for github event push' });
  });
});
