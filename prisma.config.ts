import { defineConfig } from 'prisma/config';

// `prisma` commands (migrate deploy / status) connect to DATABASE_URL, read from the environment
// only (Prisma 7 does not load .env), else to a local PostgreSQL on 5432, as scripts/seed-bulk.mjs
// does. The service has no such default: without DATABASE_URL it starts an embedded PostgreSQL on a
// free port chosen at start (src/config/env.schema.ts, src/core/database/embedded-database.ts), which
// these commands do not reach.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@localhost:5432/hookwise' },
});
