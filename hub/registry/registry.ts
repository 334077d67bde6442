/**
 * What the hub needs to know about the world: which gateways may connect, which device (and user
 * index) belongs to which patient at a given time, which API tokens are valid. Narrow interfaces so
 * each consumer depends only on what it uses; the SQL registry and the in-memory one satisfy them.
 */
import type { AssignmentPeriod } from './resolve-assignment.js';

export type Role = 'admin' | 'clinician' | 'carer';

export interface Principal {
  readonly userId: string;
  readonly role: Role;
  readonly careTeamIds: readonly string[];
  /** When the credential that proved this principal stops being valid (ISO 8601), where known: a session ends then. */
  readonly expiresAt?: string;
}

export interface PatientSummary {
  readonly id: string;
  readonly careTeamId: string;
  readonly displayName: string;
  /** The SQL registry fills these; optional so that test stubs and the memory registry need not. */
  readonly conditionGroups?: readonly string[];
  /** Confirmed hypercapnic respiratory failure (NEWS2 SpO2 scale 2). */
  readonly hypercapnic?: boolean;
  /** IANA time zone of the home, e.g. Europe/Copenhagen. */
  readonly timeZone?: string;
}

export interface GatewayDirectory {
  /** Checks a gateway's secret; false for unknown or revoked gateways. */
  verifyGatewaySecret(gatewayId: string, secret: string): Promise<boolean>;
}

export interface DeviceDirectory {
  /** The patient a device (and, for multi-user devices, user index) was assigned to at that instant. */
  resolvePatient(deviceId: string, userIndex: number | undefined, at: Date): Promise<string | undefined>;
  /**
   * Ingest's hot path, optional: the device's assignment periods if known without I/O (cached),
   * else undefined and ingest asks resolvePatient. Saves a promise per reading.
   */
  knownAssignments?(deviceId: string): readonly AssignmentPeriod[] | undefined;
}

export interface PatientDirectory {
  getPatient(patientId: string): Promise<PatientSummary | undefined>;
}

export interface TokenDirectory {
  /** The principal behind a bearer token, or undefined for unknown, expired or revoked tokens. */
  verifyToken(token: string): Promise<Principal | undefined>;
}
