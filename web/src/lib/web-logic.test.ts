/** The page's pure parts: alert merging and re-sync, worklist rows and filters, routes, chart data. */
import { describe, expect, it } from 'vitest';
import type { WorklistPatient } from '../api/types.js';
import { inboxOf, mergeAlerts, resync } from './alert-list.js';
import { bandsFor, resolutionFor, seriesFromReadings } from './chart-data.js';
import { hrefOf, parseRoute } from './router.js';
import { viewOf, kindOfRule } from './vitals.js';
import { testAlert } from './testing.js';
import { filterRows, worklistRows } from './worklist-rows.js';

const alert = testAlert;

describe('alert list', () => {
  it('keeps one entry per alert and never goes back to an older revision', () => {
    let m = mergeAlerts(new Map(), [alert('a', { revision: 2 })]);
    m = mergeAlerts(m, [alert('a', { revision: 1, state: 'acknowledged' }), alert('b')]);
    expect(m.size).toBe(2);
    expect(m.get('a')!.revision).toBe(2);
  });
  it('re-sync drops what the list no longer has and keeps newer live revisions', () => {
    const current = mergeAlerts(new Map(), [alert('a', { revision: 5 }), alert('gone')]);
    const next = resync(current, [alert('a', { revision: 3 }), alert('new')]);
    expect([...next.keys()].sort()).toEqual(['a', 'new']);
    expect(next.get('a')!.revision).toBe(5);
  });
  it('sorts the inbox most severe first, open before acknowledged, resolved left out', () => {
    const m = mergeAlerts(new Map(), [alert('low', { severity: 'low' }), alert('ack', { severity: 'urgent', state: 'acknowledged' }), alert('urg', { severity: 'urgent' }), alert('done', { state: 'resolved' })]);
    expect(inboxOf(m).map((a) => a.id)).toEqual(['urg', 'ack', 'low']);
  });
});

describe('worklist rows', () => {
  const patient = (id: string, over: Partial<WorklistPatient> = {}): WorklistPatient => ({ id, displayName: id, careTeamId: 't', conditionGroups: [], latest: [], openAlerts: 0, highestSeverity: null, news2: null, ...over });
  const rows = worklistRows(
    [patient('Åse', { openAlerts: 2, conditionGroups: ['copd'] }), patient('Bo', { careTeamId: 'u' }), patient('Clara', { openAlerts: 1 })],
    [alert('m', { patientId: 'Åse', rule: 'missing:body_weight', audience: 'clinical', cause: 'gateway_offline' }), alert('c', { patientId: 'Åse' }), alert('t', { patientId: 'Clara', rule: 'battery_low:x', audience: 'technical' })],
  );
  it('tells clinical, missing-reading and technical reasons apart', () => {
    expect(rows[0]!.clinical.map((a) => a.id)).toEqual(['c']);
    expect(rows[0]!.missing.map((a) => a.id)).toEqual(['m']);
    expect(rows[2]!.technical.map((a) => a.id)).toEqual(['t']);
  });
  it('filters by name, team, condition and state, keeping the API order', () => {
    const f = { search: '', careTeamId: '', condition: '', state: 'all' as const };
    expect(filterRows(rows, { ...f, search: 'åS' }).map((r) => r.patient.id)).toEqual(['Åse']);
    expect(filterRows(rows, { ...f, careTeamId: 'u' }).map((r) => r.patient.id)).toEqual(['Bo']);
    expect(filterRows(rows, { ...f, condition: 'copd' }).map((r) => r.patient.id)).toEqual(['Åse']);
    expect(filterRows(rows, { ...f, state: 'withAlerts' }).map((r) => r.patient.id)).toEqual(['Åse', 'Clara']);
    expect(filterRows(rows, { ...f, state: 'missingReadings' }).map((r) => r.patient.id)).toEqual(['Åse']);
    expect(filterRows(rows, { ...f, state: 'technicalIssues' }).map((r) => r.patient.id)).toEqual(['Åse', 'Clara']);
    expect(filterRows(rows, { ...f, state: 'quiet' }).map((r) => r.patient.id)).toEqual(['Bo']);
  });
});

describe('routes', () => {
  it('parses and formats every page, with ids encoded', () => {
    for (const route of [{ page: 'worklist' }, { page: 'alerts' }, { page: 'alerts', alertId: 'al 1/2' }, { page: 'patient', patientId: 'p-1' }, { page: 'technical' }, { page: 'analytics' }, { page: 'signin' }] as const) {
      expect(parseRoute(hrefOf(route))).toEqual(route);
    }
    expect(parseRoute('/app/patients/a/b/c')).toEqual({ page: 'not-found' });
    expect(parseRoute('/app/%E0%A4%A')).toEqual({ page: 'not-found' });
  });
});

describe('chart data', () => {
  it('shows every reading up to a week, hourly means to a month, daily beyond', () => {
    const day = 86_400_000;
    expect(resolutionFor(0, 7 * day)).toBe('raw');
    expect(resolutionFor(0, 30 * day)).toBe('1h');
    expect(resolutionFor(0, 90 * day)).toBe('1d');
  });
  it('aligns blood pressure components and shades the first band on each side', () => {
    const view = viewOf('blood_pressure');
    const reading = (at: string, s: number, d: number) => ({ id: at, kind: 'blood_pressure' as const, source: 'device' as const, measuredAt: at, deviceId: 'x', gatewayId: 'g', flags: { late: false, clockSuspect: false, implausible: false, superseded: false }, components: [{ name: 'systolic', code: '', value: s, unit: 'mm[Hg]' }, { name: 'diastolic', code: '', value: d, unit: 'mm[Hg]' }] });
    const data = seriesFromReadings([reading('2026-12-02T08:00:00Z', 150, 90), reading('2026-12-01T08:00:00Z', 140, 85)], view, (c) => c);
    expect(data.xs).toEqual([Date.parse('2026-12-01T08:00:00Z') / 1000, Date.parse('2026-12-02T08:00:00Z') / 1000]);
    expect(data.series.map((s) => s.values)).toEqual([[140, 150], [85, 90]]);
    const bands = bandsFor(
      { valid: true, timeZone: 'Europe/Copenhagen', conditionGroups: [], passiveIntervals: [], thresholds: [{ key: 'blood_pressure.systolic', disabled: false, high: [{ op: '>=', limit: 180, severity: 'medium' }, { op: '>=', limit: 160, severity: 'low' }, { op: '>=', limit: 135, severity: 'info' }], low: [{ op: '<=', limit: 90, severity: 'medium' }] }] },
      'blood_pressure',
      view.components,
    );
    expect(bands).toEqual([
      { from: 160, to: Infinity, series: 0, component: 'systolic', op: '>=', limit: 160 },
      { from: -Infinity, to: 90, series: 0, component: 'systolic', op: '<=', limit: 90 },
    ]);
  });
  it('knows the vital of a rule', () => {
    expect(kindOfRule('threshold:blood_pressure.systolic')).toBe('blood_pressure');
    expect(kindOfRule('missing:body_weight')).toBe('body_weight');
    expect(kindOfRule('news2')).toBeUndefined();
  });
});
