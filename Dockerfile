# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
# The Nest CLI's schematics collection (`nest-cli.json`): a devDependency linked from this folder,
# which `nest build` loads too.
COPY schematics ./schematics
# The lockfile is complete: install exactly it (docs/testing.md, "npm ci").
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
USER node
EXPOSE 3000
# Migrations run at start (MIGRATE_ON_START); APP_ROLE picks api, worker or all.
CMD ["node", "dist/main.js"]
