/**
 * The verified-secret memory shared by the hubs of a cluster, in Redis (see SharedVerifiedCache in
 * hub/registry/scrypt-gate.ts for what is kept and why it is safe). Entries live 24 h, refreshed by
 * every scrypt check that succeeds; a lookup waits at most 200 ms, then counts as a miss (the hub
 * falls back to scrypt rather than stall logins on a slow Redis).
 */
import { Redis } from 'ioredis';
import type { SharedVerifiedCache } from '../registry/scrypt-gate.js';

const PREFIX = 'rpm:v1:verified:';
const TTL_S = 24 * 3600;
const LOOKUP_TIMEOUT_MS = 200;

export function redisVerifiedCache(redisUrl: string): SharedVerifiedCache & { close(): void } {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: (times) => Math.min(50 * times, 1000), enableOfflineQueue: false });
  redis.on('error', () => undefined); // outages are reported by the broker's Redis watch
  return {
    async get(key) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), LOOKUP_TIMEOUT_MS);
      });
      try {
        return (await Promise.race([redis.get(PREFIX + key), timeout])) ?? undefined;
      } finally {
        clearTimeout(timer);
      }
    },
    async set(key, value) {
      await redis.set(PREFIX + key, value, 'EX', TTL_S);
    },
    close: () => redis.disconnect(),
  };
}
