/** Row shapes of the registry tables and their mapping to the JSON records of the admin interface. */
import type { AssignmentRecord, CareTeamRecord, GatewayRecord, PatientRecord, TokenRecord, UserRecord } from './registry-admin.js';
import type { Role } from './registry.js';

/** Both pg and PGlite return timestamptz as a Date. */
export type Ts = Date;

export const iso = (d: Ts): string => d.toISOString();
export const isoOrNull = (d: Ts | null): string | null => (d ? d.toISOString() : null);

export interface GatewayRow {
  id: string;
  site_id: string | null;
  created_at: Ts;
  revoked_at: Ts | null;
}
export const GATEWAY_COLUMNS = 'id, site_id, created_at, revoked_at';
export const gatewayRecord = (r: GatewayRow): GatewayRecord => ({ id: r.id, siteId: r.site_id, createdAt: iso(r.created_at), revokedAt: isoOrNull(r.revoked_at) });

export interface CareTeamRow {
  id: string;
  display_name: string;
  created_at: Ts;
}
export const careTeamRecord = (r: CareTeamRow): CareTeamRecord => ({ id: r.id, displayName: r.display_name, createdAt: iso(r.created_at) });

export interface PatientRow {
  id: string;
  care_team_id: string;
  display_name: string;
  rules: Record<string, unknown>;
  condition_groups: string[];
  hypercapnic: boolean;
  time_zone: string;
  created_at: Ts;
  updated_at: Ts;
}
export const PATIENT_COLUMNS = 'id, care_team_id, display_name, rules, condition_groups, hypercapnic, time_zone, created_at, updated_at';
export const patientRecord = (r: PatientRow): PatientRecord => ({
  id: r.id,
  careTeamId: r.care_team_id,
  displayName: r.display_name,
  conditionGroups: r.condition_groups,
  hypercapnic: r.hypercapnic,
  timeZone: r.time_zone,
  rules: r.rules,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

export interface AssignmentRow {
  device_id: string;
  user_index: number | null;
  patient_id: string;
  valid_from: Ts;
  valid_to: Ts | null;
}
export const ASSIGNMENT_COLUMNS = 'device_id, user_index, patient_id, valid_from, valid_to';
export const assignmentRecord = (r: AssignmentRow): AssignmentRecord => ({
  deviceId: r.device_id,
  userIndex: r.user_index,
  patientId: r.patient_id,
  validFrom: iso(r.valid_from),
  validTo: isoOrNull(r.valid_to),
});

export interface UserRow {
  id: string;
  display_name: string;
  role: Role;
  care_team_ids: string[];
  created_at: Ts;
}
/** Users with their care teams as an array, ordered so that output is stable. */
export const USER_SELECT = `SELECT u.id, u.display_name, u.role, u.created_at,
  coalesce(array(SELECT m.care_team_id FROM care_team_members m WHERE m.user_id = u.id ORDER BY m.care_team_id), '{}') AS care_team_ids
  FROM users u`;
export const userRecord = (r: UserRow): UserRecord => ({
  id: r.id,
  displayName: r.display_name,
  role: r.role,
  careTeamIds: r.care_team_ids,
  createdAt: iso(r.created_at),
});

export interface TokenRow {
  id: string;
  user_id: string;
  created_at: Ts;
  expires_at: Ts;
  revoked_at: Ts | null;
  last_used_at: Ts | null;
}
export const TOKEN_COLUMNS = 'id, user_id, created_at, expires_at, revoked_at, last_used_at';
export const tokenRecord = (r: TokenRow): TokenRecord => ({
  id: r.id,
  userId: r.user_id,
  createdAt: iso(r.created_at),
  expiresAt: iso(r.expires_at),
  revokedAt: isoOrNull(r.revoked_at),
  lastUsedAt: isoOrNull(r.last_used_at),
});
