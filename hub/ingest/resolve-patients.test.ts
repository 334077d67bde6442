/** The synchronous path (resolveKnownPatients) gives ingest the same patients as the asking one (resolvePatients), or steps aside. */
import { describe, expect, it } from 'vitest';
import type { Reading } from '../../contract/index.js';
import { MemoryRegistry } from '../registry/memory-registry.js';
import type { DeviceDirectory } from '../registry/registry.js';
import { resolveKnownPatients, resolvePatients } from './resolve-patients.js';

const HAND_OVER = '2024-06-01T00:00:00.000Z';

const registry = new MemoryRegistry({
  patients: ['p-anna', 'p-bo', 'p-house', 'p-old', 'p-new'].map((id) => ({ id, careTeamId: 'team-1', displayName: id })),
  assignments: [
    // A shared cuff: user 1 is Anna, user 2 is Bo, anyone else counts as the household's.
    { deviceId: 'cuff-1', patientId: 'p-house', from: '2024-01-01T00:00:00Z' },
    { deviceId: 'cuff-1', userIndex: 1, patientId: 'p-anna', from: '2024-01-01T00:00:00Z' },
    { deviceId: 'cuff-1', userIndex: 2, patientId: 'p-bo', from: '2024-03-01T00:00:00Z' },
    // A scale handed over from one patient to another: [from, to) periods.
    { deviceId: 'scale-1', patientId: 'p-old', from: '2024-01-01T00:00:00Z', to: HAND_OVER },
    { deviceId: 'scale-1', patientId: 'p-new', from: HAND_OVER },
  ],
});

let n = 0;
function reading(deviceId: string, measuredAt: string, userIndex?: number): Reading {
  n++;
  return {
    id: `r-${n}`,
    kind: 'body_weight',
    device: { id: deviceId, ...(userIndex !== undefined && { userIndex }) },
    components: [{ name: 'weight', code: '29463-7', value: 70 + n, unit: 'kg' }],
    measuredAt,
    receivedAt: measuredAt,
    timeSource: 'device',
    clockSuspect: false,
    late: false,
  };
}

/** One message's readings from several devices, interleaved, with the answer each must get. */
const cases: readonly [Reading, string | undefined][] = [
  [reading('cuff-1', '2024-04-01T08:00:00.000Z', 1), 'p-anna'],
  [reading('cuff-1', '2024-04-01T08:01:00.000Z', 2), 'p-bo'],
  [reading('cuff-1', '2024-02-01T08:00:00.000Z', 2), 'p-house'], // before Bo's own assignment: the device-wide one
  [reading('cuff-1', '2024-04-01T08:02:00.000Z', 7), 'p-house'],
  [reading('cuff-1', '2024-04-01T08:03:00.000Z'), 'p-house'],
  [reading('scale-1', '2024-05-31T23:59:59.999Z'), 'p-old'],
  [reading('scale-1', HAND_OVER), 'p-new'], // the hand-over instant belongs to the new patient
  [reading('cuff-1', '2024-04-01T08:04:00.000Z', 1), 'p-anna'], // back to a device seen before
  [reading('scale-1', '2023-12-31T23:59:59.999Z'), undefined], // before any assignment
  [reading('sn-unknown', '2024-04-01T08:00:00.000Z'), undefined],
  [reading('scale-1', '2030-01-01T00:00:00.000Z'), 'p-new'],
];
const readings = cases.map(([r]) => r);
const expected = cases.map(([, patient]) => patient);

/** The registry with one device's assignments not (yet) known without I/O. */
function missing(deviceId: string): DeviceDirectory {
  return {
    resolvePatient: (id, userIndex, at) => registry.resolvePatient(id, userIndex, at),
    knownAssignments: (id) => (id === deviceId ? undefined : registry.knownAssignments(id)),
  };
}

describe('resolveKnownPatients', () => {
  it('gives the patients resolvePatients gives, reading by reading', async () => {
    expect(resolveKnownPatients(registry, readings)).toEqual(expected);
    expect(await resolvePatients(registry, readings)).toEqual(expected);
  });

  it('agrees with resolvePatients for every single reading on its own', async () => {
    for (const [r, patient] of cases) {
      expect(resolveKnownPatients(registry, [r]), r.id).toEqual([patient]);
      expect(await resolvePatients(registry, [r]), r.id).toEqual([patient]);
    }
  });

  it('gives an empty list for no readings', () => {
    expect(resolveKnownPatients(registry, [])).toEqual([]);
  });

  it('steps aside (undefined) when the directory cannot answer without I/O', async () => {
    const asking: DeviceDirectory = { resolvePatient: (id, userIndex, at) => registry.resolvePatient(id, userIndex, at) };
    expect(resolveKnownPatients(asking, readings)).toBeUndefined();
    // The caller's fallback still answers.
    expect(await resolvePatients(asking, readings)).toEqual(expected);
  });

  it.each(['cuff-1', 'scale-1', 'sn-unknown'])('steps aside when the assignments of %s are not cached', async (deviceId) => {
    const directory = missing(deviceId);
    expect(resolveKnownPatients(directory, readings)).toBeUndefined();
    expect(await resolvePatients(directory, readings)).toEqual(expected);
    // Readings of the other devices alone are still answered at once.
    const others = cases.filter(([r]) => r.device.id !== deviceId);
    expect(resolveKnownPatients(directory, others.map(([r]) => r))).toEqual(others.map(([, p]) => p));
  });
});
