import { defineConfig } from 'prisma/config';

// Same default as the service (src/config/env.schema.ts) so `prisma` commands and the app agree.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@localhost:5432/hookwise' },
});
