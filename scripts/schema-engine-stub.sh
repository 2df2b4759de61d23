#!/bin/sh
# Stand-in for Prisma's schema engine so `prisma generate` works offline (see scripts/prisma-generate.mjs).
# Migrations are applied by our own runner: `npm run db:migrate`.
echo "hookwise: Prisma's schema engine is not installed here; use 'npm run db:migrate' to apply migrations." >&2
exit 1
