/**
 * After an outage the link replays the outbox at a throttled rate (replayRatePerS): each batch of n
 * readings is followed by a wait so that n readings take at least n / rate seconds. The clock is
 * injected, so the test checks the waits the link asks for, not wall-clock time.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayLink } from '../../gateway/mqtt/gateway-link.js';
import { FileOutbox } from '../../gateway/outbox/outbox.js';
import { defaultSeed, FIXTURE, startHubFixture, type HubFixture } from '../support/hub-fixture.js';
import { pointsOf } from '../support/influx-points.js';
import { testReading } from '../support/readings.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

describe('replay after an outage', () => {
  let fixture: HubFixture;
  let dir: { path: string; remove: () => Promise<void> };
  beforeAll(async () => {
    fixture = await startHubFixture(await defaultSeed());
    dir = await tempDir('gw-replay');
  });
  afterAll(async () => {
    await fixture?.close();
    await dir?.remove();
  });

  it('paces a backlog at the configured rate, in order, and empties the outbox', async () => {
    const outbox = await FileOutbox.open({ dir: dir.path });
    const start = Date.UTC(2026, 2, 1);
    const backlog = Array.from({ length: 60 }, (_, i) => ({ ...testReading(`replay-${i}`, new Date(start + i * 60_000)), device: { id: FIXTURE.cuffDeviceId } }));
    await outbox.append(backlog);
    const waits: number[] = [];
    const link = new GatewayLink(
      {
        url: fixture.mqttUrl,
        gatewayId: FIXTURE.gatewayId,
        secret: FIXTURE.gatewaySecret,
        heartbeatS: 60,
        batchSize: 20,
        replayRatePerS: 10,
        software: 'test',
        timeZone: 'Europe/Copenhagen',
        bluetoothState: () => 'simulated',
        // A frozen clock: the publish itself takes no time, so every batch owes the full 20 / 10 s.
        clock: { now: () => 0, sleep: async (ms) => void waits.push(ms) },
      },
      outbox,
      pino({ level: 'silent' }),
    );
    link.start();
    await waitFor('an empty outbox', () => (outbox.depth === 0 ? true : undefined));
    await link.stop();
    await outbox.close();
    expect(waits).toEqual([2000, 2000, 2000]);
    // The hub acknowledged them durably; its store may reach InfluxDB a moment later.
    const rows = await waitFor('all 60 in InfluxDB', async () => {
      const r = await pointsOf(fixture.influx, 'blood_pressure');
      return r.length === 60 ? r : undefined;
    });
    expect(rows.map((r) => r.reading_id).sort()).toEqual(backlog.map((r) => r.id).sort());
  });
});
