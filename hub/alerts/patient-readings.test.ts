import { describe, expect, it } from 'vitest';
import { readingsFromSeries } from './patient-readings.js';

const columns = ['time', 'clock_suspect', 'device', 'diastolic', 'gateway', 'implausible', 'late', 'patient', 'reading_id', 'systolic', 'time_source'];

describe('readingsFromSeries', () => {
  it('reads whole points, oldest first', () => {
    const rows = readingsFromSeries([
      {
        name: 'blood_pressure',
        columns,
        values: [
          [2000, false, 'sn-1', 90, 'gw-1', false, true, 'p-1', 'r-2', 150, 'device'],
          [1000, false, 'sn-1', 80, 'gw-1', false, false, 'p-1', 'r-1', 130, 'device'],
        ],
      },
    ]);
    expect(rows.map((r) => [r.id, r.measuredAt.getTime(), r.late, r.components])).toEqual([
      ['r-1', 1000, false, [{ name: 'systolic', value: 130 }, { name: 'diastolic', value: 80 }]],
      ['r-2', 2000, true, [{ name: 'systolic', value: 150 }, { name: 'diastolic', value: 90 }]],
    ]);
  });

  it('skips a point caught mid-write, so a backfilled reading seen before its late flag cannot page as current', () => {
    const rows = readingsFromSeries([
      {
        name: 'blood_pressure',
        columns,
        values: [
          // systolic and the id are visible, `late` (true in the write) is not yet
          [3000, null, 'sn-1', null, 'gw-1', null, null, 'p-1', 'r-3', 190, null],
          // only the value
          [4000, null, 'sn-1', null, 'gw-1', null, null, 'p-1', null, 200, null],
          [1000, false, 'sn-1', 80, 'gw-1', false, false, 'p-1', 'r-1', 130, 'device'],
        ],
      },
    ]);
    expect(rows.map((r) => r.id)).toEqual(['r-1']);
  });
});
