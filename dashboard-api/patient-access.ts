/**
 * A user sees only the patients of their care teams; admins see all. Other patients answer 404,
 * not 403, so that the API does not reveal who is a patient elsewhere.
 */
import type { PatientDirectory, PatientSummary, Principal } from '../hub/registry/registry.js';
import { ApiError } from './errors.js';

export function canSee(principal: Principal, patient: PatientSummary): boolean {
  return principal.role === 'admin' || principal.careTeamIds.includes(patient.careTeamId);
}

export async function visiblePatient(patients: PatientDirectory, principal: Principal, patientId: string): Promise<PatientSummary> {
  const patient = await patients.getPatient(patientId);
  if (!patient || !canSee(principal, patient)) throw new ApiError('RPM_ERR_NOT_FOUND', `no patient ${patientId}`);
  return patient;
}
