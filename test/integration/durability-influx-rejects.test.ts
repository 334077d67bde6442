/**
 * Points InfluxDB itself refuses (HTTP 400) do not block the spool: the drainer bisects the batch,
 * moves exactly the refused points to the dead letters with InfluxDB's reason, stores all the others,
 * and carries on. Provoked for real: a string `systolic` written first into one week's shard makes
 * every float `systolic` of that week a field type conflict (InfluxDB 1.x types fields per shard).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../contract/index.js';
import { metricValue } from '../support/hub-process.js';
import { countsByDevice, readingPayloads, simGateways } from '../support/ingest-load.js';
import { startIngestHub, type IngestHub } from '../support/ingest-hub.js';
import { ReliablePublisher } from '../support/reliable-publisher.js';
import { waitFor } from '../support/wait-for.js';

const [gateway] = simGateways(1, 'rej');
const g = gateway!;

describe('points InfluxDB refuses', () => {
  let fixture: IngestHub;
  beforeAll(async () => {
    fixture = await startIngestHub([g]);
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('become dead letters with the reason, and every other point is stored', async () => {
    const conflictWeek = Date.UTC(2025, 0, 7);
    const goodWeek = Date.UTC(2025, 2, 4);
    await fixture.influx.write(`blood_pressure,device=seed,gateway=seed,patient=seed systolic="high" ${conflictWeek - 3600_000}`);

    const conflicting = readingPayloads('rej-a', g, 5, 10, conflictWeek);
    const fine = readingPayloads('rej-b', g, 5, 10, goodWeek);
    const messages = conflicting.flatMap((c, i) => [c, fine[i]!]);
    const publisher = new ReliablePublisher({ url: fixture.mqttUrl, gatewayId: g.gatewayId, secret: g.secret, topic: topics.readings(g.gatewayId), window: 10 }, messages);
    await publisher.run();

    await waitFor('an empty spool', async () => (metricValue(await fixture.metrics(), 'rpm_spool_pending_points') === 0 ? true : undefined));
    expect((await countsByDevice(fixture.influx)).get(g.deviceId)).toEqual({ points: 50, distinctIds: 50 });
    const stored = await fixture.influx.query('SELECT count("systolic") FROM "blood_pressure" WHERE "device" = $d AND time >= $t', { d: g.deviceId, t: new Date(goodWeek).toISOString() });
    expect(stored[0]?.values[0]?.[1]).toBe(50);

    const letters = (await fixture.hub.deadLetters.list(1000)).filter((l) => l.reasonCode === 'influx_rejected');
    expect(letters).toHaveLength(50);
    expect(letters[0]).toMatchObject({ gatewayId: g.gatewayId });
    expect(letters[0]!.reason).toMatch(/^InfluxDB refused the point \(HTTP 400\): .*field type conflict/);
    // The letter keeps the point itself for an admin; its timestamp is in the conflicting week.
    const lp = letters.map((l) => Number(l.payload.split(' ').at(-1)));
    expect(lp.every((t) => t >= conflictWeek && t < conflictWeek + 7 * 86_400_000)).toBe(true);

    const text = await fixture.metrics();
    expect(metricValue(text, 'rpm_influx_points_dead_lettered_total')).toBe(50);
    expect(metricValue(text, 'rpm_ingest_refused_total', 'reason="influx_rejected"')).toBe(50);
    expect(metricValue(text, 'rpm_influx_write_errors_total', 'kind="bad_request"')).toBeGreaterThan(0);

    // The log says that points were refused, without the points (they carry the patient tag).
    expect(fixture.logLines.some((l) => l.includes('InfluxDB refused points; kept as dead letters'))).toBe(true);
    for (const line of fixture.logLines) expect(line).not.toContain(g.patientId);
  });
});
