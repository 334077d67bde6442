/** The API's readings repository against the run's real influxd: partial points are not shown as readings. */
import { describe, expect, it } from 'vitest';
import { freshInfluxDatabase } from '../../test/setup/influx.js';
import { createReadingsRepository } from './readings-repository.js';
import { toLineProtocol } from './reading-points.js';

const T = Date.parse('2026-03-02T08:00:00.000Z');

describe('readings repository', () => {
  it('skips a point caught with only some of its fields, as a query during a write can see it', async () => {
    const influx = await freshInfluxDatabase('readings_repo');
    const whole = toLineProtocol({
      reading: {
        id: 'r-whole',
        kind: 'blood_pressure',
        device: { id: 'sn-cuff-1' },
        components: [
          { name: 'systolic', code: '8480-6', value: 141, unit: 'mm[Hg]' },
          { name: 'diastolic', code: '8462-4', value: 88, unit: 'mm[Hg]' },
        ],
        measuredAt: new Date(T).toISOString(),
        receivedAt: new Date(T + 500).toISOString(),
        timeSource: 'device',
        clockSuspect: false,
        late: false,
      },
      gatewayId: 'home-0001',
      patientId: 'p-1',
      implausible: false,
    });
    await influx.write([
      whole,
      // What InfluxDB 1.x can show mid-write: some fields of a point, not yet all.
      `blood_pressure,device=sn-cuff-1,gateway=home-0001,patient=p-1 systolic=150 ${T + 60_000}`,
      `blood_pressure,device=sn-cuff-1,gateway=home-0001,patient=p-1 reading_id="r-half",systolic=150,late=false ${T + 120_000}`,
    ]);
    const rows = await createReadingsRepository(influx).list({ patientId: 'p-1', kind: 'blood_pressure', from: new Date(T - 1), to: new Date(T + 3_600_000), limit: 100 });
    expect(rows.map((r) => r.id)).toEqual(['r-whole']);
    expect(rows[0]?.components.map((c) => [c.name, c.value])).toEqual([
      ['systolic', 141],
      ['diastolic', 88],
    ]);
  });
});
