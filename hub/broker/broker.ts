/**
 * The embedded MQTT broker: Aedes on TCP with the policy from auth.ts, and ingest inside
 * authorizePublish. Aedes sends PUBACK right after authorizePublish calls back (its
 * lib/handlers/publish.js), so calling back only once ingest has made the message durable is what
 * makes a PUBACK mean "stored". Ingest failing (storage down) closes the connection without PUBACK;
 * the gateway keeps the readings in its outbox and sends them again.
 */
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { createServer, type Server } from 'node:net';
import type { GatewayDirectory } from '../registry/registry.js';
import type { Ingest } from '../ingest/ingest.js';
import type { Logger } from '../log.js';
import { CONNACK, checkConnectIdentity, checkPublish, checkSubscribe } from './auth.js';

export interface BrokerOptions {
  readonly host: string;
  readonly port: number;
  readonly gateways: GatewayDirectory;
  readonly ingest: Ingest;
  readonly log: Logger;
}

export interface RunningBroker {
  readonly aedes: Aedes;
  readonly port: number;
  connectedGateways(): number;
  close(): Promise<void>;
}

function authError(message: string, code: number): AuthenticateError {
  const error = new Error(message) as AuthenticateError;
  error.returnCode = code;
  return error;
}

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const { log } = options;
  const gatewayOf = new WeakMap<Client, string>();

  const aedes = await Aedes.createBroker({
    // Aedes' own cap on topic depth; ours are 5 levels deep.
    maxTopicLevels: 8,
    authenticate(client, username, password, done) {
      const identity = checkConnectIdentity(client.id, username);
      if (!identity.ok) {
        log.warn({ clientId: client.id.slice(0, 80), reason: identity.reason }, 'connection refused');
        done(authError(identity.reason, identity.code ?? CONNACK.notAuthorized), false);
        return;
      }
      const gatewayId = identity.value;
      options.gateways.verifyGatewaySecret(gatewayId, password?.toString('utf8') ?? '').then(
        (valid) => {
          if (!valid) {
            log.warn({ gateway: gatewayId }, 'connection refused: bad gateway credentials');
            done(authError('bad username or password', CONNACK.badUsernameOrPassword), false);
            return;
          }
          gatewayOf.set(client, gatewayId);
          done(null, true);
        },
        (err: Error) => {
          log.error({ gateway: gatewayId, err: err.message }, 'credential check failed');
          done(authError('server unavailable', CONNACK.serverUnavailable), false);
        },
      );
    },
    authorizePublish(client, packet, done) {
      const gatewayId = client ? gatewayOf.get(client) : undefined;
      if (!gatewayId) {
        done(new Error('not authenticated'));
        return;
      }
      const verdict = checkPublish(gatewayId, packet.topic);
      if (!verdict.ok) {
        // Only unauthorised publishes are refused here (this closes the connection); malformed
        // payloads are acknowledged and kept as dead letters by ingest.
        log.warn({ gateway: gatewayId, topic: packet.topic.slice(0, 200), reason: verdict.reason }, 'publish refused');
        done(new Error(verdict.reason));
        return;
      }
      options.ingest.handle(verdict.value, { gatewayId, topic: packet.topic, payload: packet.payload as Buffer }).then(
        () => done(null),
        (err: Error) => {
          log.error({ gateway: gatewayId, err: err.message }, 'message not stored; withholding PUBACK so the gateway resends');
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

  aedes.on('clientError', (client, err) => log.debug({ gateway: gatewayOf.get(client), err: err.message }, 'client error'));

  // Nagle off on broker sockets: small PUBACKs otherwise wait ~40 ms (measured, DESIGN.md).
  const server: Server = createServer({ noDelay: true }, (socket) => aedes.handle(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log.info({ host: options.host, port }, 'MQTT broker listening');

  return {
    aedes,
    port,
    connectedGateways: () => aedes.connectedClients,
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
