import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The unprivileged OS account the embedded PostgreSQL runs as when Hookwise runs as root
 * (PostgreSQL refuses to run as root). Created when the machine has none.
 */
export class DatabaseOsUser {
  static readonly NAME = 'postgres';

  private constructor(
    readonly name: string,
    readonly uid: number,
    readonly gid: number,
  ) {}

  /** The `postgres` account; created (a system account without home) when missing. */
  static async findOrCreate(log: (line: string) => void): Promise<DatabaseOsUser> {
    const name = DatabaseOsUser.NAME;
    const existing = await lookUp(name);
    if (existing) return new DatabaseOsUser(name, existing.uid, existing.gid);
    log(`creating the OS user "${name}" to run the embedded PostgreSQL (PostgreSQL does not run as root)`);
    try {
      await run('groupadd', ['-f', '-r', name]);
      await run('useradd', ['-r', '-g', name, '-M', name]);
    } catch (err) {
      throw new Error(`PostgreSQL does not run as root, and the OS user "${name}" to run it as could not be created (${(err as Error).message.trim()}): create it, or run Hookwise as another user`);
    }
    const created = await lookUp(name);
    if (!created) throw new Error(`the OS user "${name}" was created but cannot be looked up`);
    return new DatabaseOsUser(name, created.uid, created.gid);
  }

  /**
   * Whether this user can reach `path`: search (x) permission on every directory on the way and
   * on `path` itself, which for a file means it may execute it. Asked of the kernel (`test -x` run
   * as this user), so ACLs and mount options count. Null when the probe itself cannot run.
   */
  async canReach(path: string): Promise<boolean | null> {
    try {
      await run('test', ['-x', path], { uid: this.uid, gid: this.gid, cwd: '/' });
      return true;
    } catch (err) {
      return typeof (err as { code?: unknown }).code === 'number' ? false : null;
    }
  }

  /** `spawn` options that run a child as this user. */
  get spawnIds(): { uid: number; gid: number } {
    return { uid: this.uid, gid: this.gid };
  }
}

async function lookUp(name: string): Promise<{ uid: number; gid: number } | null> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}
