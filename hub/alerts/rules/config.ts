/**
 * The per-patient rule configuration a care team edits, as JSON (stored with the patient's rules in
 * SQL, edited through the API). Parsed by zod into a PatientContext; every field is optional and
 * falls back to the defaults of the rule files. See docs/alerts.md for a worked example.
 */
import { PatientRuleConfig, parseWith, type Parsed } from '../../../contract/index.js';
import type { PatientContext } from './types.js';

// The schema is shared with the API (contract/alert-rule-config.ts); the rules re-export it.
export { PatientRuleConfig, TimeZone, type PatientRuleConfigInput } from '../../../contract/index.js';

export function parsePatientRuleConfig(json: unknown): Parsed<PatientRuleConfig> {
  return parseWith(PatientRuleConfig, json);
}

/** The rules' view of a patient, from their parsed configuration. */
export function patientContext(patientId: string, config: PatientRuleConfig): PatientContext {
  return {
    patientId,
    timeZone: config.timeZone,
    conditionGroups: config.conditionGroups,
    hypercapnicRespiratoryFailure: config.hypercapnicRespiratoryFailure,
    ...(config.onLongTermOxygen === undefined ? {} : { onLongTermOxygen: config.onLongTermOxygen }),
    ...(config.monitoringSince ? { monitoringSince: config.monitoringSince } : {}),
    thresholdOverrides: config.thresholds,
    schedules: config.schedules,
    ...(config.questionnaires.length > 0 && { questionnaireSchedules: config.questionnaires }),
    passiveIntervals: config.passive,
    ...(config.news2 ? { news2: config.news2 } : {}),
    ...(config.weightGain ? { weightGain: config.weightGain } : {}),
    ...(config.baselines ? { baselines: config.baselines } : {}),
  };
}
