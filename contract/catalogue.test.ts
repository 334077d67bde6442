import { describe, expect, it } from 'vitest';
import { CATALOGUE, VITAL_KINDS, implausibleComponents, toCanonical } from './catalogue.js';

describe('vital-sign catalogue', () => {
  it('codes each kind with the LOINC codes and UCUM units the care systems expect', () => {
    // Wire constants written out: the test pins them independently of the catalogue.
    const codes = Object.fromEntries(VITAL_KINDS.map((k) => [k, { loinc: CATALOGUE[k].loinc, components: CATALOGUE[k].components.map((c) => [c.name, c.loinc, c.unit]) }]));
    expect(codes).toEqual({
      blood_pressure: {
        loinc: '85354-9',
        components: [
          ['systolic', '8480-6', 'mm[Hg]'],
          ['diastolic', '8462-4', 'mm[Hg]'],
          ['meanArterialPressure', '8478-0', 'mm[Hg]'],
        ],
      },
      heart_rate: { loinc: '8867-4', components: [['heartRate', '8867-4', '/min']] },
      spo2: { loinc: '59408-5', components: [['spo2', '59408-5', '%']] },
      body_temperature: { loinc: '8310-5', components: [['temperature', '8310-5', 'Cel']] },
      body_weight: { loinc: '29463-7', components: [['weight', '29463-7', 'kg']] },
      blood_glucose: { loinc: '15074-8', components: [['glucose', '15074-8', 'mmol/L']] },
      respiratory_rate: { loinc: '9279-1', components: [['respiratoryRate', '9279-1', '/min']] },
    });
    expect(CATALOGUE.spo2.components[0]!.alsoLoinc).toEqual(['2708-6']);
  });

  it('converts alternative units to the canonical ones', () => {
    expect(toCanonical(16, 'kPa', 'mm[Hg]')).toBeCloseTo(120.01, 2);
    expect(toCanonical(98.6, '[degF]', 'Cel')).toBeCloseTo(37, 5);
    expect(toCanonical(100, '[lb_av]', 'kg')).toBeCloseTo(45.359237, 6);
    expect(toCanonical(180.156, 'mg/dL', 'mmol/L')).toBeCloseTo(10, 3);
    expect(toCanonical(1, 'furlong', 'kg')).toBeUndefined();
  });

  it('flags values outside the plausible range, inclusive bounds', () => {
    expect(implausibleComponents('blood_pressure', { systolic: 300, diastolic: 20 })).toEqual([]);
    expect(implausibleComponents('blood_pressure', { systolic: 301, diastolic: 19 })).toEqual([
      { component: 'systolic', value: 301, min: 40, max: 300 },
      { component: 'diastolic', value: 19, min: 20, max: 200 },
    ]);
    expect(implausibleComponents('spo2', { spo2: 101 })).toHaveLength(1);
  });
});
