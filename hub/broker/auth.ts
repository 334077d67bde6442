/**
 * Broker policy, pure: who a client is, what it may publish and subscribe to. broker.ts wires these
 * into Aedes' hooks. A gateway authenticates with username = its id and password = its secret,
 * uses client id `gw-{id}` (so no one can take over another box's session), publishes only under
 * rpm/v1/gw/{its id}/ and subscribes only to its own command topic.
 */
import { GATEWAY_PUBLISH_CHANNELS, isTopicId, parseTopic, topics, type GatewayChannel } from '../../contract/index.js';

export type Verdict<T = undefined> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

// [MQTT-3.2.2.3] CONNACK return codes for MQTT 3.1.1.
export const CONNACK = {
  identifierRejected: 2,
  serverUnavailable: 3,
  badUsernameOrPassword: 4,
  notAuthorized: 5,
} as const;

export function expectedClientId(gatewayId: string): string {
  return `gw-${gatewayId}`;
}

/** Checks the shape of a CONNECT before any secret is verified. */
export function checkConnectIdentity(clientId: string, username: string | undefined): Verdict<string> & { code?: number } {
  if (!username || !isTopicId(username)) return { ok: false, reason: 'missing or malformed username', code: CONNACK.badUsernameOrPassword };
  if (clientId !== expectedClientId(username)) {
    return { ok: false, reason: `client id must be ${expectedClientId(username)}`, code: CONNACK.identifierRejected };
  }
  return { ok: true, value: username };
}

export function checkPublish(gatewayId: string, topic: string): Verdict<GatewayChannel> {
  const parsed = parseTopic(topic);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  if (parsed.type !== 'gateway') return { ok: false, reason: 'gateways may not publish alerts' };
  if (parsed.gatewayId !== gatewayId) return { ok: false, reason: "publish to another gateway's topic" };
  if (!GATEWAY_PUBLISH_CHANNELS.includes(parsed.channel)) return { ok: false, reason: `gateways may not publish on ${parsed.channel}` };
  return { ok: true, value: parsed.channel };
}

export function checkSubscribe(gatewayId: string, topicFilter: string): Verdict {
  if (topicFilter === topics.commands(gatewayId)) return { ok: true, value: undefined };
  return { ok: false, reason: 'gateways may subscribe only to their own command topic' };
}

/**
 * A Last Will Aedes publishes for a gateway of another hub that died (in a cluster; the will comes
 * from the shared persistence, with no client behind it). It was stored by a hub that authenticated
 * the gateway as its client id, so it is accepted when it names that gateway's own status topic.
 */
export function checkOrphanWill(will: { readonly topic: string; readonly clientId?: unknown }): Verdict<string> {
  const parsed = parseTopic(will.topic);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  if (parsed.type !== 'gateway' || parsed.channel !== 'status') return { ok: false, reason: 'a Last Will may only be a gateway status' };
  if (will.clientId !== expectedClientId(parsed.gatewayId)) return { ok: false, reason: "a Last Will for another gateway's topic" };
  return { ok: true, value: parsed.gatewayId };
}
