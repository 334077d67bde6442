/**
 * What the alert engine reads about a patient's questionnaires at each evaluation: the newest
 * response per questionnaire with the definition version it answered (one SQL query for the
 * responses, one for the organisation's definitions).
 */
import type { AnsweredQuestionnaireFacts } from '../alerts/rules/types.js';
import type { QuestionnaireStore } from './questionnaire-model.js';

export interface QuestionnaireAnswersSource {
  answered(patientId: string): Promise<AnsweredQuestionnaireFacts[]>;
}

export function questionnaireAnswersSource(store: Pick<QuestionnaireStore, 'latestResponses' | 'definitions'>): QuestionnaireAnswersSource {
  return {
    async answered(patientId) {
      const latest = await store.latestResponses(patientId);
      if (latest.length === 0) return [];
      const defs = await store.definitions();
      return latest.flatMap((r) => {
        const definition = defs.find((d) => d.id === r.questionnaireId && d.version === r.questionnaireVersion);
        // A response always names a stored version (checked when it was entered); without it the rules cannot read it.
        return definition ? [{ definition, responseId: r.id, answeredAt: r.answeredAt, answers: r.answers }] : [];
      });
    },
  };
}
