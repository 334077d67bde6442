/**
 * Shared input and output types of the pure alert rules. Rules take a patient's recent samples,
 * the patient's context and `now`, and return findings; the alert engine does all I/O, keeps the
 * alert lifecycle, and feeds back which rules are currently open (for hysteresis and clearing).
 */
import type { AlertSeverity, VitalKind } from '../../../contract/index.js';
import type { Answer } from '../../../contract/questionnaires/answers.js';
import type { QuestionnaireDefinition } from '../../../contract/questionnaires/definition.js';

export type { AlertSeverity, VitalKind } from '../../../contract/index.js';

export { CONDITION_GROUPS, type ComponentKey, type ConditionGroup } from '../../../contract/index.js';
import type { ComponentKey, ConditionGroup } from '../../../contract/index.js';

/** One component value of one stored reading (a blood-pressure reading yields three samples). */
export interface VitalSample {
  readonly kind: VitalKind;
  /** Component name from the catalogue, e.g. systolic, spo2, weight. */
  readonly component: string;
  /** In the catalogue's canonical unit. */
  readonly value: number;
  readonly measuredAt: Date;
  readonly readingId: string;
  /** Downloaded long after it was taken (device memory): evaluated, never paged as current. */
  readonly late: boolean;
  /** Outside the catalogue's plausible range: a data-quality problem, never a clinical finding. */
  readonly implausible: boolean;
  /** 'manual': entered by a person (typed in), not sent by a device. Absent: a device reading. */
  readonly source?: 'manual';
}


/** One severity band of a threshold: the value fires at `severity` when `value op limit` holds. */
export interface ThresholdBand {
  readonly op: '>=' | '>' | '<=' | '<';
  readonly limit: number;
  readonly severity: AlertSeverity;
}

/** Threshold settings of one component. `high` bands use >= or >, `low` bands <= or <. */
export interface ComponentThreshold {
  readonly high: readonly ThresholdBand[];
  readonly low: readonly ThresholdBand[];
  /** An open alert clears (or steps down) only once the value is inside its band's limit by this margin, in the component's unit. */
  readonly hysteresis: number;
  /** Fire only when this many consecutive current readings are in the band (1 = every reading). */
  readonly consecutive: number;
  /** Fire only when the consecutive run spans at least this long (0 = no requirement). */
  readonly sustainedMinutes: number;
  /** Only readings measured within this many hours before `now` count. */
  readonly lookbackHours: number;
  readonly disabled?: boolean;
}

/** A per-patient or per-group change to one component: each given field replaces the default's. */
export type ThresholdOverride = Partial<ComponentThreshold>;
export type ThresholdOverrides = Readonly<Partial<Record<ComponentKey, ThresholdOverride>>>;

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

interface ScheduleBase {
  readonly kind: VitalKind;
  /** Minutes after the due time before a missing reading is reported. */
  readonly graceMinutes?: number;
  /** Severity of a missed slot (default medium). */
  readonly severity?: AlertSeverity;
  /** After this many consecutive missed slots the severity becomes `escalatedSeverity` (default 2 -> high). */
  readonly escalateAfterMissed?: number;
  readonly escalatedSeverity?: AlertSeverity;
}

/** "Weight every day by 10:00" (in the patient's time zone), optionally only on some weekdays. */
export interface DailySchedule extends ScheduleBase {
  readonly type: 'daily';
  /** Local due time, HH:MM. */
  readonly by: string;
  /** Local time from which a reading counts for that day, HH:MM (default 00:00). */
  readonly from?: string;
  readonly daysOfWeek?: readonly IsoWeekday[];
}

/** "At least one reading every N hours". */
export interface IntervalSchedule extends ScheduleBase {
  readonly type: 'interval';
  readonly everyHours: number;
}

export type ReadingSchedule = DailySchedule | IntervalSchedule;

/** When a slot is due, whatever is expected in it (a reading of a kind, or a questionnaire's answers). */
export type ScheduleTiming = Omit<DailySchedule, 'kind'> | Omit<IntervalSchedule, 'kind'>;

/** "The COPD questionnaire every day by 11:00": missed slots are reported as the resident not answering. */
export type QuestionnaireSchedule = ScheduleTiming & {
  /** The questionnaire's id (any version answers it). */
  readonly questionnaire: string;
};

/** The newest response to one questionnaire, with the definition (version) it answered. */
export interface AnsweredQuestionnaireFacts {
  readonly definition: QuestionnaireDefinition;
  readonly responseId: string;
  readonly answeredAt: Date;
  readonly answers: readonly Answer[];
}

/** Monitoring paused (hospital stay, holiday with family, respite care): clinical rules stay silent. */
export interface PassiveInterval {
  readonly from: Date;
  /** Open-ended when absent. */
  readonly to?: Date;
  readonly reason: string;
}

export interface News2Settings {
  readonly enabled: boolean;
  /** A parameter counts only when its latest reading is this recent. */
  readonly windowHours: number;
  /** Fire from this aggregate score (RCP: 5 = medium risk); a single-parameter 3 always fires. */
  readonly fireFromTotal: number;
  /**
   * Freshness per parameter, hours, where it differs from windowHours: how long an observation
   * (measured or entered by a person) still counts, e.g. { consciousness: 2 }.
   */
  readonly parameterWindowHours?: Readonly<Partial<Record<'respirationRate' | 'spo2' | 'airOrOxygen' | 'systolicBP' | 'pulse' | 'consciousness' | 'temperature', number>>>;
}

export interface WeightGainSettings {
  readonly enabled: boolean;
  readonly gainKg: number;
  readonly windowHours: number;
  /** The gain must fall below gainKg minus this before an open alert clears. */
  readonly hysteresisKg: number;
  readonly severity: AlertSeverity;
  /** The latest weight must be this recent to say anything. */
  readonly maxAgeHours: number;
}

export interface BaselineSetting {
  readonly key: ComponentKey;
  /** Length of the rolling window before the latest reading. */
  readonly days: number;
  /** Fewer baseline readings than this: no opinion. */
  readonly minCount: number;
  /** absolute: |latest - median| > threshold (unit of the component); mad: > threshold * max(1.4826 * MAD, minScale). */
  readonly method: 'absolute' | 'mad';
  readonly threshold: number;
  /** mad only: floor of the scale so a very steady patient does not alert on a trivial change. */
  readonly minScale?: number;
  readonly direction: 'high' | 'low' | 'both';
  readonly severity: AlertSeverity;
  readonly maxAgeHours: number;
}

/** Everything about one patient that the clinical rules need besides the samples. */
export interface PatientContext {
  /** Internal id, never a national identity number. */
  readonly patientId: string;
  /** IANA time zone of the home, e.g. Europe/Copenhagen or Europe/Stockholm. */
  readonly timeZone: string;
  readonly conditionGroups: readonly ConditionGroup[];
  /** Confirmed hypercapnic respiratory failure with a prescribed 88-92 % target: NEWS2 SpO2 scale 2. */
  readonly hypercapnicRespiratoryFailure: boolean;
  /** On long-term oxygen therapy: NEWS2 "air or oxygen" when no assisted entry says otherwise. */
  readonly onLongTermOxygen?: boolean;
  /** Monitoring started here: no missing-reading finding for slots before it. */
  readonly monitoringSince?: Date;
  readonly thresholdOverrides?: ThresholdOverrides;
  readonly schedules?: readonly ReadingSchedule[];
  /** Questionnaires the resident is expected to answer, and when. */
  readonly questionnaireSchedules?: readonly QuestionnaireSchedule[];
  readonly passiveIntervals?: readonly PassiveInterval[];
  readonly news2?: Partial<News2Settings>;
  readonly weightGain?: Partial<WeightGainSettings>;
  /** Replaces the default baseline rules when given ([] switches them off). */
  readonly baselines?: readonly BaselineSetting[];
}

/** A value entered by a carer or nurse (or a rare device), with when it was observed. */
export interface Observation<T> {
  readonly value: T;
  readonly at: Date;
  readonly id?: string;
}

export type Acvpu = 'A' | 'C' | 'V' | 'P' | 'U';

/** NEWS2 parameters home kits rarely measure, from assisted entries where present. */
export interface AssistedObservations {
  readonly respiratoryRate?: Observation<number>;
  /** true: on supplemental oxygen; false: on air. */
  readonly onOxygen?: Observation<boolean>;
  readonly consciousness?: Observation<Acvpu>;
}

/** The home's gateway as the hub last knew it (retained status / Last Will, heartbeats). */
export interface GatewayState {
  readonly gatewayId: string;
  readonly state: 'online' | 'offline';
  /** When that state was last reported. */
  readonly stateAt: Date;
  /** The last heartbeat (or any message) from the gateway. */
  readonly lastHeartbeatAt?: Date;
  readonly heartbeatS?: number;
}

/** A device as reported on the devices topic, with the kinds it measures (from the registry). */
export interface DeviceState {
  readonly deviceId: string;
  readonly kinds: readonly VitalKind[];
  readonly present: boolean;
  readonly lastSeenAt?: Date;
  readonly batteryPercent?: number;
  readonly clockOffsetS?: number;
  /** The device advertises when idle, so silence means it is gone; wake-on-use cuffs and scales do not. */
  readonly advertisesWhenIdle?: boolean;
}

export interface HomeStatus {
  readonly gateway?: GatewayState;
  readonly devices: readonly DeviceState[];
}

/** Alerts the engine currently holds open for this patient (or home), by rule id, with their severity. */
export type OpenAlerts = Readonly<Record<string, AlertSeverity>>;

export type MissingCause = 'gateway_offline' | 'no_device' | 'battery_flat' | 'device_not_seen' | 'not_measured' | 'resident_did_not_answer';

export interface FindingEvidence {
  readonly readingIds: readonly string[];
  /** Small JSON-safe facts behind the finding, e.g. { value: 192, limit: 180 }. */
  readonly values: Readonly<Record<string, number | string | boolean | null>>;
}

export interface RuleFinding {
  /** Stable key for deduplication per patient (or home), e.g. threshold:blood_pressure.systolic, news2, missing:body_weight. */
  readonly ruleId: string;
  readonly audience: 'clinical' | 'technical';
  readonly severity: AlertSeverity;
  /** Human readable; never a patient name. */
  readonly summary: string;
  readonly evidence: FindingEvidence;
  /** firing: the condition holds now; cleared: an open alert's condition no longer holds. */
  readonly condition: 'firing' | 'cleared';
  /** From late (downloaded) readings only: shown for review, never paged. */
  readonly backfilled?: boolean;
  readonly cause?: MissingCause;
  readonly deviceId?: string;
  readonly gatewayId?: string;
}
