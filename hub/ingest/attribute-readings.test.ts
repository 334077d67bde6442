import { describe, expect, it } from 'vitest';
import type { Attribution } from '../../contract/attribution.js';
import type { Reading } from '../../contract/index.js';
import type { DeviceDirectory } from '../registry/registry.js';
import type { AssignmentPeriod } from '../registry/resolve-assignment.js';
import { RoomSessionIndex } from '../rooms/room-session-index.js';
import { attributeReadings } from './attribute-readings.js';

const T = Date.parse('2026-03-01T10:00:00Z');
const MIN = 60_000;

function reading(device: string, atMs: number, userIndex?: number): Reading {
  return {
    id: `r-${device}-${atMs}-${userIndex ?? ''}`,
    kind: 'body_weight',
    device: { id: device, ...(userIndex !== undefined && { userIndex }) },
    components: [{ name: 'weight', code: '29463-7', value: 70, unit: 'kg' }],
    measuredAt: new Date(atMs).toISOString(),
    receivedAt: new Date(atMs).toISOString(),
    timeSource: 'device',
    clockSuspect: false,
    late: false,
  };
}

function directory(periods: Record<string, AssignmentPeriod[]>): DeviceDirectory {
  return { resolvePatient: () => Promise.reject(new Error('not used')), knownAssignments: (id) => periods[id] ?? [] };
}

function run(devices: DeviceDirectory, rooms: RoomSessionIndex | undefined, gatewayId: string, readings: Reading[], assigned: (string | undefined)[]) {
  const patients = [...assigned];
  const attributions: (Attribution | undefined)[] = [];
  attributeReadings(devices, rooms, gatewayId, readings, patients, attributions);
  return readings.map((_, i) => [patients[i], attributions[i]]);
}

describe('attributeReadings', () => {
  const rooms = new RoomSessionIndex();
  rooms.replace(['room-1'], [{ id: 's1', gatewayId: 'room-1', patientId: 'p-a', openedAt: T, endsAt: T + 10 * MIN }]);
  const devices = directory({
    cuff: [
      { userIndex: 2, patientId: 'p-c', validFrom: 0, validTo: null },
      { userIndex: null, patientId: 'p-home', validFrom: T + 60 * MIN, validTo: null },
    ],
    scale: [],
  });

  it('at home: the assignment decides, saying whether by user index or device-wide', () => {
    expect(run(devices, rooms, 'home-1', [reading('cuff', T + 61 * MIN), reading('cuff', T, 2), reading('scale', T)], ['p-home', 'p-c', undefined])).toEqual([
      ['p-home', 'device_assignment'],
      ['p-c', 'user_index'],
      [undefined, undefined],
    ]);
  });

  it('in a room: the session decides for shared use, a user slot still wins, and outside the session nothing is guessed', () => {
    expect(run(devices, rooms, 'room-1', [reading('scale', T + MIN), reading('cuff', T + 2 * MIN, 2), reading('scale', T + 10 * MIN), reading('scale', T - 1)], [undefined, 'p-c', undefined, undefined])).toEqual([
      ['p-a', 'session'],
      ['p-c', 'user_index'],
      [undefined, undefined],
      [undefined, undefined],
    ]);
  });

  it('a session in the room overrides a device-wide assignment, not a user slot', () => {
    const both = new RoomSessionIndex();
    both.replace(['room-1'], [{ id: 's2', gatewayId: 'room-1', patientId: 'p-b', openedAt: T + 60 * MIN, endsAt: T + 70 * MIN }]);
    expect(run(devices, both, 'room-1', [reading('cuff', T + 61 * MIN), reading('cuff', T + 61 * MIN, 2)], ['p-home', 'p-c'])).toEqual([
      ['p-b', 'session'],
      ['p-c', 'user_index'],
    ]);
  });
});

describe('RoomSessionIndex', () => {
  it('answers by half-open periods, sees a check-out at once, and prunes old sessions', () => {
    const index = new RoomSessionIndex();
    index.addRoom('room-1');
    index.put({ id: 's1', gatewayId: 'room-1', patientId: 'p-a', openedAt: T, endsAt: T + 15 * MIN });
    expect(index.sessionAt('room-1', T)?.patientId).toBe('p-a');
    expect(index.sessionAt('room-1', T + 15 * MIN)).toBeUndefined();
    index.put({ id: 's1', gatewayId: 'room-1', patientId: 'p-a', openedAt: T, endsAt: T + 3 * MIN });
    expect(index.sessionAt('room-1', T + 5 * MIN)).toBeUndefined();
    index.put({ id: 's2', gatewayId: 'room-1', patientId: 'p-b', openedAt: T + 4 * MIN, endsAt: T + 9 * MIN });
    expect(index.sessionAt('room-1', T + 2 * MIN)?.id).toBe('s1');
    expect(index.sessionAt('room-1', T + 5 * MIN)?.id).toBe('s2');
    index.prune(T + 4 * MIN);
    expect(index.sessionAt('room-1', T + 2 * MIN)).toBeUndefined();
    expect(index.sessionAt('room-1', T + 5 * MIN)?.id).toBe('s2');
    expect(index.isRoom('room-1')).toBe(true);
    expect(index.isRoom('home-1')).toBe(false);
  });
});
