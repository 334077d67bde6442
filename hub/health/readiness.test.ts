import { describe, expect, it } from 'vitest';
import type { SpoolStats } from '../spool/spool.js';
import { checkReadiness, type ReadinessSources } from './readiness.js';

const spool = (writable: boolean): SpoolStats => ({ pendingPoints: 12, pendingBytes: 3000, oldestAgeSeconds: 4.26, segments: 1, writable, commits: 0, appends: 0 });

function sources(overrides: Partial<ReadinessSources>): ReadinessSources {
  return {
    brokerListening: () => true,
    spool: () => spool(true),
    drainer: () => ({ influxReachable: true, lastError: undefined, consecutiveFailures: 0 }),
    pingInflux: () => Promise.resolve(true),
    ...overrides,
  };
}

describe('readiness', () => {
  it('is ready while InfluxDB is down (the spool covers it), and says so', async () => {
    const report = await checkReadiness(
      sources({ pingInflux: () => Promise.resolve(false), drainer: () => ({ influxReachable: false, lastError: 'unreachable', consecutiveFailures: 7 }) }),
    );
    expect(report).toEqual({
      ready: true,
      broker: { listening: true },
      spool: { writable: true, pendingPoints: 12, oldestAgeSeconds: 4.3 },
      influx: { reachable: false, writesFailing: true, lastError: 'unreachable' },
    });
  });

  it('is not ready when the broker does not listen or the spool cannot be written', async () => {
    expect((await checkReadiness(sources({ brokerListening: () => false }))).ready).toBe(false);
    expect((await checkReadiness(sources({ spool: () => spool(false) }))).ready).toBe(false);
  });

  it('treats a ping that hangs or throws as unreachable', async () => {
    const hanging = await checkReadiness(sources({ pingInflux: () => new Promise(() => undefined) }));
    expect(hanging.influx.reachable).toBe(false);
    const throwing = await checkReadiness(sources({ pingInflux: () => Promise.reject(new Error('boom')) }));
    expect(throwing.influx.reachable).toBe(false);
  });
});
