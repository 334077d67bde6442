/**
 * Questionnaire definitions, responses and answer links in SQL (migration 070), with the shipped
 * definitions (contract/questionnaires/defaults.ts) served from code beside the stored ones.
 */
import { createHash } from 'node:crypto';
import type { Answer } from '../../contract/questionnaires/answers.js';
import { parseQuestionnaireDefinition, QuestionnaireDefinitionSchema, type QuestionnaireDefinition } from '../../contract/questionnaires/definition.js';
import { SHIPPED_QUESTIONNAIRES } from '../../contract/questionnaires/defaults.js';
import { sqlErrorInfo, SQLSTATE, type SqlDb } from '../sql/sql-db.js';
import type { AnswerLink, LinkRefusal, QuestionnaireStore, StoredResponse } from './questionnaire-model.js';

export const SHIPPED: readonly QuestionnaireDefinition[] = SHIPPED_QUESTIONNAIRES.map((d) => QuestionnaireDefinitionSchema.parse(d));

export const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

interface ResponseRow {
  id: string;
  patient_id: string;
  questionnaire_id: string;
  questionnaire_version: number;
  answered_at: Date | string;
  entered_at: Date | string;
  channel: 'staff' | 'resident';
  entered_by: string | null;
  entered_role: string | null;
  link_id: string | null;
  answers: unknown;
  scores: unknown;
}

interface LinkRow {
  id: string;
  patient_id: string;
  questionnaire_id: string;
  questionnaire_version: number;
  created_by: string;
  created_at: Date | string;
  expires_at: Date | string;
  used_at: Date | string | null;
}

const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

function responseOf(r: ResponseRow): StoredResponse {
  return {
    id: r.id,
    patientId: r.patient_id,
    questionnaireId: r.questionnaire_id,
    questionnaireVersion: Number(r.questionnaire_version),
    answeredAt: new Date(r.answered_at),
    enteredAt: new Date(r.entered_at),
    channel: r.channel,
    ...(r.entered_by !== null && { enteredBy: r.entered_by }),
    ...(r.entered_role !== null && { enteredRole: r.entered_role }),
    ...(r.link_id !== null && { linkId: r.link_id }),
    answers: json<Answer[]>(r.answers),
    scores: json<Record<string, number>>(r.scores),
  };
}

function linkOf(r: LinkRow): AnswerLink {
  return {
    id: r.id,
    patientId: r.patient_id,
    questionnaireId: r.questionnaire_id,
    questionnaireVersion: Number(r.questionnaire_version),
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    expiresAt: new Date(r.expires_at),
    ...(r.used_at !== null && { usedAt: new Date(r.used_at) }),
  };
}

const refusalOf = (link: AnswerLink | undefined, now: Date): LinkRefusal | undefined =>
  !link ? 'unknown' : link.usedAt ? 'used' : link.expiresAt.getTime() <= now.getTime() ? 'expired' : undefined;

async function insertResponse(db: SqlDb, r: StoredResponse): Promise<void> {
  await db.query(
    `INSERT INTO questionnaire_responses (id, patient_id, questionnaire_id, questionnaire_version, answered_at, entered_at, channel, entered_by, entered_role, link_id, answers, scores)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [r.id, r.patientId, r.questionnaireId, r.questionnaireVersion, r.answeredAt.toISOString(), r.enteredAt.toISOString(), r.channel, r.enteredBy ?? null, r.enteredRole ?? null, r.linkId ?? null, JSON.stringify(r.answers), JSON.stringify(r.scores)],
  );
}

export function sqlQuestionnaireStore(db: SqlDb): QuestionnaireStore {
  const stored = async (): Promise<QuestionnaireDefinition[]> => {
    const rows = await db.query<{ definition: unknown }>('SELECT definition FROM questionnaire_definitions ORDER BY id, version');
    // Validated when written; a row that no longer parses (a schema change) is left out rather than served half-understood.
    return rows.flatMap((r) => {
      const parsed = parseQuestionnaireDefinition(json(r.definition));
      return parsed.ok ? [parsed.value] : [];
    });
  };
  const linkByHash = async (hash: string, tx: SqlDb = db): Promise<AnswerLink | undefined> => {
    const [row] = await tx.query<LinkRow>('SELECT * FROM questionnaire_links WHERE token_sha256 = $1', [hash]);
    return row && linkOf(row);
  };
  return {
    async definitions() {
      return [...SHIPPED, ...(await stored())];
    },
    async definition(id, version) {
      const all = (await this.definitions()).filter((d) => d.id === id && (version === undefined || d.version === version));
      return all.sort((a, b) => b.version - a.version)[0];
    },
    async addDefinition(def, createdBy) {
      if (SHIPPED.some((d) => d.id === def.id && d.version === def.version)) return { ok: false, reason: 'exists' };
      try {
        await db.query('INSERT INTO questionnaire_definitions (id, version, definition, created_by) VALUES ($1, $2, $3, $4)', [def.id, def.version, JSON.stringify(def), createdBy]);
        return { ok: true };
      } catch (err) {
        if (sqlErrorInfo(err).code === SQLSTATE.uniqueViolation) return { ok: false, reason: 'exists' };
        throw err;
      }
    },
    record: (response) => insertResponse(db, response),
    async responses(patientId, from, to) {
      const rows = await db.query<ResponseRow>(
        'SELECT * FROM questionnaire_responses WHERE patient_id = $1 AND answered_at >= $2 AND answered_at <= $3 ORDER BY answered_at DESC, id DESC LIMIT 1000',
        [patientId, from.toISOString(), to.toISOString()],
      );
      return rows.map(responseOf);
    },
    async latestResponses(patientId) {
      const rows = await db.query<ResponseRow>(
        'SELECT DISTINCT ON (questionnaire_id) * FROM questionnaire_responses WHERE patient_id = $1 ORDER BY questionnaire_id, answered_at DESC, id DESC',
        [patientId],
      );
      return rows.map(responseOf);
    },
    async createLink(link, token) {
      await db.query(
        `INSERT INTO questionnaire_links (id, token_sha256, patient_id, questionnaire_id, questionnaire_version, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [link.id, tokenHash(token), link.patientId, link.questionnaireId, link.questionnaireVersion, link.createdBy, link.createdAt.toISOString(), link.expiresAt.toISOString()],
      );
    },
    async usableLink(token, now) {
      const link = await linkByHash(tokenHash(token));
      const refusal = refusalOf(link, now);
      return refusal ? { ok: false, reason: refusal } : { ok: true, link: link! };
    },
    async answerThroughLink(token, response, now) {
      const hash = tokenHash(token);
      return db.transaction(async (tx) => {
        // The conditional update is the single use: of two submissions racing, one updates the row.
        const claimed = await tx.query<{ id: string }>(
          'UPDATE questionnaire_links SET used_at = $2 WHERE token_sha256 = $1 AND used_at IS NULL AND expires_at > $2 RETURNING id',
          [hash, now.toISOString()],
        );
        if (claimed.length === 0) return { ok: false as const, reason: refusalOf(await linkByHash(hash, tx), now) ?? 'used' };
        await insertResponse(tx, response);
        await tx.query('UPDATE questionnaire_links SET response_id = $2 WHERE token_sha256 = $1', [hash, response.id]);
        return { ok: true as const };
      });
    },
  };
}
