/**
 * Names for the API's shapes, taken from the types generated from its OpenAPI document
 * (schema.d.ts, `npm run web:api-types`): the page never declares a response shape of its own.
 */
import type { paths } from './schema.js';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body of a path's success response. */
export type ResponseOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer S }
    ? Json<S>
    : R extends { 201: infer S }
      ? Json<S>
      : never
  : never;

/** The JSON body a path accepts. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

/** The query parameters of a path. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type Worklist = ResponseOf<'/api/v1/patients', 'get'>;
export type WorklistPatient = Worklist['patients'][number];
export type LatestVital = WorklistPatient['latest'][number];
export type PatientDetail = ResponseOf<'/api/v1/patients/{patientId}', 'get'>;
export type AlertList = ResponseOf<'/api/v1/alerts', 'get'>;
export type Alert = AlertList['alerts'][number];
export type AlertHistory = ResponseOf<'/api/v1/alerts/{alertId}/events', 'get'>;
export type AlertEvent = AlertHistory['events'][number];
export type Readings = ResponseOf<'/api/v1/patients/{patientId}/readings', 'get'>;
export type Reading = Readings['readings'][number];
export type Trends = ResponseOf<'/api/v1/patients/{patientId}/trends', 'get'>;
export type EffectiveRules = ResponseOf<'/api/v1/patients/{patientId}/alert-rules/effective', 'get'>;
export type AlertRules = ResponseOf<'/api/v1/patients/{patientId}/alert-rules', 'get'>;
export type Gateways = ResponseOf<'/api/v1/gateways', 'get'>;
export type Gateway = Gateways['gateways'][number];
export type Unassigned = ResponseOf<'/api/v1/unassigned', 'get'>;
export type UnassignedDevice = Unassigned['devices'][number];
export type VitalKind = Reading['kind'];
export type Severity = Alert['severity'];
export type Role = 'admin' | 'clinician' | 'carer';

/** RFC 9457 problem details, as every error of the API is. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: readonly { readonly path: string; readonly message: string }[];
}
export type QuestionnaireList = ResponseOf<'/api/v1/questionnaires', 'get'>;
export type QuestionnaireDefinition = QuestionnaireList['questionnaires'][number];
export type QuestionnaireResponses = ResponseOf<'/api/v1/patients/{patientId}/questionnaire-responses', 'get'>;
export type QuestionnaireResponse = QuestionnaireResponses['responses'][number];
export type QuestionnaireAnswer = QuestionnaireResponse['answers'][number];
export type AnswerLink = ResponseOf<'/api/v1/patients/{patientId}/questionnaire-links', 'post'>;
export type AnswerLinkView = ResponseOf<'/api/v1/answer-links/{token}', 'get'>;

/** Community rooms and the kiosk (issue #12). */
export type RoomList = ResponseOf<'/api/v1/rooms', 'get'>;
export type RoomView = ResponseOf<'/api/v1/rooms/{gatewayId}', 'get'>;
export type RoomSession = ResponseOf<'/api/v1/rooms/{gatewayId}/sessions', 'post'>;
export type SessionReadings = ResponseOf<'/api/v1/rooms/{gatewayId}/sessions/{sessionId}/readings', 'get'>;
export type CheckinCode = ResponseOf<'/api/v1/patients/{patientId}/checkin-code', 'post'>;
export type KioskRoom = ResponseOf<'/api/v1/kiosk', 'get'>;
export type KioskSession = ResponseOf<'/api/v1/kiosk/session', 'get'>;
export type KioskCheckIn = ResponseOf<'/api/v1/kiosk/sessions', 'post'>;
