/**
 * Where a gateway finds its hub and how fast it tries again. A box may name several hubs (or the
 * load balancer, or both) as a comma-separated `hubUrl`; mqtt.js tries them in turn, one per
 * reconnect. The wait before each reconnect grows exponentially and is jittered (contract/backoff.ts,
 * "equal" jitter: between half and all of the delay), so the thousands of boxes a hub restart drops
 * at once come back spread out instead of in one wave. Pure.
 */
import type { IClientOptions } from 'mqtt';
import { backoffMs, type Backoff } from '../../contract/backoff.js';

export const HUB_URL_PATTERN = /^(mqtts?|wss?|tcp|tls):\/\/[^,\s]+(\s*,\s*(mqtts?|wss?|tcp|tls):\/\/[^,\s]+)*$/;

/** 1 s doubling to 60 s: a hub restart costs a box about a second, an outage at most a minute's wait. */
export const RECONNECT_BACKOFF: Backoff = { baseMs: 1000, maxMs: 60_000, jitter: { kind: 'equal' } };

export function hubUrls(hubUrl: string): string[] {
  return hubUrl
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
}

/** The URL to connect to first and, for more than one, mqtt.js' `servers` list (tried in turn on reconnect). */
export function serverOptions(hubUrl: string): { url: string; options: Pick<IClientOptions, 'servers'> } {
  const urls = hubUrls(hubUrl);
  if (urls.length <= 1) return { url: urls[0] ?? hubUrl, options: {} };
  const servers = urls.map((u) => {
    const parsed = new URL(u);
    const raw = parsed.protocol.replace(/:$/, '');
    const protocol = (raw === 'tls' ? 'mqtts' : raw) as NonNullable<IClientOptions['servers']>[number]['protocol'];
    return { host: parsed.hostname, port: Number(parsed.port || (protocol === 'mqtts' ? 8883 : 1883)), protocol };
  });
  return { url: urls[0]!, options: { servers } };
}

/** The wait before reconnect attempt `attempt` (1 after a connection was lost). */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  return backoffMs(attempt, RECONNECT_BACKOFF, random);
}
