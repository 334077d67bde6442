/**
 * The pure evaluation step of one patient at one instant, shared by the live engine
 * (engine-evaluate.ts) and the back-test replay (quality/replay.ts), so that a back-test runs the
 * very code the engine runs: the patient's context from the registry's columns and the care team's
 * JSON, the readings turned into samples, the home's status, and every rule (evaluatePatient).
 */
import type { PatientSummary } from '../registry/registry.js';
import type { RememberedGateway } from './config-store.js';
import { homeStatus, kindsByDevice } from './home-status.js';
import type { PatientReading } from './patient-readings.js';
import { evaluatePatient, gatewayOffline, parsePatientRuleConfig, patientContext, samplesFromReadings, type AnsweredQuestionnaireFacts, type AssistedObservations, type HomeStatus, type OpenAlerts, type PatientContext, type RuleFinding, type SharedFindings, type VitalKind, type VitalSample } from './rules/index.js';
import type { Parsed } from '../../contract/index.js';

/** The registry's columns (zone, condition groups, hypercapnia) under the care team's rule JSON. */
export function contextFromConfig(patient: PatientSummary, json: unknown): Parsed<PatientContext> {
  const base = {
    ...(patient.timeZone ? { timeZone: patient.timeZone } : {}),
    ...(patient.conditionGroups ? { conditionGroups: patient.conditionGroups } : {}),
    ...(patient.hypercapnic !== undefined ? { hypercapnicRespiratoryFailure: patient.hypercapnic } : {}),
  };
  const doc = typeof json === 'object' && json !== null ? json : {};
  const parsed = parsePatientRuleConfig({ ...base, ...doc });
  return parsed.ok ? { ok: true, value: patientContext(patient.id, parsed.value) } : parsed;
}

export function isHomeOffline(home: HomeStatus, now: Date): boolean {
  return home.gateway !== undefined && gatewayOffline(home.gateway, now).offline;
}

export interface PatientStep {
  readonly samples: VitalSample[];
  readonly home: HomeStatus;
  readonly homeOffline: boolean;
  /** The rules' findings given the patient's open alerts; `shared`: see PatientEvaluationInput. */
  evaluate(open: OpenAlerts, shared?: SharedFindings): RuleFinding[];
}

/**
 * `rows`: the patient's readings of the history the context needs, oldest first; `assisted`: the
 * NEWS2 parameters people entered (consciousness, oxygen), none in a back-test of device rules;
 * `questionnaires`: the newest response per questionnaire; absent (a back-test) the questionnaire rules
 * are not run at all;
 * `prepared`: what the caller has derived from the rows already (the back-test cuts each instant's
 * samples and devices from the month's, converted once): the rows as samplesFromReadings turns them,
 * and the kinds each device measured (kindsByDevice).
 */
export function patientStep(
  context: PatientContext,
  rows: readonly PatientReading[],
  gateway: RememberedGateway | undefined,
  now: Date,
  lastReadingAt?: Partial<Record<VitalKind, Date>>,
  assisted: AssistedObservations = {},
  questionnaires?: readonly AnsweredQuestionnaireFacts[],
  prepared: { readonly samples?: VitalSample[]; readonly kinds?: ReadonlyMap<string, readonly VitalKind[]> } = {},
): PatientStep {
  const samples = prepared.samples ?? samplesFromReadings(rows);
  const home = homeStatus(gateway, prepared.kinds ?? kindsByDevice(rows));
  return {
    samples,
    home,
    homeOffline: isHomeOffline(home, now),
    evaluate: (open, shared) => evaluatePatient({ context, samples, assisted, home, open, ...(questionnaires && { questionnaires }), ...(lastReadingAt ? { lastReadingAt } : {}), ...(shared ? { shared } : {}) }, now),
  };
}
