import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { QueueBackend, type AppConfig } from '../../config/env.schema.js';

type RedisSettings = Pick<AppConfig, 'REDIS_URL' | 'REDIS_CLUSTER' | 'QUEUE_PREFIX' | 'QUEUE_BACKEND'>;

/** Options that apply to a whole client: on a cluster they are the Cluster's own, not its nodes'. */
export interface RedisClientOptions extends Pick<RedisOptions, 'lazyConnect' | 'enableOfflineQueue' | 'maxRetriesPerRequest'> {
  retryStrategy?: (times: number) => number | null;
}

/**
 * Delay before reconnect attempt `times` to Redis: 0.2 s, 0.4 s, … then every 2 s while it stays
 * away. BullMQ's own default grows to 20 s, so after an outage of a minute queues and workers came
 * back up to 20 s after Redis did; an attempt against a server that is down costs nothing.
 */
export function redisReconnectDelay(times: number): number {
  return Math.min(times * 200, 2000);
}

/**
 * A Redis client for REDIS_URL: one server, or with REDIS_CLUSTER=true a Redis Cluster reached
 * through the listed seed nodes (the client discovers the rest). Credentials and TLS (`rediss://`)
 * of the first URL apply to every node of the cluster.
 */
export function createRedisClient(config: RedisSettings, options: RedisClientOptions = {}): Redis | Cluster {
  if (config.REDIS_CLUSTER) return createRedisCluster(config, options);
  if (!config.REDIS_URL) throw new Error('REDIS_URL is not set');
  return new Redis(config.REDIS_URL, options);
}

/** The Redis Cluster of REDIS_URL's seed nodes (REDIS_CLUSTER=true). */
export function createRedisCluster(config: RedisSettings, options: RedisClientOptions = {}): Cluster {
  if (!config.REDIS_URL) throw new Error('REDIS_URL is not set');
  const urls = config.REDIS_URL.split(',').map((url) => new URL(url.trim()));
  const { lazyConnect, enableOfflineQueue, retryStrategy, maxRetriesPerRequest } = options;
  const clusterOptions: ClusterOptions = {
    redisOptions: { ...nodeCredentials(urls[0]), maxRetriesPerRequest },
    ...(lazyConnect !== undefined && { lazyConnect }),
    ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
    ...(retryStrategy && { clusterRetryStrategy: retryStrategy }),
  };
  return new Cluster(
    urls.map((url) => ({ host: url.hostname, port: Number(url.port || 6379) })),
    clusterOptions,
  );
}

/**
 * BullMQ's key prefix. A Lua script of BullMQ touches several keys of one queue, which a cluster
 * only allows within one hash slot: on a cluster the prefix is a hash tag, `{hookwise}`, so every
 * key of the deployment lands on the same slot.
 */
export function bullPrefix(config: RedisSettings): string {
  const onCluster = config.REDIS_CLUSTER && config.QUEUE_BACKEND === QueueBackend.Redis;
  return onCluster ? `{${config.QUEUE_PREFIX}}` : config.QUEUE_PREFIX;
}

function nodeCredentials(url: URL): RedisOptions {
  return {
    ...(url.username && { username: decodeURIComponent(url.username) }),
    ...(url.password && { password: decodeURIComponent(url.password) }),
    ...(url.protocol === 'rediss:' && { tls: {} }),
  };
}
