/**
 * The vital-sign catalogue: every kind of reading the system knows, its components,
 * how each is coded (LOINC) and measured (UCUM), and the range a living person can
 * plausibly produce. Values outside that range are kept but flagged as data-quality
 * problems: they say more about the device or the measurement than about the patient.
 *
 * Units here are the canonical storage units: gateways normalise to them at decode time.
 */

export const VITAL_KINDS = [
  'blood_pressure',
  'heart_rate',
  'spo2',
  'body_temperature',
  'body_weight',
  'blood_glucose',
  'respiratory_rate',
] as const;

export type VitalKind = (typeof VITAL_KINDS)[number];

export interface ComponentSpec {
  /** camelCase name used in payloads and as the InfluxDB field name. */
  readonly name: string;
  readonly loinc: string;
  /** Further LOINC codes that also apply (FHIR vital-signs profiles ask for some). */
  readonly alsoLoinc?: readonly string[];
  readonly display: string;
  /** UCUM code of the canonical unit. */
  readonly unit: string;
  /** Physiologically plausible range, inclusive. */
  readonly plausible: { readonly min: number; readonly max: number };
}

export interface KindSpec {
  readonly kind: VitalKind;
  /** InfluxDB measurement name: the kind itself, one measurement per kind. */
  readonly measurement: string;
  /** LOINC code of the panel (for multi-component kinds) or of the single observation. */
  readonly loinc: string;
  readonly display: string;
  readonly components: readonly ComponentSpec[];
}

/** Alternative units a device or a user may speak, with the factor to the canonical unit. */
export interface AlternateUnit {
  readonly unit: string;
  readonly loinc?: string;
  /** canonical = value * factor */
  readonly factor: number;
}

export const CATALOGUE: Readonly<Record<VitalKind, KindSpec>> = {
  blood_pressure: {
    kind: 'blood_pressure',
    measurement: 'blood_pressure',
    loinc: '85354-9',
    display: 'Blood pressure panel with all children optional',
    components: [
      { name: 'systolic', loinc: '8480-6', display: 'Systolic blood pressure', unit: 'mm[Hg]', plausible: { min: 40, max: 300 } },
      { name: 'diastolic', loinc: '8462-4', display: 'Diastolic blood pressure', unit: 'mm[Hg]', plausible: { min: 20, max: 200 } },
      { name: 'meanArterialPressure', loinc: '8478-0', display: 'Mean blood pressure', unit: 'mm[Hg]', plausible: { min: 30, max: 250 } },
    ],
  },
  heart_rate: {
    kind: 'heart_rate',
    measurement: 'heart_rate',
    loinc: '8867-4',
    display: 'Heart rate',
    components: [{ name: 'heartRate', loinc: '8867-4', display: 'Heart rate', unit: '/min', plausible: { min: 20, max: 250 } }],
  },
  spo2: {
    kind: 'spo2',
    measurement: 'spo2',
    loinc: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    components: [
      {
        name: 'spo2',
        loinc: '59408-5',
        alsoLoinc: ['2708-6'],
        display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
        unit: '%',
        plausible: { min: 50, max: 100 },
      },
    ],
  },
  body_temperature: {
    kind: 'body_temperature',
    measurement: 'body_temperature',
    loinc: '8310-5',
    display: 'Body temperature',
    components: [{ name: 'temperature', loinc: '8310-5', display: 'Body temperature', unit: 'Cel', plausible: { min: 25, max: 45 } }],
  },
  body_weight: {
    kind: 'body_weight',
    measurement: 'body_weight',
    loinc: '29463-7',
    display: 'Body weight',
    components: [{ name: 'weight', loinc: '29463-7', display: 'Body weight', unit: 'kg', plausible: { min: 10, max: 400 } }],
  },
  blood_glucose: {
    kind: 'blood_glucose',
    measurement: 'blood_glucose',
    loinc: '15074-8',
    display: 'Glucose [Moles/volume] in Blood',
    components: [
      // Nordic practice reports glucose in mmol/L; mg/dL (2339-0) is accepted on the way in and converted.
      { name: 'glucose', loinc: '15074-8', display: 'Glucose [Moles/volume] in Blood', unit: 'mmol/L', plausible: { min: 0.5, max: 45 } },
    ],
  },
  respiratory_rate: {
    kind: 'respiratory_rate',
    measurement: 'respiratory_rate',
    loinc: '9279-1',
    display: 'Respiratory rate',
    components: [{ name: 'respiratoryRate', loinc: '9279-1', display: 'Respiratory rate', unit: '/min', plausible: { min: 4, max: 60 } }],
  },
};

/** Units accepted for conversion into a component's canonical unit. */
export const ALTERNATE_UNITS: Readonly<Record<string, readonly AlternateUnit[]>> = {
  // 1 kPa = 7.50062 mmHg
  'mm[Hg]': [{ unit: 'kPa', factor: 7.500616827 }],
  // °F -> °C is affine, handled in toCanonical.
  Cel: [],
  // 1 lb = 0.45359237 kg (exact, by definition)
  kg: [{ unit: '[lb_av]', factor: 0.45359237 }],
  // glucose molar mass 180.156 g/mol: 1 mg/dL = 0.0555 mmol/L
  'mmol/L': [{ unit: 'mg/dL', loinc: '2339-0', factor: 1 / 18.0156 }],
};

export function kindSpec(kind: VitalKind): KindSpec {
  return CATALOGUE[kind];
}

export function componentSpec(kind: VitalKind, name: string): ComponentSpec | undefined {
  return CATALOGUE[kind].components.find((c) => c.name === name);
}

export function isVitalKind(value: string): value is VitalKind {
  return (VITAL_KINDS as readonly string[]).includes(value);
}

/** Converts a value in a known alternative unit to the canonical unit, or undefined if the unit is unknown. */
export function toCanonical(value: number, fromUnit: string, canonicalUnit: string): number | undefined {
  if (fromUnit === canonicalUnit) return value;
  if (canonicalUnit === 'Cel' && fromUnit === '[degF]') return ((value - 32) * 5) / 9;
  const alt = ALTERNATE_UNITS[canonicalUnit]?.find((a) => a.unit === fromUnit);
  return alt ? value * alt.factor : undefined;
}

export interface PlausibilityProblem {
  readonly component: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
}

/** True when some component lies outside its plausible range: implausibleComponents(...).length > 0 without the arrays (ingest's hot path). */
export function hasImplausibleComponent(kind: VitalKind, components: readonly { readonly name: string; readonly value: number }[]): boolean {
  const specs = CATALOGUE[kind].components;
  for (const c of components) {
    for (const spec of specs) {
      if (spec.name !== c.name) continue;
      if (c.value < spec.plausible.min || c.value > spec.plausible.max) return true;
      break;
    }
  }
  return false;
}

/** Components whose values lie outside the plausible range (a data-quality flag, not a clinical one). */
export function implausibleComponents(kind: VitalKind, values: Readonly<Record<string, number>>): PlausibilityProblem[] {
  const problems: PlausibilityProblem[] = [];
  for (const spec of CATALOGUE[kind].components) {
    const value = values[spec.name];
    if (value === undefined) continue;
    if (value < spec.plausible.min || value > spec.plausible.max) {
      problems.push({ component: spec.name, value, min: spec.plausible.min, max: spec.plausible.max });
    }
  }
  return problems;
}
