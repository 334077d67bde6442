/**
 * Pure parts added for issue #11's last gaps: alert summaries in the reader's language, the
 * start-up prefetch, the remembering translator, row reuse, and chart limit labels.
 */
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert, WorklistPatient } from '../api/types.js';
import { da } from '../i18n/da.js';
import { en } from '../i18n/en.js';
import { sv } from '../i18n/sv.js';
import { resync } from './alert-list.js';
import { alertText } from './alert-text.js';
import { cachedT } from './cached-t.js';
import { bandsFor, labelBands } from './chart-data.js';
import { Prefetcher } from './prefetch.js';
import { testAlert } from './testing.js';
import { worklistRows } from './worklist-rows.js';

const alert = (id: string, over: Partial<Alert> = {}): Alert =>
  testAlert(id, { rule: 'threshold:blood_pressure.systolic', summary: 'Systolic 186 mmHg (≥ 180 mmHg; 2 consecutive readings over 0.2 h)', ...over });

const threshold = alert('a1', {
  message: { key: 'threshold', params: { vital: 'blood_pressure', component: 'systolic', unit: 'mm[Hg]', value: 186, op: '>=', limit: 180, readings: 2, direction: 'high' } },
});

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ lng: 'en', fallbackLng: 'en', resources: { en: { translation: en }, da: { translation: da }, sv: { translation: sv } }, interpolation: { escapeValue: false } });
});
const tr = (lng: 'en' | 'da' | 'sv') => i18n.getFixedT(lng);

describe('alert summaries in the reader language', () => {
  it.each([
    ['en', 'en-GB', 'Systolic 186 mmHg (≥ 180 mmHg; 2 readings in a row)'],
    ['da', 'da-DK', 'Systolisk 186 mmHg (≥ 180 mmHg; 2 målinger i træk)'],
    ['sv', 'sv-SE', 'Systoliskt 186 mmHg (≥ 180 mmHg; 2 mätningar i rad)'],
  ] as const)('threshold in %s', (lng, locale, text) => {
    expect(alertText(threshold, tr(lng), locale)).toBe(text);
  });

  it('decimals and the comma as the locale writes them; the vital name for one-component vitals', () => {
    const temp = alert('t', { message: { key: 'threshold', params: { vital: 'body_temperature', component: 'temperature', unit: 'Cel', value: 39.4, op: '>=', limit: 39.1, readings: 1, direction: 'high' } } });
    expect(alertText(temp, tr('da'), 'da-DK')).toBe(`${da.vital.body_temperature} 39,4 °C (≥ 39,1 °C; 1 måling)`);
  });

  it('missing readings with their cause, NEWS2 with what it misses', () => {
    const missing = alert('m', { rule: 'missing:body_weight', message: { key: 'missing', params: { vital: 'body_weight', missed: 2, cause: 'gateway_offline' } } });
    expect(alertText(missing, tr('sv'), 'sv-SE')).toBe(`Ingen mätning av ${sv.vital.body_weight}: 2 förväntade mätningar saknas (${sv.alerts.cause.gateway_offline})`);
    const news2 = alert('n', { rule: 'news2', message: { key: 'news2', params: { total: 7, risk: 'high', complete: false, missing: 'consciousness' } } });
    expect(alertText(news2, tr('da'), 'da-DK')).toBe(`NEWS2 7, høj risiko (${da.news2.missing.replace('{{params}}', da.news2.param.consciousness)})`);
  });

  it('the stored English text without a message, or for a key this page does not know', () => {
    expect(alertText(alert('x', { summary: 'Something new' }), tr('da'), 'da-DK')).toBe('Something new');
    expect(alertText(alert('y', { summary: 'From a newer hub', message: { key: 'fromTheFuture' as never, params: {} } }), tr('da'), 'da-DK')).toBe('From a newer hub');
  });
});

describe('Prefetcher', () => {
  it('hands a fresh answer over once; a stale one or a second take loads anew', async () => {
    let now = 0;
    const p = new Prefetcher(1000, () => now);
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    void p.start('k', load);
    expect(await p.take('k', load)).toBe(1);
    expect(await p.take('k', load)).toBe(2);
    void p.start('k', load);
    now = 5000;
    expect(await p.take('k', load)).toBe(4);
  });
  it('a failed prefetch (signed out at load) is retried by the taker', async () => {
    const p = new Prefetcher();
    void p.start('k', () => Promise.reject(new Error('401')));
    expect(await p.take('k', () => Promise.resolve('fresh'))).toBe('fresh');
  });
});

describe('cachedT', () => {
  it('asks i18next once per key and options, and answers the same', () => {
    let calls = 0;
    const t = ((key: string, o?: { count?: number }) => {
      calls++;
      return `${key}:${o?.count ?? ''}`;
    }) as never;
    const c = cachedT(t);
    expect(c('a')).toBe('a:');
    expect(c('a')).toBe('a:');
    expect(c('b', { count: 2 })).toBe('b:2');
    expect(c('b', { count: 3 })).toBe('b:3');
    expect(calls).toBe(3);
  });
});

describe('worklist rows and re-syncs keep what did not change', () => {
  const patient = (id: string): WorklistPatient => ({ id, displayName: id, careTeamId: 't', conditionGroups: [], openAlerts: 0, highestSeverity: null, news2: null, latest: [] });
  it('a re-sync that changed nothing returns the same map; a newer revision a new one', () => {
    const a = alert('a');
    const current = resync(new Map(), [a]);
    expect(resync(current, [{ ...a }])).toBe(current);
    expect(resync(current, [{ ...a, revision: 2 }])).not.toBe(current);
  });
  it('rows whose patient and alerts are unchanged are the same objects', () => {
    const ps = [patient('p1'), patient('p2')];
    const a = alert('a', { patientId: 'p1' });
    const first = worklistRows(ps, [a]);
    const second = worklistRows(ps, [a, alert('b', { patientId: 'p2' })], first);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
  });
});

describe('blood pressure limits drawn per series', () => {
  it('each component its own band, label and caption mark', () => {
    const rules = {
      valid: true,
      timeZone: 'Europe/Copenhagen',
      conditionGroups: [],
      passiveIntervals: [],
      thresholds: [
        { key: 'blood_pressure.systolic', disabled: false, high: [{ op: '>=', limit: 180, severity: 'medium' }], low: [{ op: '<=', limit: 90, severity: 'medium' }] },
        { key: 'blood_pressure.diastolic', disabled: false, high: [{ op: '>=', limit: 110, severity: 'medium' }], low: [] },
      ],
    } as never;
    const { bands, caption } = labelBands(bandsFor(rules, 'blood_pressure', ['systolic', 'diastolic']), 2, (c) => (c === 'systolic' ? 'Sys' : 'Dia'), (v) => `${v}`);
    expect(bands.map((b) => [b.series, b.label])).toEqual([
      [0, 'Sys ≥ 180'],
      [0, 'Sys ≤ 90'],
      [1, 'Dia ≥ 110'],
    ]);
    expect(caption).toEqual(['╌╌ Sys ≥ 180, ≤ 90', '┈┈ Dia ≥ 110']);
  });
  it('a one-line chart labels the limit alone', () => {
    const rules = { thresholds: [{ key: 'spo2.spo2', disabled: false, high: [], low: [{ op: '<=', limit: 91, severity: 'medium' }] }] } as never;
    expect(labelBands(bandsFor(rules, 'spo2', ['spo2']), 1, (c) => c, (v) => `${v} %`).caption).toEqual(['╌╌ ≤ 91 %']);
  });
});
