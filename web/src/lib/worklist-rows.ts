/**
 * The worklist's rows: each patient with the reasons they are where they are (open alerts told
 * apart as clinical, missing readings by cause, and technical states such as a box offline or a
 * flat battery), and the filters. Pure, so the sorting and filtering are tested without a browser.
 */
import type { Alert, WorklistPatient } from '../api/types.js';

export type StateFilter = 'all' | 'withAlerts' | 'missingReadings' | 'technicalIssues' | 'quiet';

export interface WorklistRow {
  readonly patient: WorklistPatient;
  readonly clinical: readonly Alert[];
  readonly missing: readonly Alert[];
  readonly technical: readonly Alert[];
  /** Lower-cased name for search. */
  readonly searchKey: string;
}

export function isMissingReading(alert: Alert): boolean {
  return alert.rule.startsWith('missing:');
}

export function isTechnical(alert: Alert): boolean {
  return alert.audience === 'technical' && !isMissingReading(alert);
}

const sameList = (a: readonly Alert[], b: readonly Alert[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Rows in the API's order (already most worrying first). A row whose patient and alerts are the
 * very objects of `previous` is returned as it was, so a live alert about one patient re-renders
 * one memoised row, not the whole list.
 */
export function worklistRows(patients: readonly WorklistPatient[], openAlerts: readonly Alert[], previous: readonly WorklistRow[] = []): WorklistRow[] {
  const before = new Map(previous.map((r) => [r.patient.id, r]));
  const byPatient = new Map<string, Alert[]>();
  for (const alert of openAlerts) {
    if (!alert.patientId || alert.state === 'resolved') continue;
    const list = byPatient.get(alert.patientId) ?? [];
    list.push(alert);
    byPatient.set(alert.patientId, list);
  }
  return patients.map((patient) => {
    const alerts = byPatient.get(patient.id) ?? [];
    const clinical = alerts.filter((a) => !isMissingReading(a) && !isTechnical(a));
    const missing = alerts.filter(isMissingReading);
    const technical = alerts.filter(isTechnical);
    const old = before.get(patient.id);
    if (old && old.patient === patient && sameList(old.clinical, clinical) && sameList(old.missing, missing) && sameList(old.technical, technical)) return old;
    return { patient, clinical, missing, technical, searchKey: patient.displayName.toLocaleLowerCase() };
  });
}

export interface WorklistFilter {
  readonly search: string;
  readonly careTeamId: string;
  readonly condition: string;
  readonly state: StateFilter;
}

export function filterRows(rows: readonly WorklistRow[], filter: WorklistFilter): WorklistRow[] {
  const needle = filter.search.trim().toLocaleLowerCase();
  return rows.filter((row) => {
    if (needle && !row.searchKey.includes(needle)) return false;
    if (filter.careTeamId && row.patient.careTeamId !== filter.careTeamId) return false;
    if (filter.condition && !row.patient.conditionGroups.includes(filter.condition)) return false;
    switch (filter.state) {
      case 'all':
        return true;
      case 'withAlerts':
        return row.patient.openAlerts > 0;
      case 'missingReadings':
        return row.missing.length > 0;
      case 'technicalIssues':
        return row.technical.length > 0 || row.missing.some((a) => a.cause === 'gateway_offline' || a.cause === 'battery_flat');
      case 'quiet':
        return row.patient.openAlerts === 0;
    }
  });
}
