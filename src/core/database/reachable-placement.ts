import { createHash } from 'node:crypto';
import { existsSync, type Stats } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, mkdtemp, readdir, readlink, rename, rm, rmdir, stat, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DatabaseOsUser } from './database-os-user.js';
import type { PostgresBinaries } from './postgres-binaries.js';

/**
 * Where Hookwise keeps, as root, what the database user cannot reach in place: a copy of the
 * binaries (`postgresql/<platform>-<version>/`, owned by root, read-only to others) and clusters
 * whose DATA_DIR is closed to that user (`data/<DATA_DIR path>-<hash>/postgres`, private to it).
 */
export const PRIVATE_HOME = '/var/lib/hookwise';

/**
 * As root, the embedded PostgreSQL runs as an unprivileged user (see DatabaseOsUser), which needs
 * to reach the binaries and the cluster. When the checkout or DATA_DIR sits under a directory that
 * user cannot enter (a clone in /root, mode 700), nothing is opened up: the binaries run from a
 * root-owned copy under PRIVATE_HOME, and the cluster is kept under PRIVATE_HOME, private to the
 * database user, at a place derived from DATA_DIR and linked from `<DATA_DIR>/postgres` (so it
 * follows DATA_DIR if the checkout moves). A cluster already in DATA_DIR stays there. The password
 * file and the server log stay in DATA_DIR.
 */
export class ReachablePlacement {
  constructor(
    private readonly user: DatabaseOsUser,
    private readonly log: (line: string) => void,
    private readonly home = PRIVATE_HOME,
  ) {}

  /** The installed binaries when the user can run them, else a copy it can (made once per release). */
  async binaries(installed: PostgresBinaries): Promise<PostgresBinaries> {
    const reach = await Promise.all([this.user.canReach(installed.postgres), this.user.canReach(installed.initdb)]);
    if (!reach.includes(false)) return installed;
    await this.rootDirectory(this.home, 0o711);
    const copies = join(this.home, 'postgresql');
    await this.rootDirectory(copies, 0o755);
    const target = join(copies, installed.release);
    const made = await this.copyOnce(installed.home, target);
    const copy = installed.relocatedTo(target);
    if ((await this.user.canReach(copy.postgres)) === false) {
      throw new Error(`the OS user "${this.user.name}" cannot run the PostgreSQL binaries in ${installed.home} nor their copy in ${target}: make the directories above ${this.home} traversable`);
    }
    this.log(`the PostgreSQL binaries in ${installed.home} are out of reach of the OS user "${this.user.name}": running ${made ? 'a copy made now' : 'their copy'} in ${target}`);
    return copy;
  }

  /** The cluster directory (PGDATA) for DATA_DIR, made ready for the user to initialise or start. */
  async cluster(dataDir: string): Promise<string> {
    const inPlace = join(dataDir, 'postgres');
    const entry = await lstat(inPlace).catch(() => null);

    if (entry?.isSymbolicLink()) return this.linkedCluster(dataDir, inPlace);
    if (entry && !entry.isDirectory()) throw new Error(`${inPlace} is neither the embedded database's directory nor a link to it: move it away`);

    if (entry && existsSync(join(inPlace, 'PG_VERSION'))) {
      // Created in DATA_DIR: it stays there.
      await openForTraversal(dataDir);
      if ((await this.user.canReach(inPlace)) === false) {
        throw new Error(
          `the embedded database in ${inPlace} is out of reach of the OS user "${this.user.name}" it runs as (a directory above DATA_DIR is closed to other users): ` +
            `make the directories above DATA_DIR traversable (chmod o+x), or move it to ${join(this.home, 'data', clusterName(dataDir), 'postgres')} ` +
            `(its directory owned by "${this.user.name}", mode 0700) and leave a symbolic link to it in its place`,
        );
      }
      return inPlace;
    }

    if ((await this.user.canReach(dirname(dataDir))) !== false) {
      // The user can reach DATA_DIR's parent: the cluster goes in DATA_DIR, which lets it through.
      await openForTraversal(dataDir);
      return inPlace;
    }

    // DATA_DIR is closed to the user: keep the cluster where it can reach it, and link it.
    if (entry) await removeEmptyLeftover(inPlace);
    const clusterHome = await this.clusterHome(dataDir);
    const target = join(clusterHome, 'postgres');
    if (existsSync(join(target, 'PG_VERSION'))) {
      throw new Error(
        `an embedded database for DATA_DIR ${dataDir} is in ${target}, but DATA_DIR does not link to it (was DATA_DIR deleted? its password file went with it): ` +
          `remove ${clusterHome} to start with an empty database, or restore the link with \`ln -s ${target} ${inPlace}\` if DATA_DIR still holds its postgres-password`,
      );
    }
    await symlink(target, inPlace);
    this.logKeptIn(dataDir, target, inPlace);
    return target;
  }

  private async linkedCluster(dataDir: string, link: string): Promise<string> {
    const target = resolve(dataDir, await readlink(link));
    const clusterHome = dirname(target);
    const home = await lstat(clusterHome).catch(() => null);
    if (!home) {
      throw new Error(`the embedded database linked from ${link} is missing: ${clusterHome} does not exist (was it deleted?); remove the link ${link} to start with an empty database`);
    }
    this.checkPrivate(clusterHome, home);
    this.logKeptIn(dataDir, target, link);
    return target;
  }

  /** `<home>/data/<name>`, owned by the user, mode 0700: PGDATA and initdb's password file go in it. */
  private async clusterHome(dataDir: string): Promise<string> {
    await this.rootDirectory(this.home, 0o711);
    await this.rootDirectory(join(this.home, 'data'), 0o711);
    const dir = join(this.home, 'data', clusterName(dataDir));
    await mkdir(dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    const entry = await lstat(dir);
    // Root-owned: made just now, or by a start interrupted before the chown. Only root writes here.
    if (entry.isDirectory() && entry.uid === 0) {
      await chown(dir, this.user.uid, this.user.gid);
      await chmod(dir, 0o700);
    } else {
      this.checkPrivate(dir, entry);
    }
    if ((await this.user.canReach(dir)) === false) {
      throw new Error(`the OS user "${this.user.name}" cannot reach ${dir}: make the directories above ${this.home} traversable, or set DATA_DIR to a directory that user can reach`);
    }
    return dir;
  }

  private checkPrivate(dir: string, entry: Stats): void {
    if (!entry.isDirectory() || entry.uid !== this.user.uid || (entry.mode & 0o077) !== 0) {
      throw new Error(`refusing to use ${dir} for the embedded database: it must be a directory owned by the OS user "${this.user.name}" with mode 0700`);
    }
  }

  /** Creates or checks a directory of ours: owned by root, writable by no one else. */
  private async rootDirectory(dir: string, mode: number): Promise<void> {
    try {
      await mkdir(dir, { recursive: true, mode });
    } catch (err) {
      throw new Error(`cannot create ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}) to keep the embedded database where the OS user "${this.user.name}" can reach it: set DATA_DIR to a directory that user can reach, and run Hookwise from one`);
    }
    const entry = await stat(dir);
    if (!entry.isDirectory() || entry.uid !== 0 || (entry.mode & 0o022) !== 0) {
      throw new Error(`refusing to use ${dir}: it must be a directory owned by root that no one else can write to`);
    }
    if ((entry.mode & 0o777) !== mode) await chmod(dir, mode);
  }

  /** Copies `source` to `target` unless there; whole or not at all (staged, then renamed). */
  private async copyOnce(source: string, target: string): Promise<boolean> {
    if (existsSync(target)) {
      const entry = await lstat(target);
      if (!entry.isDirectory() || entry.uid !== 0 || (entry.mode & 0o022) !== 0) {
        throw new Error(`refusing to run PostgreSQL from ${target}: it must be a directory owned by root that no one else can write to`);
      }
      return false;
    }
    const staging = await mkdtemp(join(dirname(target), '.staging-'));
    try {
      const copy = join(staging, 'copy');
      await cp(source, copy, { recursive: true, verbatimSymlinks: true, errorOnExist: true });
      await readOnlyToOthers(copy);
      try {
        await rename(copy, target);
      } catch (err) {
        if (!existsSync(target)) throw err;
        return false; // another process made it meanwhile
      }
      return true;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  private logKeptIn(dataDir: string, target: string, link: string): void {
    this.log(
      `DATA_DIR ${dataDir} is out of reach of the OS user "${this.user.name}" that PostgreSQL runs as: ` +
        `the embedded database is kept in ${target} (private to "${this.user.name}"), linked from ${link}`,
    );
  }
}

/** `root-app-.hookwise-1a2b3c4d` for /root/app/.hookwise: readable, and unique per path. */
export function clusterName(dataDir: string): string {
  const readable = dataDir
    .replace(/[/\\]+/g, '-')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(-48)
    .replace(/^[-.]+/, '');
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 8);
  return `${readable || 'root'}-${hash}`;
}

/** As root, the database user must pass through DATA_DIR (the cluster inside is private to it). */
async function openForTraversal(dataDir: string): Promise<void> {
  const { mode } = await stat(dataDir);
  if ((mode & 0o711) !== 0o711) await chmod(dataDir, mode | 0o711);
}

/** An empty cluster directory left by a start that failed before this placement existed. */
async function removeEmptyLeftover(dir: string): Promise<void> {
  try {
    await rmdir(dir);
  } catch {
    throw new Error(`${dir} holds no database (no PG_VERSION) but is not empty: move it away`);
  }
}

/** Directories 0755; files lose group/other write and set-id bits, and keep the rest. Links are left alone. */
async function readOnlyToOthers(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await readOnlyToOthers(path);
    else if (entry.isFile()) {
      const { mode } = await lstat(path);
      if (mode & 0o7022) await chmod(path, mode & 0o755);
    }
  }
}
