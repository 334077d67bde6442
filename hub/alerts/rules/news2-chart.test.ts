/**
 * Every band edge of the RCP 2017 NEWS2 chart, both sides of each boundary. The expected scores are
 * literals copied from the RCP chart, not from the production tables.
 */
import { describe, it, expect } from 'vitest';
import { news2Risk, roundTo } from './news2-chart.js';
import { scoreNews2, type News2Values } from './news2.js';
import type { Acvpu } from './types.js';

type Row = [value: number, score: number];

const only = (values: News2Values, scale: 1 | 2 = 1) => scoreNews2(values, scale);

describe('NEWS2 respiration rate', () => {
  const rows: Row[] = [
    [4, 3],
    [8, 3],
    [9, 1],
    [11, 1],
    [12, 0],
    [20, 0],
    [21, 2],
    [24, 2],
    [25, 3],
    [40, 3],
  ];
  it.each(rows)('%d /min scores %d', (value, score) => {
    expect(only({ respirationRate: value }).scores.respirationRate).toBe(score);
  });
});

describe('NEWS2 SpO2 scale 1', () => {
  const rows: Row[] = [
    [85, 3],
    [91, 3],
    [92, 2],
    [93, 2],
    [94, 1],
    [95, 1],
    [96, 0],
    [100, 0],
  ];
  it.each(rows)('%d %% scores %d (on air)', (value, score) => {
    expect(only({ spo2: value, onOxygen: false }).scores.spo2).toBe(score);
  });
  it.each(rows)('%d %% scores %d on oxygen too (scale 1 ignores oxygen)', (value, score) => {
    expect(only({ spo2: value, onOxygen: true }).scores.spo2).toBe(score);
  });
});

describe('NEWS2 SpO2 scale 2 on air', () => {
  const rows: Row[] = [
    [80, 3],
    [83, 3],
    [84, 2],
    [85, 2],
    [86, 1],
    [87, 1],
    [88, 0],
    [92, 0],
    [93, 0],
    [96, 0],
    [97, 0],
    [100, 0],
  ];
  it.each(rows)('%d %% scores %d', (value, score) => {
    expect(only({ spo2: value, onOxygen: false }, 2).scores.spo2).toBe(score);
  });
  it('scores as on air when air/oxygen is unknown', () => {
    expect(only({ spo2: 97 }, 2).scores.spo2).toBe(0);
  });
});

describe('NEWS2 SpO2 scale 2 on oxygen', () => {
  const rows: Row[] = [
    [80, 3],
    [83, 3],
    [84, 2],
    [85, 2],
    [86, 1],
    [87, 1],
    [88, 0],
    [92, 0],
    [93, 1],
    [94, 1],
    [95, 2],
    [96, 2],
    [97, 3],
    [100, 3],
  ];
  it.each(rows)('%d %% scores %d', (value, score) => {
    expect(only({ spo2: value, onOxygen: true }, 2).scores.spo2).toBe(score);
  });
});

describe('NEWS2 air or oxygen', () => {
  it.each([
    [false, 0],
    [true, 2],
  ] as const)('on oxygen %s scores %d', (onOxygen, score) => {
    expect(only({ onOxygen }).scores.airOrOxygen).toBe(score);
  });
});

describe('NEWS2 systolic blood pressure', () => {
  const rows: Row[] = [
    [70, 3],
    [90, 3],
    [91, 2],
    [100, 2],
    [101, 1],
    [110, 1],
    [111, 0],
    [219, 0],
    [220, 3],
    [250, 3],
  ];
  it.each(rows)('%d mmHg scores %d', (value, score) => {
    expect(only({ systolicBP: value }).scores.systolicBP).toBe(score);
  });
});

describe('NEWS2 pulse', () => {
  const rows: Row[] = [
    [30, 3],
    [40, 3],
    [41, 1],
    [50, 1],
    [51, 0],
    [90, 0],
    [91, 1],
    [110, 1],
    [111, 2],
    [130, 2],
    [131, 3],
    [180, 3],
  ];
  it.each(rows)('%d /min scores %d', (value, score) => {
    expect(only({ pulse: value }).scores.pulse).toBe(score);
  });
});

describe('NEWS2 consciousness (ACVPU)', () => {
  it.each([
    ['A', 0],
    ['C', 3],
    ['V', 3],
    ['P', 3],
    ['U', 3],
  ] as [Acvpu, number][])('%s scores %d', (consciousness, score) => {
    expect(only({ consciousness }).scores.consciousness).toBe(score);
  });
});

describe('NEWS2 temperature', () => {
  const rows: Row[] = [
    [33.0, 3],
    [35.0, 3],
    [35.1, 1],
    [36.0, 1],
    [36.1, 0],
    [38.0, 0],
    [38.1, 1],
    [39.0, 1],
    [39.1, 2],
    [41.0, 2],
  ];
  it.each(rows)('%d °C scores %d', (value, score) => {
    expect(only({ temperature: value }).scores.temperature).toBe(score);
  });
});

describe('NEWS2 rounding to the chart resolution', () => {
  it.each([
    ['temperature 35.04 -> 35.0', { temperature: 35.04 }, 'temperature', 3],
    ['temperature 35.05 -> 35.1', { temperature: 35.05 }, 'temperature', 1],
    ['temperature 38.04 -> 38.0', { temperature: 38.04 }, 'temperature', 0],
    ['temperature 38.06 -> 38.1', { temperature: 38.06 }, 'temperature', 1],
    ['pulse 90.4 -> 90', { pulse: 90.4 }, 'pulse', 0],
    ['pulse 90.5 -> 91', { pulse: 90.5 }, 'pulse', 1],
    ['SpO2 95.5 -> 96', { spo2: 95.5 }, 'spo2', 0],
    ['SBP 110.4 -> 110', { systolicBP: 110.4 }, 'systolicBP', 1],
  ] as const)('%s', (_name, values, parameter, score) => {
    expect(only(values).scores[parameter]).toBe(score);
  });
  it('roundTo handles binary fractions', () => {
    expect(roundTo(35.05, 0.1)).toBe(35.1);
    expect(roundTo(36.15, 0.1)).toBe(36.2);
    expect(roundTo(90.5, 1)).toBe(91);
  });
});

describe('NEWS2 aggregate and clinical risk (RCP Chart 2)', () => {
  const normal = { respirationRate: 16, spo2: 97, onOxygen: false, systolicBP: 130, pulse: 70, consciousness: 'A', temperature: 37 } as const;
  it.each([
    ['all normal: 0, low', normal, 0, false, 'low'],
    ['total 4 without a 3: low', { ...normal, respirationRate: 22, spo2: 93 }, 4, false, 'low'],
    ['single 3 alone: low-medium', { ...normal, respirationRate: 26 }, 3, true, 'low-medium'],
    ['total 4 with a 3: low-medium', { ...normal, systolicBP: 90, pulse: 95 }, 4, true, 'low-medium'],
    ['total 5: medium', { ...normal, respirationRate: 22, spo2: 93, pulse: 95 }, 5, false, 'medium'],
    ['total 6: medium', { ...normal, respirationRate: 22, spo2: 93, pulse: 111 }, 6, false, 'medium'],
    ['total 5 with a 3: medium', { ...normal, spo2: 91, respirationRate: 22 }, 5, true, 'medium'],
    ['total 7: high', { ...normal, onOxygen: true, respirationRate: 22, spo2: 93, temperature: 38.5 }, 7, false, 'high'],
    ['confusion plus oxygen plus fever: high', { ...normal, consciousness: 'C', onOxygen: true, temperature: 39.5 }, 7, true, 'high'],
    ['everything at 3: 20, high', { respirationRate: 30, spo2: 85, onOxygen: true, systolicBP: 85, pulse: 140, consciousness: 'U', temperature: 34 }, 20, true, 'high'],
  ] as const)('%s', (_name, values, total, red, risk) => {
    const r = scoreNews2(values, 1);
    expect(r.total).toBe(total);
    expect(r.redScore).toBe(red);
    expect(r.risk).toBe(risk);
  });

  it.each([
    [0, false, 'low'],
    [4, false, 'low'],
    [3, true, 'low-medium'],
    [4, true, 'low-medium'],
    [5, false, 'medium'],
    [6, true, 'medium'],
    [7, false, 'high'],
    [7, true, 'high'],
  ] as const)('news2Risk(%d, red %s) = %s', (total, red, risk) => {
    expect(news2Risk(total, red)).toBe(risk);
  });
});
