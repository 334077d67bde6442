/**
 * Configuration and remembered state of the alert engine besides the alerts: per-patient rule
 * configuration, per-team routing, the last known state of each gateway, per-patient facts (the
 * home's gateway, the last NEWS2 score) and the engine's last run. sql-config-store.ts implements it.
 */
import type { DeviceState as ReportedDevice } from '../../contract/index.js';

export interface StoredConfig {
  /** The JSON as the care team wrote it (validated on write and on use). */
  readonly config: unknown;
  readonly updatedAt: Date;
  readonly updatedBy: string;
}

export interface RememberedGateway {
  readonly gatewayId: string;
  readonly state: 'online' | 'offline';
  readonly stateAt: Date;
  readonly lastHeartbeatAt?: Date;
  readonly heartbeatS?: number;
  readonly devices: readonly ReportedDevice[];
}

export interface News2Snapshot {
  readonly total: number;
  readonly at: Date;
  readonly missing: readonly string[];
}

export interface PatientFacts {
  readonly patientId: string;
  /** The gateway the patient's readings came from last. */
  readonly gatewayId?: string;
  readonly lastEvaluatedAt?: Date;
  readonly news2?: News2Snapshot;
}

export interface AlertConfigStore {
  patientRules(patientId: string): Promise<StoredConfig | undefined>;
  setPatientRules(patientId: string, config: unknown, actor: string, at: Date): Promise<void>;
  teamRouting(careTeamId: string): Promise<StoredConfig | undefined>;
  setTeamRouting(careTeamId: string, config: unknown, actor: string, at: Date): Promise<void>;
}

export interface EngineStateStore {
  gateways(): Promise<RememberedGateway[]>;
  gateway(gatewayId: string): Promise<RememberedGateway | undefined>;
  rememberGateways(gateways: readonly RememberedGateway[], at: Date): Promise<void>;
  patientFacts(patientIds: readonly string[]): Promise<Map<string, PatientFacts>>;
  rememberPatient(facts: PatientFacts): Promise<void>;
  lastTickAt(): Promise<Date | undefined>;
  setLastTickAt(at: Date): Promise<void>;
}
