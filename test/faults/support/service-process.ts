import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../support/private-redis.js';
import { waitFor } from '../../support/wait-for.js';

const ENTRY = new URL('./fault-server.mjs', import.meta.url).pathname;
const ROOT = new URL('../../..', import.meta.url).pathname;

/** One Hookwise process (dist/ build) started for a fault scenario; logs go to a file. */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  readonly url: string;

  private constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
    readonly port: number,
    private readonly logFile: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(name: string, env: Record<string, string>, logDir: string): Promise<ServiceProcess> {
    const service = new ServiceProcess(name, env, await freePort(), join(logDir, `${name}.log`));
    await service.start();
    return service;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Exit code of the process once it has exited (null while it runs, or when a signal ended it). */
  get exitCode(): number | null {
    return this.child?.exitCode ?? null;
  }

  /** The signal that ended the process (SIGTERM after a clean stop, SIGKILL after kill() or the 20 s stop timeout). */
  get signalCode(): NodeJS.Signals | null {
    return this.child?.signalCode ?? null;
  }

  get alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    const out = openSync(this.logFile, 'a');
    const child = fork(ENTRY, [], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        MIGRATE_ON_START: 'false',
        HOST: '127.0.0.1',
        PORT: String(this.port),
        ...this.env,
      },
      // Not vitest's loader flags: the service runs as it would in production.
      execArgv: [],
      stdio: ['ignore', out, out, 'ipc'],
    });
    closeSync(out);
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${this.name} exited with ${code} while starting:\n${this.tail()}`));
      child.once('exit', onExit);
      child.once('message', () => {
        child.off('exit', onExit);
        resolve();
      });
    });
    if (this.env.APP_ROLE !== 'worker') await waitFor(`${this.name} to listen`, async () => (await fetch(`${this.url}/health/live`)).ok);
  }

  /** kill -9: no shutdown hook runs. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Graceful stop (SIGTERM), as a deploy would. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  tail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').slice(-3000);
    } catch {
      return '';
    }
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill(signal);
    });
  }
}
