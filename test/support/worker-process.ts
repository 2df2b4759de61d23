import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '../../src/config/env.schema.js';
import { waitFor } from './wait-for.js';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const REGISTER_SWC = fileURLToPath(new URL('./typescript-child/register.mjs', import.meta.url));

/** A Hookwise worker (APP_ROLE=worker, src/main.ts) in a process of its own, which a test can kill -9. */
export interface WorkerProcess {
  readonly pid: number;
  /** The application_name of its PostgreSQL sessions (pg_stat_activity). */
  readonly applicationName: string;
  /** What it wrote so far (stdout and stderr). */
  output(): string;
  /** SIGKILL, as the OOM killer or an eviction does; resolves once it is gone. */
  kill(): Promise<void>;
}

/**
 * Starts src/main.ts as a worker on the queues and ledger of `config` (a test app's), with `env`
 * added, and resolves once it has started. It reads no `.env` (it runs in an empty directory).
 */
export async function startWorkerProcess(config: AppConfig, env: Record<string, string>): Promise<WorkerProcess> {
  // node-postgres lets the URL's parameters win over its client options: every session of the process gets this name.
  const applicationName = `hookwise-worker-process-${randomUUID().slice(0, 8)}`;
  const databaseUrl = new URL(config.DATABASE_URL!);
  databaseUrl.searchParams.set('application_name', applicationName);
  const child = spawn(process.execPath, ['--import', REGISTER_SWC, join(REPOSITORY, 'src', 'main.ts')], {
    cwd: mkdtempSync(join(tmpdir(), 'hookwise-worker-')),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      APP_ROLE: 'worker',
      DATABASE_URL: databaseUrl.toString(),
      QUEUE_BACKEND: config.QUEUE_BACKEND,
      ...(config.REDIS_URL ? { REDIS_URL: config.REDIS_URL } : {}),
      QUEUE_PREFIX: config.QUEUE_PREFIX,
      MIGRATE_ON_START: 'false',
      JOB_BACKOFF_MS: String(config.JOB_BACKOFF_MS),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (process.env.HOOKWISE_TEST_LOGS) process.stderr.write(chunk);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const worker: WorkerProcess = {
    pid: child.pid!,
    applicationName,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await Promise.race([
      waitFor('the worker process to start', () => output.includes('hookwise worker started'), 20_000),
      exited.then(() => Promise.reject(new Error(`the worker process exited while starting:\n${output}`))),
    ]);
  } catch (err) {
    await worker.kill();
    throw err;
  }
  return worker;
}
