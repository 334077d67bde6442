/**
 * What the API needs from the hub, as narrow interfaces: tests stub only what a route uses, and
 * the SQL registry, the alert engine and the ingest side each satisfy the part that is theirs.
 */
import type { AlertMessage, AlertSeverity } from '../contract/index.js';
import type { AuditStore } from '../hub/audit/audit-entry.js';
import type { AuditTrail } from '../hub/audit/audit-trail.js';
import type { GatewayStateView } from '../hub/ingest/gateway-state.js';
import type { DeviceDirectory, PatientDirectory, PatientSummary, TokenDirectory } from '../hub/registry/registry.js';
import type { ObservationStore } from '../hub/observations/observation-store.js';
import type { KioskAccess } from '../hub/rooms/kiosk.js';
import type { RoomSessions } from '../hub/rooms/room-sessions.js';
import type { QuestionnaireStore } from '../hub/questionnaires/questionnaire-model.js';
import type { LatestVitalsReader } from '../hub/storage/latest-vitals.js';
import type { ReadingsRepository } from '../hub/storage/readings-repository.js';
import type { TrendsRepository } from '../hub/storage/trends-repository.js';
import type { UnassignedDevice } from '../hub/storage/unassigned-inbox.js';

/** A patient as the registry keeps it, with the rule configuration the care team edits (JSON, validated by the alert rules' schema). */
export interface PatientRecord extends PatientSummary {
  /** PatientRuleConfig input (hub/alerts/rules/config.ts): condition groups, schedules, thresholds, passive intervals, ... */
  readonly rules: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewPatient {
  readonly id: string;
  readonly careTeamId: string;
  readonly displayName: string;
  readonly rules: Readonly<Record<string, unknown>>;
}

export type PatientChanges = Partial<Omit<NewPatient, 'id'>>;

export class PatientExistsError extends Error {
  constructor(readonly patientId: string) {
    super(`patient ${patientId} already exists`);
    this.name = 'PatientExistsError';
  }
}

/** Patients: the roster of care teams, and an admin's changes. The SQL registry implements it. */
export interface PatientStore extends PatientDirectory {
  /** Patients of these care teams ('all' for admins), any order. */
  listPatients(careTeamIds: readonly string[] | 'all'): Promise<PatientSummary[]>;
  getPatientRecord(patientId: string): Promise<PatientRecord | undefined>;
  /** Throws PatientExistsError when the id is taken. */
  createPatient(patient: NewPatient): Promise<PatientRecord>;
  /** undefined when there is no such patient. */
  updatePatient(patientId: string, changes: PatientChanges): Promise<PatientRecord | undefined>;
  /** Whether the care team exists (routing may only be stored for a real team). */
  careTeamExists(careTeamId: string): Promise<boolean>;
}

/** NEWS2 as the alert engine last scored it for a patient (RCP 2017). */
export interface News2Score {
  readonly total: number;
  readonly at: string;
  /** Parameters the score could not use (not measured at home recently). */
  readonly missing: readonly string[];
}

export interface PatientRisk {
  readonly openAlerts: number;
  readonly highestSeverity?: AlertSeverity;
  readonly news2?: News2Score;
}

/** The alert engine's view of patients for the worklist. Until the engine exists: `noAlerts`. */
export interface AlertReader {
  riskOf(patientIds: readonly string[]): Promise<Map<string, PatientRisk>>;
}

export type AlertListener = (event: AlertMessage) => void;

/** Alert events as they happen, for the live stream. The alert engine publishes them. */
export interface AlertEvents {
  /** Events of these care teams ('all' for admins); returns the unsubscribe function. */
  subscribe(careTeamIds: readonly string[] | 'all', listener: AlertListener): () => void;
}

/** The hub's latest knowledge of each gateway (hub/ingest/gateway-state.ts's GatewayStateStore). */
export interface GatewayStatusSource {
  all(): ReadonlyMap<string, GatewayStateView>;
}

/** Readings waiting with the patient tag `_unassigned`, per device and gateway (hub/storage/unassigned-inbox.ts). */
export interface UnassignedInbox {
  devices(): Promise<UnassignedDevice[]>;
}

export interface DeviceAssignment {
  readonly deviceId: string;
  readonly userIndex?: number;
  readonly patientId: string;
  /** Default: the device's earliest waiting reading (so all of them join the patient), else now. */
  readonly from?: Date;
  readonly to?: Date;
}

/**
 * Assigns a device (and user index) to a patient for a period and moves the readings waiting in
 * the unassigned inbox for that period to the patient. The registry (assignment) and
 * hub/storage/quarantine.ts (re-tagging in InfluxDB) implement it.
 */
export interface DeviceAssigner {
  assign(assignment: DeviceAssignment): Promise<{ readonly readingsMoved: number; readonly from: Date; readonly to: Date | undefined }>;
}

export interface AuditServices {
  /** Batched writer: reads wait for their entry to be durable, see hub/audit/audit-trail.ts. */
  readonly trail: AuditTrail;
  readonly store: AuditStore;
}

export interface ApiServices {
  readonly tokens: TokenDirectory;
  readonly patients: PatientStore;
  readonly readings: ReadingsRepository;
  readonly trends: TrendsRepository;
  readonly latestVitals: LatestVitalsReader;
  readonly alerts: AlertReader;
  readonly alertEvents: AlertEvents;
  readonly gateways: GatewayStatusSource;
  /** Which patient a gateway's devices belong to, to show clinicians only their patients' homes. */
  readonly devices: DeviceDirectory;
  readonly unassigned: UnassignedInbox;
  readonly assigner: DeviceAssigner;
  readonly audit: AuditServices;
  /** Observations entered by people (hub/observations); absent: the observation routes answer 503. */
  readonly observations?: ObservationStore;
  /** Community rooms and check-in sessions (hub/rooms, SQL registry only); absent: the room routes answer 503. */
  readonly rooms?: Pick<RoomSessions, 'createRoom' | 'room' | 'listRooms' | 'current' | 'session' | 'open' | 'close' | 'now'>;
  /** Kiosk links, residents' check-in codes and kiosk session tokens (hub/rooms/kiosk.ts); absent: the kiosk routes answer 503. */
  readonly kiosk?: Pick<KioskAccess, 'createLink' | 'listLinks' | 'revokeLink' | 'linkOfToken' | 'issueCode' | 'patientOfCode' | 'hold' | 'held'>;
  /**
   * Questionnaire hook for the kiosk (issue #12, questionnaires are built elsewhere): the answer page
   * (`/app/q/<token>`) a resident checked in at a kiosk should be offered, if any is due. Absent: none.
   */
  readonly kioskQuestionnaireLink?: (input: { readonly patientId: string; readonly sessionId: string }) => Promise<string | undefined>;
  /** Entered observations were stored for these patients: the alert engine re-scores them (NEWS2) at once. */
  readonly onObservationsStored?: (patientIds: readonly string[]) => void;
  /** Questionnaire definitions, responses and answer links (SQL registry only); absent: those routes answer 503. */
  readonly questionnaires?: QuestionnaireStore & {
    /** A response was stored: evaluate the patient's rules now rather than at the next tick. */
    readonly onAnswered?: (patientId: string) => void;
  };
}
