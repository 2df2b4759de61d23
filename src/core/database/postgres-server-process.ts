import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, lchown, mkdir, open, rm, stat } from 'node:fs/promises';
import { platform } from 'node:os';
import { dirname, join } from 'node:path';
import type { DatabaseOsUser } from './database-os-user.js';
import type { PostgresBinaries } from './postgres-binaries.js';

const READY = 'database system is ready to accept connections';
// Server messages in English whatever the machine's locale: READY is matched on them.
const MESSAGES_LOCALE = 'C';

export interface PostgresServerProcessOptions {
  binaries: PostgresBinaries;
  /** The cluster (PGDATA). Its parent must be reachable by `runAs`. */
  clusterDir: string;
  port: number;
  superuser: string;
  password: string;
  /** As root: the user the binaries run as. Null: as this process's user. */
  runAs: DatabaseOsUser | null;
  /** `-c name=value` server settings. */
  settings: Record<string, string>;
  /** Whatever initdb and the server write. */
  onOutput: (text: string) => void;
}

/**
 * One PostgreSQL server run from the embedded binaries: initdb on first use, the server as a
 * child process (stopped with a fast shutdown). Every failure to run a binary (EACCES, ENOENT) is
 * a rejected promise, never an unhandled `error` event.
 */
export class PostgresServerProcess {
  private child: ChildProcess | null = null;

  constructor(private readonly options: PostgresServerProcessOptions) {}

  /** Creates the cluster: PGDATA owned by `runAs`, the superuser's password set by initdb. */
  async initialise(): Promise<void> {
    const { clusterDir, runAs, binaries } = this.options;
    // The parent may belong to `runAs` (ReachablePlacement), which could swap what is in it for a
    // symbolic link: root changes owners only without following links (lchown, fchown).
    await mkdir(clusterDir, { recursive: true, mode: 0o700 });
    if (runAs) await lchown(clusterDir, runAs.uid, runAs.gid);
    // The password reaches initdb through a file only it can read, next to the cluster (a parent
    // `runAs` can reach), never in a shared temporary directory.
    const passwordFile = join(dirname(clusterDir), `.initdb-password-${randomBytes(6).toString('hex')}`);
    try {
      const file = await open(passwordFile, 'wx', 0o600);
      try {
        if (runAs) await file.chown(runAs.uid, runAs.gid);
        await file.writeFile(`${this.options.password}\n`);
      } finally {
        await file.close();
      }
      await makeExecutable(binaries.initdb);
      await this.runToEnd(binaries.initdb, [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${this.options.superuser}`,
        `--pwfile=${passwordFile}`,
        `--lc-messages=${MESSAGES_LOCALE}`,
        '--encoding=UTF8',
        '--no-instructions',
      ]);
    } finally {
      await rm(passwordFile, { force: true });
    }
  }

  /** Starts the server; resolves once it accepts connections. */
  async start(): Promise<void> {
    const { binaries, clusterDir, port, settings, onOutput } = this.options;
    await makeExecutable(binaries.postgres);
    const args = ['-D', clusterDir, '-p', String(port), ...Object.entries({ lc_messages: MESSAGES_LOCALE, ...settings }).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
    const child = spawn(binaries.postgres, args, this.spawnOptions());
    this.child = child;
    let ready = false;
    let tail = '';
    await new Promise<void>((resolve, reject) => {
      const onOutputChunk = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        onOutput(text);
        if (ready) return;
        tail = (tail + text).slice(-READY.length * 2); // the message may be split across chunks
        if (tail.includes(READY)) {
          ready = true;
          resolve();
        }
      };
      child.stdout?.on('data', onOutputChunk);
      child.stderr?.on('data', onOutputChunk);
      // Also after the start: a failed kill() is reported as an `error` event.
      child.on('error', (err) => {
        onOutput(`${err.message}\n`);
        reject(this.cannotRun(binaries.postgres, err));
      });
      child.once('exit', (code, signal) => reject(new Error(`the server exited while starting (${signal ? `signal ${signal}` : `exit code ${code}`})`)));
    });
  }

  /** Asks for a fast shutdown and returns at once (at process exit, where nothing can be awaited). */
  stopNow(): void {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  }

  /** Fast shutdown (SIGINT): sessions end, committed data stays. Resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      // Windows has no SIGINT for other processes: end the server and its backends.
      if (platform() === 'win32') spawn('taskkill', ['/pid', String(child.pid), '/f', '/t']).on('error', () => child.kill());
      else child.kill('SIGINT');
    });
  }

  private runToEnd(file: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, this.spawnOptions());
      let errors = '';
      child.stdout?.on('data', (chunk: Buffer) => this.options.onOutput(chunk.toString('utf8')));
      child.stderr?.on('data', (chunk: Buffer) => {
        errors += chunk.toString('utf8');
        this.options.onOutput(chunk.toString('utf8'));
      });
      child.once('error', (err) => reject(this.cannotRun(file, err)));
      child.once('close', (code, signal) => {
        if (code === 0) resolve();
        else reject(new Error(`${file} failed (${signal ? `signal ${signal}` : `exit code ${code}`}): ${errors.trim()}`));
      });
    });
  }

  private spawnOptions() {
    const { runAs, clusterDir } = this.options;
    return {
      // A directory the server's user can enter (it may not enter the current one).
      cwd: dirname(clusterDir),
      env: { ...process.env, LC_MESSAGES: MESSAGES_LOCALE },
      stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
      ...(runAs ? runAs.spawnIds : {}),
    };
  }

  private cannotRun(file: string, err: Error): Error {
    const code = (err as NodeJS.ErrnoException).code ?? err.message;
    const runAs = this.options.runAs;
    return new Error(`cannot run ${file}${runAs ? ` as the OS user "${runAs.name}"` : ''} (${code})`);
  }
}

/** Adds r-x for everyone when a binary lacks it (some unpackers drop modes); read-only trees are left alone. */
async function makeExecutable(file: string): Promise<void> {
  try {
    const { mode } = await stat(file);
    if ((mode & 0o555) !== 0o555) await chmod(file, mode | 0o555);
  } catch {
    // Missing or read-only: running it reports the problem.
  }
}
