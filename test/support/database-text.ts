import { expect } from 'vitest';
import type { PrismaService } from '../../src/core/index.js';

/** Every row of every table of the database, as text: what a secret must never be found in. */
export async function databaseText(prisma: Pick<PrismaService, '$queryRawUnsafe'>): Promise<string> {
  const tables = await prisma.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  expect(tables.length).toBeGreaterThan(3);
  const dumps: string[] = [];
  for (const { name } of tables) {
    const rows = await prisma.$queryRawUnsafe<Array<{ row: string }>>(`SELECT t::text AS row FROM ${name} t`);
    dumps.push(`${name}\n${rows.map((r) => r.row).join('\n')}`);
  }
  return dumps.join('\n');
}
