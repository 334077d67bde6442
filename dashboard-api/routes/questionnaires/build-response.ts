/**
 * Turning submitted answers into a stored response, shared by staff entry and the resident's link:
 * the version must exist, the answers must fit it (types, options, ranges, required), and the
 * answer time must be believable. Any problem refuses the whole response; nothing is stored.
 */
import { checkAnswers, matchingRules, scoreAnswers, type Answer } from '../../../contract/questionnaires/answers.js';
import type { QuestionnaireDefinition } from '../../../contract/questionnaires/definition.js';
import type { QuestionnaireStore, StoredResponse } from '../../../hub/questionnaires/questionnaire-model.js';
import { ApiError } from '../../errors.js';

const CLOCK_SLACK_MS = 2 * 60_000;
const MAX_BACK_MS = 7 * 86_400_000;

/** The definition version a request names; a validation problem naming `path` when there is none. */
export async function definitionOrRefuse(store: Pick<QuestionnaireStore, 'definitions'>, id: string, version: number | undefined, path: string): Promise<QuestionnaireDefinition> {
  const versions = (await store.definitions()).filter((d) => d.id === id).sort((a, b) => b.version - a.version);
  if (versions.length === 0) {
    const idPath = path.replace(/version$/, 'questionnaire');
    throw new ApiError('RPM_ERR_VALIDATION', `${idPath}: no questionnaire "${id}"`, [{ path: idPath, message: `no questionnaire "${id}"` }]);
  }
  const def = version === undefined ? versions[0] : versions.find((d) => d.version === version);
  if (!def) {
    const message = `${id} has no version ${version} (known: ${versions.map((d) => d.version).join(', ')})`;
    throw new ApiError('RPM_ERR_VALIDATION', `${path}: ${message}`, [{ path, message }]);
  }
  return def;
}

export function checkAnsweredAt(answeredAt: Date, now: Date): void {
  const t = answeredAt.getTime();
  if (t > now.getTime() + CLOCK_SLACK_MS || t < now.getTime() - MAX_BACK_MS) {
    const message = 'must be in the last 7 days, not in the future';
    throw new ApiError('RPM_ERR_VALIDATION', `body.answeredAt: ${message}`, [{ path: 'body.answeredAt', message }]);
  }
}

export function checkedAnswers(def: QuestionnaireDefinition, answers: readonly Answer[]): void {
  const problems = checkAnswers(def, answers);
  if (problems.length > 0)
    throw new ApiError(
      'RPM_ERR_VALIDATION',
      problems.map((p) => `body.${p.path}: ${p.message}`).join('; '),
      problems.map((p) => ({ path: `body.${p.path}`, message: p.message })),
    );
}

export function responseOut(r: StoredResponse, def: QuestionnaireDefinition | undefined) {
  return {
    id: r.id,
    patientId: r.patientId,
    questionnaire: r.questionnaireId,
    version: r.questionnaireVersion,
    answeredAt: r.answeredAt.toISOString(),
    enteredAt: r.enteredAt.toISOString(),
    channel: r.channel,
    ...(r.enteredBy && { enteredBy: r.enteredBy }),
    ...(r.enteredRole && { enteredRole: r.enteredRole }),
    answers: r.answers.map((a) => ({ linkId: a.linkId, value: a.value })),
    scores: { ...r.scores },
    matchedRules: def ? matchingRules(def, r.answers).map((m) => ({ ruleId: m.ruleId, severity: m.severity, summary: m.summary })) : [],
  };
}

export function buildResponse(
  def: QuestionnaireDefinition,
  answers: readonly Answer[],
  base: Pick<StoredResponse, 'id' | 'patientId' | 'answeredAt' | 'enteredAt' | 'channel'> & Partial<Pick<StoredResponse, 'enteredBy' | 'enteredRole' | 'linkId'>>,
): StoredResponse {
  // Text is kept trimmed; order as the definition asks, so exports read in question order.
  const order = new Map(def.questions.map((q, i) => [q.linkId, i]));
  const clean = answers.map((a) => ({ linkId: a.linkId, value: typeof a.value === 'string' ? a.value.trim() : a.value })).sort((a, b) => order.get(a.linkId)! - order.get(b.linkId)!);
  return { ...base, questionnaireId: def.id, questionnaireVersion: def.version, answers: clean, scores: scoreAnswers(def, clean) };
}

export function definitionOut(def: QuestionnaireDefinition, shipped: boolean) {
  return { ...def, shipped };
}
