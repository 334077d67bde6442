import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzSeed } from '../test/fixtures/gatt/decoder-suite.js';
import { CATALOGUE, VITAL_KINDS, hasImplausibleComponent, implausibleComponents, toCanonical, type VitalKind } from './catalogue.js';
import { componentValues } from './schemas/reading.js';

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

  describe('hasImplausibleComponent', () => {
    const slow = (kind: VitalKind, components: { name: string; value: number }[]) => implausibleComponents(kind, componentValues({ components: components.map((c) => ({ ...c, code: '0-0', unit: '1' })) })).length > 0;

    /** Values at, just inside, just outside and far outside a plausible range, and anywhere. */
    const valueNear = (min: number, max: number) =>
      fc.oneof(
        fc.constantFrom(min, max, min - 1, max + 1, min - 1e-9, max + 1e-9, min + 1e-9, max - 1e-9, min - 0.1, max + 0.1, 0, -0, -1),
        fc.double({ min: min - 10, max: max + 10, noNaN: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      );

    /** A kind and some of its components (distinct names, any order), now and then with a name the catalogue does not know. */
    const input = fc.constantFrom(...VITAL_KINDS).chain((kind) => {
      const specs = CATALOGUE[kind].components;
      const known = fc.tuple(...specs.map((spec) => fc.option(valueNear(spec.plausible.min, spec.plausible.max), { nil: undefined })));
      return fc.tuple(fc.constant(kind), known, fc.option(fc.double({ noNaN: true }), { nil: undefined }), fc.boolean()).map(([k, values, unknown, reverse]) => {
        const components = specs.flatMap((spec, i) => (values[i] === undefined ? [] : [{ name: spec.name, value: values[i] }]));
        if (unknown !== undefined) components.push({ name: 'notAComponent', value: unknown });
        if (reverse) components.reverse();
        return { kind: k, components };
      });
    });

    const seed = fuzzSeed();
    it(`agrees with implausibleComponents(...).length > 0 for every kind (fast-check seed ${seed})`, () => {
      console.log(`[fast-check] hasImplausibleComponent: seed ${seed} (rerun with FC_SEED=${seed})`);
      let flagged = 0;
      fc.assert(
        fc.property(input, ({ kind, components }) => {
          const expected = slow(kind, components);
          if (expected) flagged++;
          expect(hasImplausibleComponent(kind, components)).toBe(expected);
        }),
        { seed, numRuns: 5000, verbose: true },
      );
      // Not vacuous: both answers occurred often.
      expect(flagged).toBeGreaterThan(500);
      expect(flagged).toBeLessThan(4500);
    });

    it.each(VITAL_KINDS.flatMap((kind) => CATALOGUE[kind].components.map((spec) => [kind, spec.name, spec.plausible.min, spec.plausible.max] as const)))(
      '%s %s: plausible at exactly %d and %d, not one step outside',
      (kind, name, min, max) => {
        expect(hasImplausibleComponent(kind, [{ name, value: min }])).toBe(false);
        expect(hasImplausibleComponent(kind, [{ name, value: max }])).toBe(false);
        expect(hasImplausibleComponent(kind, [{ name, value: min - 0.1 }])).toBe(true);
        expect(hasImplausibleComponent(kind, [{ name, value: max + 0.1 }])).toBe(true);
        expect(hasImplausibleComponent(kind, [{ name, value: min - 1 }])).toBe(true);
        expect(hasImplausibleComponent(kind, [{ name, value: max + 1 }])).toBe(true);
        // An unknown component is not judged, whatever its value.
        expect(hasImplausibleComponent(kind, [{ name: 'notAComponent', value: max + 1 }])).toBe(false);
      },
    );

    it('flags a reading when any one of its components is outside, in any position', () => {
      expect(hasImplausibleComponent('blood_pressure', [{ name: 'systolic', value: 300 }, { name: 'diastolic', value: 20 }])).toBe(false);
      expect(hasImplausibleComponent('blood_pressure', [{ name: 'systolic', value: 120 }, { name: 'diastolic', value: 19 }])).toBe(true);
      expect(hasImplausibleComponent('blood_pressure', [{ name: 'diastolic', value: 80 }, { name: 'meanArterialPressure', value: 251 }])).toBe(true);
      expect(hasImplausibleComponent('spo2', [])).toBe(false);
    });
  });
});
