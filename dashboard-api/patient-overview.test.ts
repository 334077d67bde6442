import { describe, expect, it } from 'vitest';
import { compareByRisk, type WorklistEntry } from './patient-overview.js';

const entry = (id: string, displayName: string, risk: WorklistEntry['risk'] = { openAlerts: 0 }): WorklistEntry => ({
  patient: { id, displayName, careTeamId: 't' },
  latest: [],
  risk,
});

describe('worklist order', () => {
  it('puts the most worrying first: alert severity, then NEWS2, then open alerts, then name', () => {
    const list = [
      entry('p-1', 'Åse Ørsted'),
      entry('p-2', 'Anders And'),
      entry('p-3', 'Zofia Berg', { openAlerts: 1, highestSeverity: 'medium' }),
      entry('p-4', 'Bo Berg', { openAlerts: 3, highestSeverity: 'medium' }),
      entry('p-5', 'Carl Dahl', { openAlerts: 1, highestSeverity: 'urgent' }),
      entry('p-6', 'Dora Eng', { openAlerts: 0, news2: { total: 6, at: '2026-01-01T00:00:00.000Z', missing: [] } }),
      entry('p-7', 'Emil Fisk', { openAlerts: 1, highestSeverity: 'medium', news2: { total: 2, at: '2026-01-01T00:00:00.000Z', missing: [] } }),
      entry('p-8', 'Øjvind Holm'),
    ];
    expect([...list].sort(compareByRisk).map((e) => e.patient.id)).toEqual([
      'p-5', // urgent alert
      'p-7', // medium alert and a NEWS2 score
      'p-4', // medium, three open
      'p-3', // medium, one open
      'p-6', // no alert but NEWS2 6
      'p-2', // Anders
      'p-8', // Øjvind: Danish collation puts Ø after Z ...
      'p-1', // ... and Å after Ø
    ]);
  });
});
