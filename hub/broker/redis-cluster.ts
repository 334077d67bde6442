/**
 * Broker state shared through Redis, so several hubs behind a TCP load balancer act as one broker:
 * the Aedes ecosystem's own parts, mqemitter-redis (fan-out of publishes between hubs) and
 * aedes-persistence-redis (sessions, subscriptions, offline QoS 1 queues, retained messages, Last
 * Wills). Opt-in: without HUB_REDIS_URL the broker keeps Aedes' in-memory defaults.
 *
 * - Gateway readings are not fanned out. Nothing may subscribe to them (auth.ts allows a gateway only
 *   its own command topic, and the hub reads them in authorizePublish), so sending every batch to
 *   every hub through Redis would cost Redis bandwidth and every hub's CPU for nothing. They go to
 *   a local emitter only; everything else (commands, status, alerts, Aedes' $SYS heartbeats) goes
 *   through Redis.
 * - Aedes 1.2 calls its persistence through promises *and* streams (createRetainedStreamCombi,
 *   outgoingStream are piped), which is what the callback wrapper aedes-persistence-redis exports
 *   by default provides; its bare asyncPersistence.js returns async generators Aedes cannot pipe.
 * - Commands wait (ioredis' offline queue) while Redis restarts instead of failing; /readyz says
 *   Redis is down (`connected()`), and HAProxy stops sending new connections to this hub.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import mqemitter, { type MQEmitter, type Message } from 'mqemitter';
import mqemitterRedis from 'mqemitter-redis';
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';

const require = createRequire(import.meta.url);

/** The part of aedes-persistence-redis' export we use; Aedes drives the rest. */
type RedisPersistenceFactory = (options: { connectionString?: string; maxSessionDelivery?: number } & Record<string, unknown>) => { setup(broker: unknown): Promise<void> };
// The package has no type declarations.
const aedesPersistenceRedis = require('aedes-persistence-redis') as RedisPersistenceFactory;

/** Topics that never leave this hub (see the header). */
export function isHubLocalTopic(topic: string): boolean {
  return topic.startsWith('rpm/v1/gw/') && topic.endsWith('/readings');
}

export interface BrokerCluster {
  readonly mq: MQEmitter;
  readonly persistence: unknown;
  /** Aedes' heartbeat between hubs; a hub silent for 3 of them is dead and its gateways' Last Wills are published by another (within 4 more). */
  readonly heartbeatIntervalMs: number;
  /** Redis answers (our watch connection is ready). */
  connected(): boolean;
  /** Seconds Redis has been unreachable, 0 when connected. */
  downForSeconds(): number;
  /** Closes the watch connection; Aedes closes the emitter and the persistence. */
  close(): Promise<void>;
}

export interface BrokerClusterOptions {
  readonly redisUrl: string;
  readonly log: Logger;
  /** Default 2 s: a dead hub's Last Wills go out 6-14 s after it died. */
  readonly heartbeatIntervalMs?: number;
}

/** Redis options for every connection: retry for ever (capped at 1 s between tries), never fail a queued command. */
function redisOptions(): { maxRetriesPerRequest: null; retryStrategy: (times: number) => number; enableAutoPipelining: boolean } {
  return { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(50 * times, 1000), enableAutoPipelining: true };
}

/** An emitter that sends `isHubLocalTopic` messages to local subscribers only and the rest through Redis. */
export function splitEmitter(shared: MQEmitter, local: MQEmitter, isLocal: (topic: string) => boolean): MQEmitter {
  const split = {
    get current() {
      return shared.current + local.current;
    },
    get concurrent() {
      return shared.concurrent;
    },
    on(topic: string, listener: (message: Message, done: () => void) => void, callback?: () => void) {
      shared.on(topic, listener, () => local.on(topic, listener, callback));
      return split;
    },
    removeListener(topic: string, listener: (message: Message, done: () => void) => void, callback?: () => void) {
      shared.removeListener(topic, listener, () => local.removeListener(topic, listener, callback));
    },
    emit(message: Message, callback?: (error?: Error) => void) {
      (isLocal(message.topic) ? local : shared).emit(message, callback);
    },
    close(callback: () => void) {
      shared.close(() => local.close(callback));
    },
  };
  return split;
}

export function createBrokerCluster(options: BrokerClusterOptions): BrokerCluster {
  const { log } = options;
  const url = options.redisUrl;
  let downSince: number | undefined = Date.now();
  const watch = new Redis(url, redisOptions());
  watch.on('ready', () => {
    if (downSince !== undefined && Date.now() - downSince > 1000) log.warn({ downForSeconds: Math.round((Date.now() - downSince) / 1000) }, 'Redis reachable again');
    downSince = undefined;
  });
  watch.on('close', () => {
    if (downSince === undefined) {
      downSince = Date.now();
      log.error('Redis connection lost: broker state is not shared until it is back; readings are still spooled and acknowledged');
    }
  });
  // ioredis reports each failed reconnect as an error: the 'close' above already said it once.
  watch.on('error', () => undefined);

  const emitterOptions = { ...redisOptions(), connectionString: url, matchEmptyLevels: true };
  const shared = mqemitterRedis({ ...emitterOptions, pubConn: new Redis(url, redisOptions()), subConn: new Redis(url, redisOptions()) });
  // Its connection errors are emitted on `state` (not in its .d.ts); an unheard 'error' would throw.
  (shared as unknown as { state: EventEmitter }).state.on('error', (err: Error) => log.debug({ err: err.message }, 'mqemitter-redis connection error'));
  const local = mqemitter({ matchEmptyLevels: true });
  const persistenceConn = new Redis(url, redisOptions());
  persistenceConn.on('error', () => undefined); // reported once by the watch connection
  const persistence = aedesPersistenceRedis({ conn: persistenceConn, maxSessionDelivery: 1000 });

  return {
    mq: splitEmitter(shared, local, isHubLocalTopic),
    persistence,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 2000,
    connected: () => watch.status === 'ready',
    downForSeconds: () => (downSince === undefined ? 0 : (Date.now() - downSince) / 1000),
    async close() {
      watch.disconnect();
    },
  };
}
