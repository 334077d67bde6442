/**
 * What the alert engine reads about a patient's questionnaires at each evaluation: the newest
 * response per questionnaire with the definition version it answered. One SQL query for the
 * responses; definitions are immutable per (id, version), so once seen they are kept in memory and
 * the definitions are read again only when a response names a version not seen yet.
 */
import type { QuestionnaireDefinition } from '../../contract/questionnaires/definition.js';
import type { AnsweredQuestionnaireFacts } from '../alerts/rules/types.js';
import type { QuestionnaireStore } from './questionnaire-model.js';

export interface QuestionnaireAnswersSource {
  answered(patientId: string): Promise<AnsweredQuestionnaireFacts[]>;
}

export function questionnaireAnswersSource(store: Pick<QuestionnaireStore, 'latestResponses' | 'definitions'>): QuestionnaireAnswersSource {
  const known = new Map<string, QuestionnaireDefinition>();
  const key = (id: string, version: number) => `${id}|${version}`;
  return {
    async answered(patientId) {
      const latest = await store.latestResponses(patientId);
      if (latest.length === 0) return [];
      if (latest.some((r) => !known.has(key(r.questionnaireId, r.questionnaireVersion)))) for (const d of await store.definitions()) known.set(key(d.id, d.version), d);
      return latest.flatMap((r) => {
        const definition = known.get(key(r.questionnaireId, r.questionnaireVersion));
        // A response always names a stored version (checked when it was entered); without it the rules cannot read it.
        return definition ? [{ definition, responseId: r.id, answeredAt: r.answeredAt, answers: r.answers }] : [];
      });
    },
  };
}
