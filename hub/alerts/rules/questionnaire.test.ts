import { describe, expect, it } from 'vitest';
import { COPD_SYMPTOMS } from '../../../contract/questionnaires/defaults.js';
import { QuestionnaireDefinitionSchema } from '../../../contract/questionnaires/definition.js';
import { parsePatientRuleConfig, patientContext } from './config.js';
import { evaluatePatient } from './evaluate.js';
import { evaluateMissingQuestionnaires, evaluateQuestionnaireAnswers } from './questionnaire.js';
import type { AnsweredQuestionnaireFacts } from './types.js';

const copd = QuestionnaireDefinitionSchema.parse(COPD_SYMPTOMS);
const HOUR = 3_600_000;

function context(json: unknown) {
  const parsed = parsePatientRuleConfig(json);
  if (!parsed.ok) throw new Error(parsed.reason);
  return patientContext('p-1', parsed.value);
}

const answered = (at: Date, breathless: boolean, colour: string): AnsweredQuestionnaireFacts => ({
  definition: copd,
  responseId: 'qr-1',
  answeredAt: at,
  answers: [
    { linkId: 'breathless', value: breathless },
    { linkId: 'sputum-more', value: false },
    { linkId: 'sputum-colour', value: colour },
    { linkId: 'reliever-doses', value: 4 },
  ],
});

describe('alert rules on answers', () => {
  const ctx = context({ timeZone: 'Europe/Copenhagen' });
  const now = new Date('2026-03-02T10:00:00Z');

  it('breathless with green sputum fires anthonisen-type-2 at the rule’s severity, evidence naming the response', () => {
    const [f, ...rest] = evaluateQuestionnaireAnswers([answered(new Date(now.getTime() - HOUR), true, 'green')], ctx, now, {});
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: 'questionnaire:copd-symptoms:anthonisen-type-2', severity: 'high', condition: 'firing', audience: 'clinical', evidence: { readingIds: ['qr-1'], values: { 'score.anthonisen': 2 } } });
    expect(f!.summary).toContain('answered 2026-03-02 10:00');
  });

  it('an open alert clears when the newest answers no longer meet it, or when they are older than validForHours', () => {
    const open = { 'questionnaire:copd-symptoms:anthonisen-type-2': 'high' as const, 'missing:body_weight': 'medium' as const };
    expect(evaluateQuestionnaireAnswers([answered(now, false, 'clear')], ctx, now, open).map((f) => [f.ruleId, f.condition])).toEqual([['questionnaire:copd-symptoms:anthonisen-type-2', 'cleared']]);
    const stale = evaluateQuestionnaireAnswers([answered(new Date(now.getTime() - 25 * HOUR), true, 'green')], ctx, now, open);
    expect(stale.map((f) => f.condition)).toEqual(['cleared']);
  });
});

describe('a questionnaire the resident did not answer', () => {
  const ctx = context({ timeZone: 'Europe/Stockholm', monitoringSince: '2026-03-01T00:00:00Z', questionnaires: [{ questionnaire: 'copd-symptoms', type: 'daily', from: '06:00', by: '11:00', graceMinutes: 30 }] });

  it('before the slot is due (plus grace) nothing; after it, cause resident_did_not_answer', () => {
    // 11:20 Stockholm (UTC+1): due at 11:00, grace 30 min.
    expect(evaluateMissingQuestionnaires([answered(new Date('2026-03-01T08:00:00Z'), false, 'none')], ctx, new Date('2026-03-02T10:20:00Z'), {})).toEqual([]);
    const [f] = evaluateMissingQuestionnaires([answered(new Date('2026-03-01T08:00:00Z'), false, 'none')], ctx, new Date('2026-03-02T10:40:00Z'), {});
    expect(f).toMatchObject({ ruleId: 'missing-questionnaire:copd-symptoms', cause: 'resident_did_not_answer', severity: 'medium', audience: 'clinical', evidence: { values: { missed: 1, dueAt: '2026-03-02T10:00:00.000Z' } } });
    expect(f!.summary).toContain('resident did not answer');
  });

  it('two days unanswered escalates to high; an answer that morning clears an open one', () => {
    const [f] = evaluateMissingQuestionnaires([], ctx, new Date('2026-03-02T10:40:00Z'), {});
    expect(f).toMatchObject({ severity: 'high', evidence: { values: { missed: 2 } } });
    const cleared = evaluateMissingQuestionnaires([answered(new Date('2026-03-02T06:30:00Z'), false, 'none')], ctx, new Date('2026-03-02T10:40:00Z'), { 'missing-questionnaire:copd-symptoms': 'high' });
    expect(cleared.map((x) => x.condition)).toEqual(['cleared']);
  });

  it('passive monitoring (a hospital stay): silent', () => {
    const passive = context({ questionnaires: [{ questionnaire: 'copd-symptoms', type: 'interval', everyHours: 24 }], passive: [{ from: '2026-03-01T00:00:00Z', reason: 'hospital' }] });
    expect(evaluateMissingQuestionnaires([], passive, new Date('2026-03-05T10:00:00Z'), {})).toEqual([]);
  });
});

describe('evaluatePatient and questionnaires', () => {
  const ctx = context({ timeZone: 'Europe/Stockholm', monitoringSince: '2026-03-01T00:00:00Z', questionnaires: [{ questionnaire: 'copd-symptoms', type: 'interval', everyHours: 12 }] });
  const now = new Date('2026-03-02T10:00:00Z');
  it('runs the questionnaire rules only when the caller read the answers (the back-test does not)', () => {
    expect(evaluatePatient({ context: ctx, samples: [] }, now).filter((f) => f.ruleId.startsWith('missing-questionnaire:'))).toEqual([]);
    expect(evaluatePatient({ context: ctx, samples: [], questionnaires: [] }, now).map((f) => f.ruleId)).toContain('missing-questionnaire:copd-symptoms');
    const answeredNow = evaluatePatient({ context: ctx, samples: [], questionnaires: [answered(new Date(now.getTime() - HOUR), true, 'green')] }, now).map((f) => f.ruleId);
    expect(answeredNow).toContain('questionnaire:copd-symptoms:anthonisen-type-2');
    expect(answeredNow).not.toContain('missing-questionnaire:copd-symptoms');
  });
});
