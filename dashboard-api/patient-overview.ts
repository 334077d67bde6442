/**
 * A care team's worklist (as OpenTele's patient overview): each patient with their latest vitals
 * per kind, open alerts and NEWS2, the most worrying first. Latest vitals come from InfluxDB in one
 * query for the whole team; alert figures from the alert engine through AlertReader.
 */
import { ALERT_SEVERITIES } from '../contract/index.js';
import type { PatientSummary } from '../hub/registry/registry.js';
import type { LatestVital } from '../hub/storage/latest-vitals.js';
import type { ApiServices, PatientRisk } from './services.js';

export interface WorklistEntry {
  readonly patient: PatientSummary;
  readonly latest: readonly LatestVital[];
  readonly risk: PatientRisk;
}

const NO_RISK: PatientRisk = { openAlerts: 0 };
const collator = new Intl.Collator('da', { sensitivity: 'base', numeric: true });

/**
 * Most worrying first: the highest severity of an open alert (urgent > high > ... > none), then the
 * NEWS2 total (an aggregate can be worrying before any single alert fires), then the number of
 * open alerts; equal risk sorts by name (Danish collation: æ, ø, å after z), then id.
 */
export function compareByRisk(a: WorklistEntry, b: WorklistEntry): number {
  const severity = (r: PatientRisk) => (r.highestSeverity ? ALERT_SEVERITIES.indexOf(r.highestSeverity) : -1);
  return (
    severity(b.risk) - severity(a.risk) ||
    (b.risk.news2?.total ?? -1) - (a.risk.news2?.total ?? -1) ||
    b.risk.openAlerts - a.risk.openAlerts ||
    collator.compare(a.patient.displayName, b.patient.displayName) ||
    (a.patient.id < b.patient.id ? -1 : a.patient.id > b.patient.id ? 1 : 0)
  );
}

export async function buildWorklist(
  services: Pick<ApiServices, 'latestVitals' | 'alerts'>,
  patients: readonly PatientSummary[],
  since: Date,
): Promise<WorklistEntry[]> {
  const ids = patients.map((p) => p.id);
  const [latest, risk] = await Promise.all([services.latestVitals.latest(ids, since), services.alerts.riskOf(ids)]);
  return patients
    .map((patient) => ({ patient, latest: latest.get(patient.id) ?? [], risk: risk.get(patient.id) ?? NO_RISK }))
    .sort(compareByRisk);
}
