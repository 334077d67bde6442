/**
 * MQTT topic map, versioned so a v2 can run beside v1 during a fleet upgrade.
 *
 *   rpm/v1/gw/{gatewayId}/readings   gateway -> hub   batches of readings, QoS 1
 *   rpm/v1/gw/{gatewayId}/status     gateway -> hub   retained; the Last Will says offline
 *   rpm/v1/gw/{gatewayId}/devices    gateway -> hub   device presence, battery, clock offset
 *   rpm/v1/gw/{gatewayId}/events     gateway -> hub   outbox drops and other gateway-side events
 *   rpm/v1/gw/{gatewayId}/commands   hub -> gateway   register / unregister devices, settings
 *   rpm/v1/alerts/{careTeamId}/{alertId}  hub -> subscribers
 */

export const TOPIC_ROOT = 'rpm/v1';

export const GATEWAY_CHANNELS = ['readings', 'status', 'devices', 'events', 'commands'] as const;
export type GatewayChannel = (typeof GATEWAY_CHANNELS)[number];

/** Channels a gateway itself may publish on; `commands` flows the other way. */
export const GATEWAY_PUBLISH_CHANNELS: readonly GatewayChannel[] = ['readings', 'status', 'devices', 'events'];

/**
 * Identifiers that appear inside topics: lowercase letters, digits, '-' and '_'.
 * [MQTT-4.7.1] '+' and '#' are wildcards and '/' a level separator, so none may appear in an id.
 */
export const TOPIC_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function isTopicId(value: string): boolean {
  return TOPIC_ID_PATTERN.test(value);
}

function assertTopicId(what: string, value: string): void {
  if (!isTopicId(value)) {
    throw new Error(`${what} "${value}" is not a valid topic id (expected ${String(TOPIC_ID_PATTERN)})`);
  }
}

export function gatewayTopic(gatewayId: string, channel: GatewayChannel): string {
  assertTopicId('gatewayId', gatewayId);
  return `${TOPIC_ROOT}/gw/${gatewayId}/${channel}`;
}

export const topics = {
  readings: (gatewayId: string) => gatewayTopic(gatewayId, 'readings'),
  status: (gatewayId: string) => gatewayTopic(gatewayId, 'status'),
  devices: (gatewayId: string) => gatewayTopic(gatewayId, 'devices'),
  events: (gatewayId: string) => gatewayTopic(gatewayId, 'events'),
  commands: (gatewayId: string) => gatewayTopic(gatewayId, 'commands'),
  alert: (careTeamId: string, alertId: string) => {
    assertTopicId('careTeamId', careTeamId);
    assertTopicId('alertId', alertId);
    return `${TOPIC_ROOT}/alerts/${careTeamId}/${alertId}`;
  },
  /** Subscription filter for every gateway's channel, as the hub uses it. */
  allGateways: (channel: GatewayChannel) => `${TOPIC_ROOT}/gw/+/${channel}`,
  /** Subscription filter for one care team's alerts. */
  teamAlerts: (careTeamId: string) => {
    assertTopicId('careTeamId', careTeamId);
    return `${TOPIC_ROOT}/alerts/${careTeamId}/#`;
  },
} as const;

export type ParsedTopic =
  | { readonly ok: true; readonly type: 'gateway'; readonly gatewayId: string; readonly channel: GatewayChannel }
  | { readonly ok: true; readonly type: 'alert'; readonly careTeamId: string; readonly alertId: string }
  | { readonly ok: false; readonly reason: string };

export function parseTopic(topic: string): ParsedTopic {
  const parts = topic.split('/');
  if (parts[0] !== 'rpm') return { ok: false, reason: `topic does not start with "rpm/": ${topic}` };
  if (parts[1] !== 'v1') return { ok: false, reason: `unsupported topic version "${parts[1] ?? ''}"` };
  if (parts[2] === 'gw') {
    const [, , , gatewayId, channel, ...rest] = parts;
    if (gatewayId === undefined || !isTopicId(gatewayId)) return { ok: false, reason: 'invalid gateway id in topic' };
    if (rest.length > 0 || channel === undefined) return { ok: false, reason: 'gateway topics have exactly 5 levels' };
    if (!(GATEWAY_CHANNELS as readonly string[]).includes(channel)) {
      return { ok: false, reason: `unknown gateway channel "${channel}"` };
    }
    return { ok: true, type: 'gateway', gatewayId, channel: channel as GatewayChannel };
  }
  if (parts[2] === 'alerts') {
    const [, , , careTeamId, alertId, ...rest] = parts;
    if (careTeamId === undefined || !isTopicId(careTeamId)) return { ok: false, reason: 'invalid care team id in topic' };
    if (alertId === undefined || !isTopicId(alertId) || rest.length > 0) return { ok: false, reason: 'invalid alert id in topic' };
    return { ok: true, type: 'alert', careTeamId, alertId };
  }
  return { ok: false, reason: `unknown topic family "${parts[2] ?? ''}"` };
}
