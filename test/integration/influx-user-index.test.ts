/**
 * Two users of one multi-user device (a shared cuff) who measure in the same millisecond: user_index
 * is in the series key, so both points survive, are read back, and move out of quarantine apart.
 * Real InfluxDB, the SQL registry on PGlite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '../../contract/index.js';
import { assignAndMoveReadings } from '../../hub/registry/device-assigner.js';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { readingLine } from '../../hub/storage/reading-line.js';
import { toLineProtocol, type StoredReading } from '../../hub/storage/reading-points.js';
import { createReadingsRepository } from '../../hub/storage/readings-repository.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { cuffReading } from '../support/readings.js';
import { freshPglite } from '../support/sql-fixture.js';

const CUFF = 'sn-CUFF-0077';
const AT = '2026-03-05T08:00:00.123Z';

function bp(id: string, systolic: number, userIndex?: number, measuredAt = AT): Reading {
  return cuffReading({ id, deviceId: CUFF, measuredAt, systolic, ...(userIndex !== undefined && { userIndex }) });
}

describe('user_index in the series key', () => {
  let influx: InfluxV1Client;
  let registry: SqlRegistry;
  const stored = (reading: Reading, patientId: string | undefined): StoredReading => ({ reading, gatewayId: 'home-0001', patientId, implausible: false });
  const readingsOf = (patientId: string) =>
    createReadingsRepository(influx).list({ patientId, kind: 'blood_pressure', from: new Date('2020-01-01T00:00:00Z'), to: new Date('2030-01-01T00:00:00Z'), limit: 100 });
  const summary = async (patientId: string) => (await readingsOf(patientId)).map((r) => [r.id, r.userIndex, r.components[0]?.value]).sort();

  beforeEach(async () => {
    influx = await freshInfluxDatabase('user_index');
    registry = new SqlRegistry(await freshPglite());
    await registry.createCareTeam({ id: 'team-north', displayName: 'North' });
    await registry.createPatient({ id: 'p-1', careTeamId: 'team-north', displayName: 'A' });
    await registry.createPatient({ id: 'p-2', careTeamId: 'team-north', displayName: 'B' });
  });
  afterEach(async () => {
    await registry.db.close();
  });

  it('keeps both users measuring in the same millisecond, written by the fast path and by Point', async () => {
    await influx.write([readingLine(stored(bp('r-u1', 121, 1), 'p-1')), toLineProtocol(stored(bp('r-u2', 122, 2), 'p-1'))]);
    expect(await summary('p-1')).toEqual([
      ['r-u1', 1, 121],
      ['r-u2', 2, 122],
    ]);
  });

  it('moves one user out of quarantine and leaves the other, measured at the same instant, in it', async () => {
    await influx.write([bp('r-u1', 121, 1), bp('r-u2', 122, 2)].map((r) => readingLine(stored(r, undefined))));
    const result = await assignAndMoveReadings(registry, influx, { deviceId: CUFF, userIndex: 1, patientId: 'p-1' });
    expect(result).toMatchObject({ moved: 1, stillUnassigned: 1 });
    expect(await summary('p-1')).toEqual([['r-u1', 1, 121]]);
    expect(await summary('_unassigned')).toEqual([['r-u2', 2, 122]]);
    await assignAndMoveReadings(registry, influx, { deviceId: CUFF, userIndex: 2, patientId: 'p-2' });
    expect(await summary('p-2')).toEqual([['r-u2', 2, 122]]);
    expect(await summary('_unassigned')).toEqual([]);
  });

  it('still reads points written before the change, with user_index as a field, beside new ones', async () => {
    const legacy = '2026-03-04T08:00:00.000Z';
    const legacyLine = (patient: string) =>
      `blood_pressure,device=${CUFF},gateway=home-0001,patient=${patient} clock_suspect=F,diastolic=80,implausible=F,late=F,reading_id="r-old",` +
      `received_at=1772784000000i,systolic=118,time_source="device",user_index=1i ${Date.parse(legacy)}`;
    await influx.write([legacyLine('p-1'), readingLine(stored(bp('r-new', 121, 2), 'p-1')), readingLine(stored(bp('r-none', 125), 'p-1'))]);
    expect(await summary('p-1')).toEqual([
      ['r-new', 2, 121],
      ['r-none', undefined, 125],
      ['r-old', 1, 118],
    ]);

    // In quarantine too: the move finds the old point by its field, carries it as a tag, and deletes the old copy.
    await influx.write([legacyLine('_unassigned'), readingLine(stored(bp('r-q2', 122, 2), undefined))]);
    const result = await assignAndMoveReadings(registry, influx, { deviceId: CUFF, userIndex: 1, patientId: 'p-2' });
    expect(result.assignment.validFrom).toBe(legacy);
    expect(result).toMatchObject({ moved: 1, stillUnassigned: 1 });
    expect(await summary('p-2')).toEqual([['r-old', 1, 118]]);
    expect(await summary('_unassigned')).toEqual([['r-q2', 2, 122]]);
  });
});
