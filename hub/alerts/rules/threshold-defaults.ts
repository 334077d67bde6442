/**
 * Default threshold bands per vital component, their changes per condition group, and the merge
 * with a patient's own overrides (defaults -> groups in CONDITION_GROUPS order -> patient).
 *
 * Severity of a single vital follows one rule of thumb so that bands and NEWS2 agree:
 *   a value NEWS2 scores 2 -> low, a value NEWS2 scores 3 -> medium (RCP: "urgent ward-based
 *   response", the same as the low-medium aggregate band), beyond that only where a guideline names
 *   a level of danger (grade 3 hypertension, level 2 hypoglycaemia, SpO2 < 85 %, hypothermia).
 * Sources:
 *   [ESH]   Williams B et al. 2018 ESC/ESH Guidelines for the management of arterial hypertension.
 *           Eur Heart J 2018;39:3021-3104. Grades: 1 = 140-159/90-99, 2 = 160-179/100-109,
 *           3 = >= 180/>= 110 mmHg; home BP hypertension threshold 135/85 mmHg (Table 4).
 *   [NEWS2] Royal College of Physicians. National Early Warning Score (NEWS) 2. London: RCP, 2017.
 *   [BTS]   O'Driscoll BR et al. BTS guideline for oxygen use in adults in healthcare and emergency
 *           settings. Thorax 2017;72:i1-i90. Target 94-98 %, 88-92 % if at risk of hypercapnic
 *           respiratory failure (e.g. COPD); SpO2 < 85 % calls for high-flow oxygen.
 *   [TIR]   Battelino T et al. International consensus on time in range. Diabetes Care 2019;42:1593;
 *           ADA Standards of Care 2024 §6: hypoglycaemia level 1 < 3.9 mmol/L (70 mg/dL), level 2
 *           < 3.0 mmol/L (54 mg/dL); hyperglycaemia level 1 > 10.0 (180), level 2 > 13.9 (250);
 *           ADA hyperosmolar hyperglycaemic state: glucose >= 33.3 mmol/L (600 mg/dL).
 *   [IDSA]  High KP et al. Clinical practice guideline for the evaluation of fever and infection in
 *           older adult residents of long-term care facilities. Clin Infect Dis 2009;48:149-171:
 *           fever = single oral temperature > 37.8 °C, or a rise > 1.1 °C over baseline.
 *   [HYPO]  Hypothermia < 35 °C; moderate < 32 °C (Swiss staging; ERC Guidelines 2021, special
 *           circumstances).
 *   [HF]    McDonagh TA et al. 2021 ESC Guidelines for heart failure. Eur Heart J 2021;42:3599:
 *           asymptomatic low blood pressure on guideline-directed therapy is common and is not in
 *           itself a reason to stop it.
 */
import { CONDITION_GROUPS, type ComponentKey, type ComponentThreshold, type ConditionGroup, type PatientContext, type ThresholdOverrides } from './types.js';

/** What an override starts from when a component has no default (e.g. mean arterial pressure). */
export const BASE_THRESHOLD: ComponentThreshold = { high: [], low: [], hysteresis: 0, consecutive: 1, sustainedMinutes: 0, lookbackHours: 72 };

const base = (t: Partial<ComponentThreshold>): ComponentThreshold => ({ ...BASE_THRESHOLD, ...t });

export const DEFAULT_THRESHOLDS: Readonly<Partial<Record<ComponentKey, ComponentThreshold>>> = {
  'blood_pressure.systolic': base({
    high: [
      { op: '>=', limit: 160, severity: 'low' }, // [ESH] grade 2
      { op: '>=', limit: 180, severity: 'medium' }, // [ESH] grade 3
      { op: '>=', limit: 220, severity: 'high' }, // [NEWS2] SBP >= 220 scores 3; hypertensive emergency range
    ],
    low: [
      { op: '<=', limit: 100, severity: 'low' }, // [NEWS2] 91-100 scores 2
      { op: '<=', limit: 90, severity: 'medium' }, // [NEWS2] <= 90 scores 3
    ],
    hysteresis: 5,
  }),
  'blood_pressure.diastolic': base({
    high: [
      { op: '>=', limit: 100, severity: 'low' }, // [ESH] grade 2
      { op: '>=', limit: 110, severity: 'medium' }, // [ESH] grade 3
      { op: '>=', limit: 120, severity: 'high' }, // [ESH] §10: severe hypertension, >180/120 in emergencies
    ],
    hysteresis: 5,
  }),
  'heart_rate.heartRate': base({
    high: [
      { op: '>=', limit: 111, severity: 'low' }, // [NEWS2] 111-130 scores 2
      { op: '>=', limit: 131, severity: 'medium' }, // [NEWS2] >= 131 scores 3
    ],
    low: [
      { op: '<=', limit: 40, severity: 'medium' }, // [NEWS2] <= 40 scores 3 (41-50 scores 1: common on beta-blockers, not alerted)
    ],
    hysteresis: 5,
  }),
  'spo2.spo2': base({
    low: [
      { op: '<=', limit: 93, severity: 'low' }, // [NEWS2] scale 1: 92-93 scores 2; [BTS] below the 94 % target
      { op: '<=', limit: 91, severity: 'medium' }, // [NEWS2] scale 1: <= 91 scores 3
      { op: '<', limit: 88, severity: 'high' }, // [BTS] below the lowest target set for anyone
      { op: '<', limit: 85, severity: 'urgent' }, // [BTS] < 85 %: high-flow oxygen
    ],
    hysteresis: 1,
  }),
  'body_temperature.temperature': base({
    high: [
      { op: '>', limit: 37.8, severity: 'low' }, // [IDSA] fever in older adults
      { op: '>=', limit: 39.1, severity: 'medium' }, // [NEWS2] >= 39.1 scores 2 (raised: fever in the frail is under-expressed)
    ],
    low: [
      { op: '<=', limit: 35, severity: 'medium' }, // [NEWS2] <= 35.0 scores 3; [HYPO] hypothermia
      { op: '<', limit: 32, severity: 'urgent' }, // [HYPO] moderate hypothermia: a cold house in a Nordic winter
    ],
    hysteresis: 0.2,
  }),
  'blood_glucose.glucose': base({
    high: [
      { op: '>', limit: 13.9, severity: 'medium' }, // [TIR] level 2 hyperglycaemia
      { op: '>=', limit: 33.3, severity: 'urgent' }, // [TIR] ADA hyperosmolar hyperglycaemic state
    ],
    low: [
      { op: '<', limit: 3.9, severity: 'medium' }, // [TIR] level 1 hypoglycaemia
      { op: '<', limit: 3.0, severity: 'urgent' }, // [TIR] level 2: clinically significant, and nobody else is home
    ],
    hysteresis: 0.3,
  }),
  'respiratory_rate.respiratoryRate': base({
    high: [
      { op: '>=', limit: 21, severity: 'low' }, // [NEWS2] 21-24 scores 2
      { op: '>=', limit: 25, severity: 'medium' }, // [NEWS2] >= 25 scores 3
    ],
    low: [{ op: '<=', limit: 8, severity: 'medium' }], // [NEWS2] <= 8 scores 3
    hysteresis: 1,
  }),
};

/** What each condition group changes; a group replaces whole fields (e.g. all low bands of SpO2). */
export const GROUP_THRESHOLDS: Readonly<Record<ConditionGroup, ThresholdOverrides>> = {
  copd: {
    // [BTS] target 88-92 % for those at risk of hypercapnic respiratory failure; bands follow NEWS2 scale 2.
    'spo2.spo2': {
      low: [
        { op: '<=', limit: 87, severity: 'low' }, // scale 2: 86-87 scores 1, below the 88 % target
        { op: '<=', limit: 85, severity: 'medium' }, // scale 2: 84-85 scores 2
        { op: '<=', limit: 83, severity: 'high' }, // scale 2: <= 83 scores 3
        { op: '<', limit: 80, severity: 'urgent' }, // local choice (no guideline figure): well below any target
      ],
    },
  },
  heart_failure: {
    // [HF] low BP on therapy is expected; still alerted, one step lower. 80 mmHg is a local choice, review it.
    'blood_pressure.systolic': {
      low: [
        { op: '<=', limit: 90, severity: 'low' },
        { op: '<=', limit: 80, severity: 'medium' },
      ],
    },
  },
  hypertension: {
    // [ESH] home BP above 135/85 is above target: shown (info), never paged.
    'blood_pressure.systolic': {
      high: [
        { op: '>=', limit: 135, severity: 'info' },
        { op: '>=', limit: 160, severity: 'low' },
        { op: '>=', limit: 180, severity: 'medium' },
        { op: '>=', limit: 220, severity: 'high' },
      ],
    },
    'blood_pressure.diastolic': {
      high: [
        { op: '>=', limit: 85, severity: 'info' },
        { op: '>=', limit: 100, severity: 'low' },
        { op: '>=', limit: 110, severity: 'medium' },
        { op: '>=', limit: 120, severity: 'high' },
      ],
    },
  },
  diabetes: {
    // [TIR] above the 3.9-10.0 mmol/L target range: shown (info), never paged.
    'blood_glucose.glucose': {
      high: [
        { op: '>', limit: 10, severity: 'info' },
        { op: '>', limit: 13.9, severity: 'medium' },
        { op: '>=', limit: 33.3, severity: 'urgent' },
      ],
    },
  },
};

function apply(into: Map<ComponentKey, ComponentThreshold>, overrides: ThresholdOverrides | undefined): void {
  for (const [key, override] of Object.entries(overrides ?? {}) as [ComponentKey, Partial<ComponentThreshold> | undefined][]) {
    if (!override) continue;
    const defined = Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined));
    into.set(key, { ...(into.get(key) ?? BASE_THRESHOLD), ...defined });
  }
}

/** The thresholds that apply to this patient: defaults, then each of the patient's groups, then their overrides. */
export function resolveThresholds(context: Pick<PatientContext, 'conditionGroups' | 'thresholdOverrides'>): Map<ComponentKey, ComponentThreshold> {
  const out = new Map<ComponentKey, ComponentThreshold>(Object.entries(DEFAULT_THRESHOLDS) as [ComponentKey, ComponentThreshold][]);
  for (const group of CONDITION_GROUPS) {
    if (context.conditionGroups.includes(group)) apply(out, GROUP_THRESHOLDS[group]);
  }
  apply(out, context.thresholdOverrides);
  for (const [key, t] of out) if (t.disabled === true || (t.high.length === 0 && t.low.length === 0)) out.delete(key);
  return out;
}
