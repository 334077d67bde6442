/**
 * The embedded MQTT broker: Aedes with the policy from auth.ts on the listeners from listeners.ts,
 * and ingest inside authorizePublish. Aedes sends PUBACK right after authorizePublish calls back
 * (its lib/handlers/publish.js), so calling back only once ingest has made the message durable (in
 * the spool) is what makes a PUBACK mean "stored". Ingest failing (spool unwritable or full) closes
 * the connection without PUBACK; the gateway keeps the readings in its outbox and sends them again.
 *
 * Hardening: packets over `maxPacketBytes` close the connection (packet-size-guard.ts); CONNECTs
 * per source address are rate-limited before any secret is checked (connect-rate-limit.ts);
 * refusals are logged once per address and reason per minute, never with the password.
 */
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { IncomingMessage } from 'node:http';
import { Readable, type Duplex } from 'node:stream';
import type { GatewayDirectory } from '../registry/registry.js';
import { ScryptGateBusyError } from '../registry/scrypt-gate.js';
import type { Ingest } from '../ingest/ingest.js';
import type { Logger } from '../log.js';
import { CONNACK, checkConnectIdentity, checkOrphanWill, checkPublish, checkSubscribe, expectedClientId } from './auth.js';
import { ConnectRateLimiter } from './connect-rate-limit.js';
import { listenTcp, listenTls, listenWebSocket, type ConnectionMeta, type Listener, type TlsListenOptions } from './listeners.js';
import { LogThrottle } from './log-throttle.js';
import { guardPacketSize } from './packet-size-guard.js';
import type { BrokerCluster } from './redis-cluster.js';

export type RefusalReason = 'rate_limited' | 'overloaded' | 'bad_identity' | 'bad_credentials' | 'bad_certificate' | 'server_error' | 'tls_handshake';
export type DisconnectReason = 'packet_too_large' | 'publish_refused' | 'ingest_failed';

/** What the broker reports to metrics (hub/metrics). */
export interface BrokerObserver {
  connectionRefused(reason: RefusalReason): void;
  disconnected(reason: DisconnectReason): void;
  /** A PUBLISH from a gateway was handled: time from its arrival to the PUBACK decision. */
  published(seconds: number, acked: boolean): void;
}

export interface BrokerListenOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: Omit<TlsListenOptions, 'host'> & { readonly host?: string };
  readonly ws?: { readonly host?: string; readonly port: number };
  /** Largest MQTT packet accepted, bytes; default 1 MiB (a batch of 1,000 readings is about 500 KiB). */
  readonly maxPacketBytes?: number;
  /** CONNECT attempts per source address per minute; default 60. */
  readonly connectAttemptsPerMinute?: number;
}

export interface BrokerOptions extends BrokerListenOptions {
  readonly gateways: GatewayDirectory;
  readonly ingest: Ingest;
  readonly log: Logger;
  readonly observer?: BrokerObserver;
  /** Broker state shared with other hubs through Redis (redis-cluster.ts); absent: one hub, in memory. */
  readonly cluster?: BrokerCluster;
  /** A gateway's status or devices report received by another hub of the cluster (so every hub knows every box). */
  readonly onRemoteGatewayMessage?: (channel: 'status' | 'devices', gatewayId: string, payload: Buffer) => void;
  /** When this hub last heard the gateway say it is online (epoch ms, through any hub); lets a dead hub's stale Last Will be dropped. */
  readonly lastOnlineAt?: (gatewayId: string) => number | undefined;
}

export interface RunningBroker {
  readonly aedes: Aedes;
  readonly port: number;
  readonly tlsPort: number | undefined;
  readonly wsPort: number | undefined;
  connectedGateways(): number;
  /** Every configured listener is accepting connections. */
  listening(): boolean;
  close(): Promise<void>;
}

export const DEFAULT_MAX_PACKET_BYTES = 1024 * 1024;

function authError(message: string, code: number): AuthenticateError {
  const error = new Error(message) as AuthenticateError;
  error.returnCode = code;
  return error;
}

/**
 * Every SUBSCRIBE makes Aedes look for retained messages matching it, and its persistences (memory
 * and Redis alike) scan every retained topic to do so: with each box's retained status that is
 * O(gateways) per subscribe, O(gateways²) for a fleet connecting (measured in bench:fleet: 10,000
 * boxes took 6 minutes to connect). A gateway may subscribe only to its own command topic (auth.ts),
 * where nothing can be retained (gateways may not publish there and the hub never retains), so that
 * lookup is skipped; any other subscription still gets its retained messages.
 */
function skipRetainedLookupForCommands(aedes: Aedes): void {
  const persistence = (aedes as unknown as { persistence: { createRetainedStreamCombi(patterns: string[]): Readable } }).persistence;
  const lookup = persistence.createRetainedStreamCombi.bind(persistence);
  persistence.createRetainedStreamCombi = (patterns) => (patterns.every((p) => /^rpm\/v1\/gw\/[^/+#]+\/commands$/.test(p)) ? Readable.from([]) : lookup(patterns));
}

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const { log, observer } = options;
  const gatewayOf = new WeakMap<Client, string>();
  const metaOf = new WeakMap<Client, ConnectionMeta>();
  const limiter = new ConnectRateLimiter(options.connectAttemptsPerMinute ?? 60);
  const throttle = new LogThrottle();
  const maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;

  /** One warning per reason and address per minute. Fields name ids and reasons, never secrets. */
  function logRefusal(reason: RefusalReason | DisconnectReason, meta: ConnectionMeta | undefined, fields: Record<string, unknown>, msg: string): void {
    const address = meta?.address ?? 'unknown';
    const take = throttle.take(`${reason}|${address}`);
    if (take) log.warn({ reason, address, transport: meta?.transport, ...fields, ...(take.suppressed > 0 && { suppressed: take.suppressed }) }, msg);
  }

  function refuse(client: Client, reason: RefusalReason, code: number, detail: string, fields: Record<string, unknown>, done: (e: AuthenticateError, ok: false) => void): void {
    observer?.connectionRefused(reason);
    logRefusal(reason, metaOf.get(client), { detail, ...fields }, 'connection refused');
    done(authError(detail, code), false);
  }

  const aedes = await Aedes.createBroker({
    // Aedes' own cap on topic depth; ours are 5 levels deep.
    maxTopicLevels: 8,
    // A connection must send CONNECT within 10 s, or it is closed (default 30 s).
    connectTimeout: 10_000,
    ...(options.cluster && { mq: options.cluster.mq, persistence: options.cluster.persistence, heartbeatInterval: options.cluster.heartbeatIntervalMs }),
    authenticate(client, username, password, done) {
      const meta = metaOf.get(client);
      if (!limiter.tryAcquire(meta?.address ?? 'unknown')) {
        // [MQTT-3.2.2.3] 3 = server unavailable: the client backs off and tries later.
        refuse(client, 'rate_limited', CONNACK.serverUnavailable, 'too many connection attempts from this address', {}, done);
        return;
      }
      const identity = checkConnectIdentity(client.id, username);
      if (!identity.ok) {
        refuse(client, 'bad_identity', identity.code ?? CONNACK.notAuthorized, identity.reason, { clientId: client.id.slice(0, 80) }, done);
        return;
      }
      const gatewayId = identity.value;
      if (meta?.certificateError) {
        refuse(client, 'bad_certificate', CONNACK.notAuthorized, 'client certificate not trusted', { gateway: gatewayId }, done);
        return;
      }
      if (meta?.certificateName !== undefined) {
        // A certificate signed by MQTT_TLS_CA authenticates the box named in its CN.
        if (meta.certificateName !== gatewayId) {
          refuse(client, 'bad_certificate', CONNACK.notAuthorized, 'certificate CN does not name this gateway', { gateway: gatewayId }, done);
          return;
        }
        gatewayOf.set(client, gatewayId);
        done(null, true);
        return;
      }
      options.gateways.verifyGatewaySecret(gatewayId, password?.toString('utf8') ?? '').then(
        (valid) => {
          if (!valid) {
            refuse(client, 'bad_credentials', CONNACK.badUsernameOrPassword, 'bad gateway credentials', { gateway: gatewayId }, done);
            return;
          }
          gatewayOf.set(client, gatewayId);
          done(null, true);
        },
        (err: Error) => {
          if (err instanceof ScryptGateBusyError) {
            // Load shedding in a reconnect storm: [MQTT-3.2.2.3] 3 = server unavailable, try later.
            refuse(client, 'overloaded', CONNACK.serverUnavailable, 'too many logins waiting; try again later', { gateway: gatewayId }, done);
            return;
          }
          log.error({ gateway: gatewayId, err }, 'credential check failed');
          refuse(client, 'server_error', CONNACK.serverUnavailable, 'credential check failed', { gateway: gatewayId }, done);
        },
      );
    },
    authorizePublish(client, packet, done) {
      // A will of another hub's client, swept up by Aedes after that hub went silent (maybe while
      // the box has already reconnected here, in which case `client` is its new connection).
      const from = (packet as { brokerId?: unknown }).brokerId;
      if (options.cluster && typeof from === 'string' && from !== aedes.id) {
        publishOrphanWill(packet, done);
        return;
      }
      if (options.cluster && from === aedes.id && (!client || packet !== (client as unknown as { will?: unknown }).will)) {
        keepOwnWill(client, packet, done);
        return;
      }
      const gatewayId = client ? gatewayOf.get(client) : undefined;
      if (!client || !gatewayId) {
        done(new Error('not authenticated'));
        return;
      }
      const verdict = checkPublish(gatewayId, packet.topic);
      if (!verdict.ok) {
        // Only unauthorised publishes are refused here (this closes the connection); malformed
        // payloads are acknowledged and kept as dead letters by ingest.
        observer?.disconnected('publish_refused');
        logRefusal('publish_refused', metaOf.get(client), { gateway: gatewayId, topic: packet.topic.slice(0, 200), detail: verdict.reason }, 'publish refused');
        done(new Error(verdict.reason));
        return;
      }
      const started = performance.now();
      options.ingest.handle(verdict.value, { gatewayId, topic: packet.topic, payload: packet.payload as Buffer }).then(
        () => {
          observer?.published((performance.now() - started) / 1000, true);
          done(null);
        },
        (err: Error) => {
          observer?.published((performance.now() - started) / 1000, false);
          observer?.disconnected('ingest_failed');
          logRefusal('ingest_failed', metaOf.get(client), { gateway: gatewayId, err: err.message }, 'message not stored; withholding PUBACK so the gateway resends');
          done(err);
        },
      );
    },
    authorizeSubscribe(client, subscription, done) {
      const gatewayId = gatewayOf.get(client);
      const verdict = gatewayId ? checkSubscribe(gatewayId, subscription.topic) : { ok: false as const, reason: 'not authenticated' };
      if (!verdict.ok) {
        log.warn({ gateway: gatewayId, reason: verdict.reason }, 'subscription refused');
        // [MQTT-3.9.3] a null subscription makes Aedes answer SUBACK 0x80 (failure) for this filter.
        done(null, null);
        return;
      }
      done(null, subscription);
    },
  });

  /**
   * Aedes' will sweep found one of this hub's own wills: this hub's heartbeat through Redis came
   * more than 3 intervals late (an overloaded machine), so Aedes took it for dead. Its box is
   * connected here (or its will already went out when it left, from the connection's own copy).
   * Never published: refusing would reject inside Aedes' sweep (an unhandled rejection ends the
   * process), so it becomes a message nobody hears, and the will Aedes then deletes from the shared
   * persistence is stored again for a box still connected, so the other hubs have it if this one dies.
   */
  function keepOwnWill(client: Client | null, packet: { topic: string; retain?: boolean }, done: (err?: Error | null) => void): void {
    log.warn({ topic: packet.topic.slice(0, 200) }, "own Last Will swept up (this hub's cluster heartbeat was late); not published");
    packet.topic = `$SYS/${aedes.id}/rpm/own-will`;
    packet.retain = false;
    done(null);
    const live = client as unknown as { closed?: boolean; will?: unknown } | null;
    if (live && !live.closed && live.will) {
      const persistence = (aedes as unknown as { persistence: { putWill(c: Client, w: unknown): Promise<void> } }).persistence;
      setTimeout(() => {
        if (!live.closed && live.will) persistence.putWill(client!, live.will).catch(() => undefined);
      }, 1000).unref();
    }
  }

  /** A dead hub's gateway's Last Will (see checkOrphanWill): recorded here like a status, then published. */
  function publishOrphanWill(packet: { topic: string; payload: unknown; clientId?: unknown; brokerId?: unknown; retain?: boolean }, done: (err?: Error | null) => void): void {
    const verdict = checkOrphanWill(packet);
    if (!verdict.ok) {
      log.warn({ topic: packet.topic.slice(0, 200), detail: verdict.reason }, 'Last Will of a dead hub refused');
      done(new Error(verdict.reason));
      return;
    }
    // The box reconnected (to any hub) after its old hub went silent: the will is stale and would
    // call an online box offline. Aedes publishes and deletes whatever we let through, and a refusal
    // would keep the will for ever, so it is turned into a message nobody hears.
    // Back here: any connection of that client id now is newer than the one the will guarded.
    const here = (aedes as unknown as { clients: Record<string, { closed: boolean } | undefined> }).clients[expectedClientId(verdict.value)];
    // Back elsewhere: an online status received a heartbeat after the dead hub's last one came
    // through a new connection (the old hub was surely dead by then).
    const lastBeat = typeof packet.brokerId === 'string' ? lastHeard.get(packet.brokerId) : undefined;
    const onlineAt = options.lastOnlineAt?.(verdict.value);
    const backElsewhere = lastBeat !== undefined && onlineAt !== undefined && onlineAt > lastBeat + (options.cluster?.heartbeatIntervalMs ?? 0);
    if ((here && !here.closed) || backElsewhere) {
      log.info({ gateway: verdict.value }, "dead hub's Last Will dropped: the gateway is back online");
      packet.topic = `$SYS/${aedes.id}/rpm/stale-will`;
      packet.retain = false;
      done(null);
      return;
    }
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(String(packet.payload));
    options.ingest.handle('status', { gatewayId: verdict.value, topic: packet.topic, payload }).then(
      () => done(null),
      (err: Error) => done(err),
    );
  }

  skipRetainedLookupForCommands(aedes);

  // Aedes reports failures of its cluster work (the will sweep, Redis) here; unheard, they would end the process.
  aedes.on('error' as 'clientError', (err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'broker error'));
  aedes.on('clientError', (client, err) => log.debug({ gateway: gatewayOf.get(client), err: err.message }, 'client error'));

  const handle = (stream: Duplex, meta: ConnectionMeta, req?: IncomingMessage): void => {
    const ref: { client?: Client } = {};
    guardPacketSize(stream, maxPacketBytes, (size) => {
      observer?.disconnected('packet_too_large');
      const gateway = ref.client && gatewayOf.get(ref.client);
      logRefusal('packet_too_large', meta, { gateway, size: Number.isFinite(size) ? size : 'malformed', limit: maxPacketBytes }, 'packet too large; connection closed');
    });
    ref.client = aedes.handle(stream, req);
    metaOf.set(ref.client, meta);
  };

  const listeners: Listener[] = [];
  try {
    listeners.push(await listenTcp(options.host, options.port, handle));
    if (options.tls) {
      listeners.push(
        await listenTls({ ...options.tls, host: options.tls.host ?? options.host }, handle, (address, err) => {
          observer?.connectionRefused('tls_handshake');
          logRefusal('tls_handshake', { transport: 'tls', address }, { detail: err.message.slice(0, 200) }, 'TLS handshake failed');
        }),
      );
    }
    if (options.ws) listeners.push(await listenWebSocket(options.ws.host ?? options.host, options.ws.port, maxPacketBytes, handle));
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close()));
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw err;
  }
  /** Last heartbeat heard from each hub of the cluster (epoch ms), to date a dead hub's wills. */
  const lastHeard = new Map<string, number>();
  if (options.cluster) {
    await new Promise<void>((resolve) =>
      aedes.subscribe(
        '$SYS/+/heartbeat',
        (packet, cb) => {
          lastHeard.set(packet.topic.split('/')[1] ?? '', Date.now());
          cb();
        },
        resolve,
      ),
    );
  }
  if (options.cluster && options.onRemoteGatewayMessage) {
    const hear = options.onRemoteGatewayMessage;
    // Messages this hub took in were handled by ingest already; those of other hubs arrive through Redis.
    const listen = (channel: 'status' | 'devices') =>
      new Promise<void>((resolve) =>
        aedes.subscribe(
          `rpm/v1/gw/+/${channel}`,
          (packet, cb) => {
            const from = (packet as { brokerId?: string }).brokerId;
            const gatewayId = packet.topic.split('/')[3];
            if (from !== undefined && from !== aedes.id && gatewayId) hear(channel, gatewayId, packet.payload as Buffer);
            cb();
          },
          resolve,
        ),
      );
    await Promise.all([listen('status'), listen('devices')]);
  }
  const portOf = (transport: string) => listeners.find((l) => l.transport === transport)?.port;
  for (const l of listeners) log.info({ transport: l.transport, host: options.host, port: l.port }, 'MQTT broker listening');

  return {
    aedes,
    port: portOf('tcp')!,
    tlsPort: portOf('tls'),
    wsPort: portOf('ws'),
    connectedGateways: () => aedes.connectedClients,
    listening: () => !aedes.closed && listeners.every((l) => l.listening()),
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await Promise.all(listeners.map((l) => l.close()));
    },
  };
}
