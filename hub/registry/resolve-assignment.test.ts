import { describe, expect, it } from 'vitest';
import { resolveAssignment, type AssignmentPeriod } from './resolve-assignment.js';

const T = (iso: string) => Date.parse(iso);

describe('resolveAssignment', () => {
  const handOver: AssignmentPeriod[] = [
    { userIndex: null, patientId: 'p-old', validFrom: T('2026-01-01T00:00:00Z'), validTo: T('2026-02-01T00:00:00Z') },
    { userIndex: null, patientId: 'p-new', validFrom: T('2026-02-01T00:00:00Z'), validTo: null },
  ];

  it.each([
    ['before any assignment', '2025-12-31T23:59:59.999Z', undefined],
    ['first period', '2026-01-15T00:00:00Z', 'p-old'],
    ['hand-over instant belongs to the new patient (half-open periods)', '2026-02-01T00:00:00Z', 'p-new'],
    ['last ms of the old period', '2026-01-31T23:59:59.999Z', 'p-old'],
    ['open period, far future', '2030-01-01T00:00:00Z', 'p-new'],
  ])('%s', (_name, at, expected) => {
    expect(resolveAssignment(handOver, undefined, T(at))).toBe(expected);
    // A device-wide assignment covers every user index.
    expect(resolveAssignment(handOver, 3, T(at))).toBe(expected);
  });

  it('a user-index assignment wins over a device-wide one, in either order', () => {
    const rows: AssignmentPeriod[] = [
      { userIndex: 2, patientId: 'p-wife', validFrom: 0, validTo: null },
      { userIndex: null, patientId: 'p-husband', validFrom: 0, validTo: null },
    ];
    expect(resolveAssignment(rows, 2, 1000)).toBe('p-wife');
    expect(resolveAssignment([...rows].reverse(), 2, 1000)).toBe('p-wife');
    expect(resolveAssignment(rows, 1, 1000)).toBe('p-husband');
    expect(resolveAssignment(rows, undefined, 1000)).toBe('p-husband');
  });

  it('a user-index assignment does not cover other users or readings without a user index', () => {
    const rows: AssignmentPeriod[] = [{ userIndex: 1, patientId: 'p-1', validFrom: 0, validTo: null }];
    expect(resolveAssignment(rows, 1, 5)).toBe('p-1');
    expect(resolveAssignment(rows, 2, 5)).toBeUndefined();
    expect(resolveAssignment(rows, undefined, 5)).toBeUndefined();
  });
});
