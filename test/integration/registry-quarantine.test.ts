/**
 * Quarantined readings (patient tag `_unassigned`) join the patient's series after an assignment:
 * real InfluxDB, the SQL registry on PGlite, the same rule the ingest uses.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '../../contract/index.js';
import { assignAndMoveReadings, moveQuarantinedReadings } from '../../hub/registry/device-assigner.js';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { earliestUnassigned } from '../../hub/storage/quarantine.js';
import { toLineProtocol } from '../../hub/storage/reading-points.js';
import { createReadingsRepository } from '../../hub/storage/readings-repository.js';
import { listUnassignedDevices } from '../../hub/storage/unassigned-inbox.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { cuffReading } from '../support/readings.js';
import { freshPglite } from '../support/sql-fixture.js';

const CUFF = 'sn-CUFF-0042';

function bp(id: string, measuredAt: string, systolic: number, userIndex?: number): Reading {
  return cuffReading({ id, deviceId: CUFF, measuredAt, systolic, diastolic: 81.5, late: true, ...(userIndex !== undefined && { userIndex }) });
}

function spo2(id: string, measuredAt: string): Reading {
  return {
    id,
    kind: 'spo2',
    device: { id: CUFF },
    components: [{ name: 'spo2', code: '59408-5', value: 94, unit: '%' }],
    measuredAt,
    receivedAt: measuredAt,
    timeSource: 'device',
    clockSuspect: false,
    late: false,
  };
}

describe('quarantine: moving unassigned readings to the patient', () => {
  let influx: InfluxV1Client;
  let registry: SqlRegistry;

  beforeEach(async () => {
    influx = await freshInfluxDatabase('quarantine');
    registry = new SqlRegistry(await freshPglite());
    await registry.createCareTeam({ id: 'team-north', displayName: 'North' });
    await registry.createPatient({ id: 'p-1', careTeamId: 'team-north', displayName: 'A' });
    await registry.createPatient({ id: 'p-2', careTeamId: 'team-north', displayName: 'B' });
  });
  afterEach(async () => {
    await registry.db.close();
  });

  const store = (readings: Reading[], gatewayId = 'home-0001') => influx.write(readings.map((reading) => toLineProtocol({ reading, gatewayId, patientId: undefined, implausible: false })));
  const readingsOf = (patientId: string, kind: 'blood_pressure' | 'spo2' = 'blood_pressure') =>
    createReadingsRepository(influx).list({ patientId, kind, from: new Date('2020-01-01T00:00:00Z'), to: new Date('2030-01-01T00:00:00Z'), limit: 100 });

  it('moves every waiting reading of the device, all fields and types intact, and empties the quarantine', async () => {
    await store([bp('r-1', '2026-03-01T08:00:00.000Z', 151), bp('r-2', '2026-03-02T08:00:00.000Z', 149), spo2('r-3', '2026-03-02T09:00:00.000Z')]);
    await store([bp('r-4', '2026-03-03T08:00:00.000Z', 147)], 'home-0002'); // the cuff moved house
    expect(await listUnassignedDevices(influx)).toEqual([
      expect.objectContaining({ deviceId: CUFF, gatewayId: 'home-0002', count: 1 }),
      expect.objectContaining({ deviceId: CUFF, gatewayId: 'home-0001', count: 3, kinds: ['blood_pressure', 'spo2'], firstMeasuredAt: '2026-03-01T08:00:00.000Z' }),
    ]);
    const before = await createReadingsRepository(influx).list({
      patientId: '_unassigned',
      kind: 'blood_pressure',
      from: new Date('2020-01-01T00:00:00Z'),
      to: new Date('2030-01-01T00:00:00Z'),
      limit: 100,
    });

    const result = await assignAndMoveReadings(registry, influx, { deviceId: CUFF, patientId: 'p-1' });
    // No --from: the assignment starts at the first waiting reading, so all of them are covered.
    expect(result.assignment.validFrom).toBe('2026-03-01T08:00:00.000Z');
    expect(result).toMatchObject({ moved: 4, stillUnassigned: 0 });

    const after = await readingsOf('p-1');
    // Same ids, values, gateways, received times, flags; and now how their patient was decided.
    expect(after).toEqual(before.map((r) => ({ ...r, attribution: 'manual_assignment' })));
    expect(after.map((r) => r.gatewayId)).toEqual(['home-0001', 'home-0001', 'home-0002']);
    expect((await readingsOf('p-1', 'spo2')).map((r) => r.id)).toEqual(['r-3']);
    expect(await listUnassignedDevices(influx)).toEqual([]);
    // The integer and boolean fields kept their types: a new reading for p-1 still writes.
    await influx.write(toLineProtocol({ reading: bp('r-5', '2026-03-04T08:00:00.000Z', 140), gatewayId: 'home-0002', patientId: 'p-1', implausible: false }));
    expect(await readingsOf('p-1')).toHaveLength(4);
  });

  it('moves only what an assignment covers: other user indexes and earlier times stay in quarantine', async () => {
    await store([
      bp('r-u1-early', '2026-02-01T08:00:00.000Z', 150, 1),
      bp('r-u1', '2026-03-01T08:00:00.000Z', 151, 1),
      bp('r-u2', '2026-03-01T09:00:00.000Z', 139, 2),
      bp('r-none', '2026-03-01T10:00:00.000Z', 128),
    ]);
    expect(await earliestUnassigned(influx, CUFF, 2)).toEqual(new Date('2026-03-01T09:00:00.000Z'));
    const result = await assignAndMoveReadings(registry, influx, { deviceId: CUFF, userIndex: 1, patientId: 'p-1', from: '2026-02-15T00:00:00Z' });
    expect(result).toMatchObject({ moved: 1, stillUnassigned: 3 });
    expect((await readingsOf('p-1')).map((r) => r.id)).toEqual(['r-u1']);
    expect(await listUnassignedDevices(influx)).toEqual([expect.objectContaining({ deviceId: CUFF, count: 3 })]);

    // User 2 to another patient: the user-index rule decides, as in ingest.
    await assignAndMoveReadings(registry, influx, { deviceId: CUFF, userIndex: 2, patientId: 'p-2' });
    expect((await readingsOf('p-2')).map((r) => r.id)).toEqual(['r-u2']);
    // Running the move again changes nothing and loses nothing.
    expect(await moveQuarantinedReadings(registry, influx, CUFF)).toEqual({ moved: 0, stillUnassigned: 2 });
    expect((await readingsOf('p-1')).map((r) => r.id)).toEqual(['r-u1']);
  });

  it('a refused assignment moves nothing', async () => {
    await store([bp('r-1', '2026-03-01T08:00:00.000Z', 151)]);
    await registry.assignDevice({ deviceId: CUFF, patientId: 'p-2', from: '2026-03-02T00:00:00Z' });
    // From the first waiting reading (1 March) would overlap p-2's assignment that starts 2 March.
    await expect(assignAndMoveReadings(registry, influx, { deviceId: CUFF, patientId: 'p-1' })).rejects.toThrow(/is assigned to patient p-2 from 2026-03-02/);
    expect(await readingsOf('p-1')).toEqual([]);
    expect(await listUnassignedDevices(influx)).toEqual([expect.objectContaining({ deviceId: CUFF, count: 1 })]);
  });
});
