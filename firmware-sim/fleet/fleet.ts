/**
 * A fleet of lean simulated gateways (lean-gateway.ts) against a hub or a load balancer, with
 * realistic schedules: each home measures a few times a day (`readingEveryMs`, default 8 h, first
 * at a random moment) and sends a status heartbeat (`heartbeatMs`, default 60 s), all at random
 * phases so the fleet does not pulse. Connections are opened at `connectPerS` (a ramp, as boxes
 * powered on over time) from several loopback source addresses when asked (127.0.0.1-N), since one
 * address pair has only ~28,000 ephemeral ports.
 */
import { seededRandom } from '../physiology/random.js';
import { LeanGateway, newCounters, type FleetCounters } from './lean-gateway.js';

/** Fleet ids as rpm-sim fleet and bench:fleet use them: PREFIX-00001 … */
export function fleetGatewayId(prefix: string, i: number): string {
  return `${prefix}-${String(i + 1).padStart(5, '0')}`;
}

export interface FleetOptions {
  readonly host: string;
  readonly port: number;
  /** Gateway ids and secrets, as registered on the hub. */
  readonly gateways: readonly { readonly id: string; readonly secret: string }[];
  readonly connectPerS?: number;
  readonly localAddresses?: number;
  readonly readingEveryMs?: number;
  readonly heartbeatMs?: number;
  readonly keepaliveS?: number;
  readonly seed?: number;
}

export interface Fleet {
  readonly counters: FleetCounters;
  readonly gateways: readonly LeanGateway[];
  /** Resolves once every gateway has connected at least once since `since` (performance.now()). */
  allConnectedSince(since: number): boolean;
  unacknowledged(): number;
  /** Stops measuring and heartbeats; connections stay (tests: let the outboxes empty). */
  stopSchedules(): void;
  /** Drops every connection at once; the gateways reconnect by themselves. */
  dropAll(): void;
  stop(): void;
}

export function startFleet(o: FleetOptions): Fleet {
  const random = seededRandom(o.seed ?? 1);
  const counters = newCounters();
  const addresses = Math.max(1, o.localAddresses ?? 1);
  const gateways = o.gateways.map(
    (g, i) =>
      new LeanGateway(
        { gatewayId: g.id, secret: g.secret, host: o.host, port: o.port, keepaliveS: o.keepaliveS ?? 60, random, ...(addresses > 1 && { localAddress: `127.0.0.${(i % addresses) + 1}` }) },
        counters,
      ),
  );
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => void) => {
    // A random phase, then a fixed period: the fleet's load is spread evenly.
    const first = setTimeout(() => {
      fn();
      const t = setInterval(fn, ms);
      t.unref();
      timers.push(t);
    }, random() * ms);
    first.unref();
    timers.push(first);
  };
  const perS = o.connectPerS ?? 1000;
  let next = 0;
  const ramp = setInterval(() => {
    const batch = Math.max(1, Math.round(perS / 20));
    for (let k = 0; k < batch && next < gateways.length; k++) {
      const g = gateways[next++]!;
      g.start();
      every(o.readingEveryMs ?? 8 * 3600_000, () => g.measure());
      every(o.heartbeatMs ?? 60_000, () => g.heartbeat());
    }
    if (next >= gateways.length) clearInterval(ramp);
  }, 50);
  return {
    counters,
    gateways,
    allConnectedSince: (since) => gateways.every((g) => g.connected && g.connectedAt >= since),
    unacknowledged: () => gateways.reduce((n, g) => n + g.unacknowledged, 0),
    dropAll: () => gateways.forEach((g) => g.drop()),
    stopSchedules() {
      clearInterval(ramp);
      for (const t of timers) clearTimeout(t);
    },
    stop() {
      clearInterval(ramp);
      for (const t of timers) clearTimeout(t);
      for (const g of gateways) g.stop();
    },
  };
}
