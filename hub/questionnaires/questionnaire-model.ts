/**
 * What the hub keeps about questionnaires: stored responses (who entered them: the resident through
 * an answer link, or a staff member with their role), answer links, and the store interface the API
 * and the alert engine use. The SQL store (sql-questionnaire-store.ts) implements it.
 */
import type { Answer } from '../../contract/questionnaires/answers.js';
import type { QuestionnaireDefinition } from '../../contract/questionnaires/definition.js';

export interface StoredResponse {
  readonly id: string;
  readonly patientId: string;
  readonly questionnaireId: string;
  readonly questionnaireVersion: number;
  readonly answeredAt: Date;
  readonly enteredAt: Date;
  readonly channel: 'staff' | 'resident';
  /** staff: the registry's pseudonymous user id and role. */
  readonly enteredBy?: string;
  readonly enteredRole?: string;
  /** resident: the answer link used. */
  readonly linkId?: string;
  readonly answers: readonly Answer[];
  readonly scores: Readonly<Record<string, number>>;
}

export interface AnswerLink {
  readonly id: string;
  readonly patientId: string;
  readonly questionnaireId: string;
  readonly questionnaireVersion: number;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usedAt?: Date;
}

/** Why a link cannot be used: unknown token, used already, or past its expiry. */
export type LinkRefusal = 'unknown' | 'used' | 'expired';

export type DefinitionWrite = { readonly ok: true } | { readonly ok: false; readonly reason: 'exists' };

export interface QuestionnaireStore {
  /** Shipped and organisation definitions, every version. */
  definitions(): Promise<QuestionnaireDefinition[]>;
  /** One version, or the newest when `version` is omitted. */
  definition(id: string, version?: number): Promise<QuestionnaireDefinition | undefined>;
  /** Stores an organisation's new version; an existing (id, version), shipped ones included, is refused. */
  addDefinition(def: QuestionnaireDefinition, createdBy: string): Promise<DefinitionWrite>;
  record(response: StoredResponse): Promise<void>;
  /** Responses answered in [from, to], newest first. */
  responses(patientId: string, from: Date, to: Date): Promise<StoredResponse[]>;
  /** The newest response per questionnaire, whenever it was answered. */
  latestResponses(patientId: string): Promise<StoredResponse[]>;
  /** Stores a link under the SHA-256 of its token (the token itself is never stored). */
  createLink(link: AnswerLink, token: string): Promise<void>;
  /** The link behind a token if it can still be used at `now`. */
  usableLink(token: string, now: Date): Promise<{ ok: true; link: AnswerLink } | { ok: false; reason: LinkRefusal }>;
  /** Marks the link used and stores the response in one transaction; refused if another use won the race. */
  answerThroughLink(token: string, response: StoredResponse, now: Date): Promise<{ ok: true } | { ok: false; reason: LinkRefusal }>;
}

/** The answers the alert rules see for one patient: the newest response per questionnaire with its definition. */
export interface AnsweredQuestionnaire {
  readonly definition: QuestionnaireDefinition;
  readonly response: StoredResponse;
}
