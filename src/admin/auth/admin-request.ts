import type { FastifyRequest } from 'fastify';

/** An authenticated admin request: the guard records which key (by fingerprint) made it. */
export type AdminRequest = FastifyRequest & { adminKeyFingerprint?: string };
