import { describe, it, expect } from 'vitest';
import { Reading, componentsFor } from '../../../contract/index.js';
import { SCENARIOS, stableResident, type Scenario } from './index.js';

const all: [string, Scenario][] = Object.entries(SCENARIOS).map(([name, make]) => [name, make()]);

describe('resident scenarios', () => {
  it.each(all)('%s: events in order, inside the run, readings valid contract readings', (name, s) => {
    expect(s.name).toBe(name);
    const end = s.start.getTime() + s.durationMs;
    for (let i = 1; i < s.events.length; i++) expect(s.events[i]!.at.getTime()).toBeGreaterThanOrEqual(s.events[i - 1]!.at.getTime());
    for (const e of s.events) {
      expect(e.at.getTime()).toBeGreaterThanOrEqual(s.start.getTime());
      expect(e.at.getTime()).toBeLessThan(end);
      if (e.type !== 'reading') continue;
      const parsed = Reading.safeParse({ id: 'x', kind: e.kind, device: { id: e.deviceId }, components: componentsFor(e.kind, e.values), measuredAt: e.at.toISOString(), receivedAt: e.at.toISOString(), timeSource: 'device' });
      expect(parsed.success, JSON.stringify(e.values)).toBe(true);
      expect(s.devices.some((d) => d.deviceId === e.deviceId && d.kinds.includes(e.kind))).toBe(true);
    }
    if (s.onsetAt) expect(s.onsetAt.getTime()).toBeLessThan(end);
  });

  it('are the same for the same seed and differ for another', () => {
    expect(stableResident(1)).toEqual(stableResident(1));
    expect(stableResident(2).events).not.toEqual(stableResident(1).events);
  });

  it('the stable resident stays inside her usual range every day', () => {
    for (const e of stableResident().events) {
      if (e.type !== 'reading') continue;
      const v = e.values;
      if (v.systolic !== undefined) expect(v.systolic).toBeLessThan(150);
      if (v.spo2 !== undefined) expect(v.spo2).toBeGreaterThanOrEqual(95);
      if (v.temperature !== undefined) expect(v.temperature).toBeLessThan(37.2);
    }
  });
});
