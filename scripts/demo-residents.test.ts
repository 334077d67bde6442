import { describe, expect, it } from 'vitest';
import { demoHomes, deterioration, DETERIORATION_ONSET_S, DETERIORATION_RAMP_S, historyTimes, roomUsers } from './demo-residents.js';

const started = new Date('2026-12-03T10:00:00Z');
const after = (s: number) => new Date(started.getTime() + s * 1000);

describe('demo cast', () => {
  it('has several homes, residents of every condition group, and devices of five kinds', () => {
    const homes = demoHomes(started);
    expect(homes.length).toBeGreaterThanOrEqual(3);
    const residents = homes.flatMap((h) => h.residents);
    expect(new Set(residents.flatMap((r) => r.conditionGroups))).toEqual(new Set(['hypertension', 'copd', 'heart_failure', 'diabetes']));
    expect(new Set(residents.flatMap((r) => r.devices))).toEqual(new Set(['cuff', 'oximeter', 'thermometer', 'scale', 'glucose']));
    // Each device (and user index of a shared one) belongs to one resident.
    for (const h of homes) {
      const owners = h.residents.flatMap((r) => r.devices.map((d) => `${d}#${r.userIndex ?? '-'}`));
      expect(new Set(owners).size).toBe(owners.length);
    }
  });

  it('has a community room whose residents share the cuff and scale by user index, with their own values', () => {
    const room = demoHomes(started).find((h) => roomUsers(h) !== undefined);
    expect(roomUsers(room!)).toEqual([1, 2]);
    const at = new Date('2026-12-01T07:30:00Z');
    expect(room?.vitals(at, 1).weightKg).not.toBe(room?.vitals(at, 2).weightKg);
    expect(demoHomes(started).filter((h) => roomUsers(h) === undefined).length).toBeGreaterThanOrEqual(3);
  });

  it('deteriorates the COPD resident within the first minute to NEWS2 high-risk values', () => {
    expect(deterioration(after(0), started)).toBe(0);
    expect(deterioration(after(DETERIORATION_ONSET_S + DETERIORATION_RAMP_S / 2), started)).toBeCloseTo(0.5);
    expect(DETERIORATION_ONSET_S + DETERIORATION_RAMP_S).toBeLessThan(60);
    const copd = demoHomes(started).find((h) => h.residents.some((r) => r.conditionGroups.includes('copd')));
    const worst = copd?.vitals(after(DETERIORATION_ONSET_S + DETERIORATION_RAMP_S), undefined);
    // RCP NEWS2 scale 1: SpO2 <= 91 scores 3, pulse 111-130 scores 2, temperature >= 39.1 scores 2: 7 = high risk.
    expect(worst?.spo2).toBeLessThanOrEqual(91);
    expect(worst?.pulse).toBeGreaterThanOrEqual(111);
    expect(worst?.temperatureC).toBeGreaterThanOrEqual(39.1);
    const before = copd?.vitals(after(0), undefined);
    expect(before?.spo2).toBeGreaterThanOrEqual(93);
    expect(before?.temperatureC).toBeLessThan(38);
  });

  it('gives the same history values for the same instant (re-runs re-send the same readings)', () => {
    const at = new Date('2026-12-01T07:30:00Z');
    for (const [a, b] of demoHomes(started).map((h, i) => [h.vitals(at, 1), demoHomes(after(99)).at(i)?.vitals(at, 1)])) expect(a).toEqual(b);
  });

  it('measures twice a day for a week, only in the past', () => {
    const times = historyTimes(new Date('2026-12-03T12:00:00Z'), 7);
    expect(times[0]?.toISOString()).toBe('2026-11-26T07:30:00.000Z');
    expect(times.at(-1)?.toISOString()).toBe('2026-12-03T07:30:00.000Z');
    expect(times).toHaveLength(15);
  });
});
