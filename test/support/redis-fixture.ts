/**
 * A private redis-server for a test file: started on a free port in a temporary directory, stopped
 * (and the directory removed) by close(); stop()/start()/kill9() for tests of a Redis outage.
 * A missing binary fails the run with the install command; it never skips it.
 */
import { startRedis, type ManagedRedis } from '../../scripts/lib/redis.js';
import { tempDir } from './temp-dir.js';

export interface RedisForTests extends ManagedRedis {
  close(): Promise<void>;
}

export async function startRedisForTests(): Promise<RedisForTests> {
  const dir = await tempDir('redis');
  let redis: ManagedRedis;
  try {
    redis = await startRedis({ dir: dir.path });
  } catch (err) {
    await dir.remove();
    throw err;
  }
  return {
    ...redis,
    async close() {
      await redis.stop();
      await dir.remove();
    },
  };
}
