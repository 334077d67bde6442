import { describe, expect, it } from 'vitest';
import { checkAnswers, matchingRules, scoreAnswers, type Answer } from './answers.js';
import { COPD_SYMPTOMS, HEART_FAILURE_SYMPTOMS, SHIPPED_QUESTIONNAIRES } from './defaults.js';
import { parseQuestionnaireDefinition, QuestionnaireDefinitionSchema, questionnaireCanonical } from './definition.js';

const copd = QuestionnaireDefinitionSchema.parse(COPD_SYMPTOMS);
const hf = QuestionnaireDefinitionSchema.parse(HEART_FAILURE_SYMPTOMS);

const copdAnswers = (breathless: boolean, more: boolean, colour: string): Answer[] => [
  { linkId: 'breathless', value: breathless },
  { linkId: 'sputum-more', value: more },
  { linkId: 'sputum-colour', value: colour },
  { linkId: 'reliever-doses', value: 3 },
];

describe('shipped questionnaires', () => {
  it('parse, and cite a dated source for every scored question, score and rule', () => {
    for (const d of SHIPPED_QUESTIONNAIRES) {
      const parsed = parseQuestionnaireDefinition(d);
      expect(parsed.ok, parsed.ok ? '' : parsed.reason).toBe(true);
      if (!parsed.ok) continue;
      // Every scored question, score and rule cites a dated publication; free text says what it is for.
      for (const x of [...parsed.value.questions.filter((q) => q.type !== 'text'), ...parsed.value.scores, ...parsed.value.rules]) expect(x.source).toMatch(/\d{4}/);
    }
    expect(COPD_SYMPTOMS.rules!.every((r) => r.source.includes('Anthonisen'))).toBe(true);
    expect(HEART_FAILURE_SYMPTOMS.rules!.every((r) => r.source.includes('2021 ESC'))).toBe(true);
  });

  it('canonical|version for FHIR', () => {
    expect(questionnaireCanonical('copd-symptoms', 1)).toBe('urn:rpm-hub:questionnaire:copd-symptoms|1');
  });
});

describe('Anthonisen scoring and rules (COPD)', () => {
  it.each([
    [true, true, 'green', 3, ['anthonisen-type-1']],
    [true, false, 'yellow', 2, ['anthonisen-type-2']],
    [false, true, 'green', 2, ['anthonisen-type-2']],
    [true, false, 'clear', 1, ['one-cardinal-symptom']],
    [false, false, 'none', 0, []],
  ] as const)('breathless %s, more sputum %s, colour %s: score %i, rules %j', (b, m, c, score, rules) => {
    const answers = copdAnswers(b, m, c);
    expect(scoreAnswers(copd, answers)).toEqual({ anthonisen: score });
    expect(matchingRules(copd, answers).map((r) => r.ruleId)).toEqual(rules);
  });
});

describe('heart failure rules', () => {
  const base: Answer[] = [
    { linkId: 'ankle-swelling', value: false },
    { linkId: 'orthopnoea', value: false },
    { linkId: 'night-breathless', value: false },
    { linkId: 'weight-gain', value: false },
    { linkId: 'breathless-when', value: 'not' },
  ];
  const withAnswers = (over: Record<string, boolean | string>) => base.map((a) => (a.linkId in over ? { ...a, value: over[a.linkId]! } : a));
  it('breathless at rest is urgent and counts as a sign of congestion', () => {
    const rules = matchingRules(hf, withAnswers({ 'breathless-when': 'rest', 'ankle-swelling': true }));
    expect(rules.map((r) => [r.ruleId, r.severity])).toEqual([
      ['breathless-at-rest', 'urgent'],
      ['congestion-signs', 'high'],
    ]);
  });
  it('reported weight gain alone', () => {
    expect(matchingRules(hf, withAnswers({ 'weight-gain': true })).map((r) => r.ruleId)).toEqual(['weight-gain-reported']);
  });
  it('nothing reported: nothing matches', () => {
    expect(matchingRules(hf, base)).toEqual([]);
  });
});

describe('checkAnswers', () => {
  it.each([
    ['integer out of range', [{ linkId: 'reliever-doses', value: 41 }], 'answers[3].value'],
    ['integer not whole', [{ linkId: 'reliever-doses', value: 2.5 }], 'answers[3].value'],
    ['unknown option', [{ linkId: 'sputum-colour', value: 'purple' }], 'answers[2].value'],
    ['boolean as string', [{ linkId: 'breathless', value: 'true' }], 'answers[0].value'],
  ])('%s', (_name, over, path) => {
    const answers = copdAnswers(true, true, 'green').map((a) => over.find((o) => o.linkId === a.linkId) ?? a);
    expect(checkAnswers(copd, answers).map((p) => p.path)).toEqual([path]);
  });
  it('refuses unknown questions, duplicates, missing required ones and empty text; the optional comment may be left out', () => {
    const ok = copdAnswers(false, false, 'none');
    expect(checkAnswers(copd, ok)).toEqual([]);
    expect(checkAnswers(copd, [...ok, { linkId: 'mood', value: 'fine' }]).map((p) => p.path)).toEqual(['answers[4].linkId']);
    expect(checkAnswers(copd, [...ok, ok[0]!]).map((p) => p.path)).toEqual(['answers[4].linkId']);
    expect(checkAnswers(copd, ok.slice(1)).map((p) => p.message)).toEqual(['"breathless" must be answered']);
    expect(checkAnswers(copd, [...ok, { linkId: 'comment', value: '   ' }]).map((p) => p.path)).toEqual(['answers[4].value']);
  });
});

describe('definitions that must be refused', () => {
  const minimal = { id: 'org-q', version: 1, title: { da: 'a', sv: 'a', en: 'a' }, questions: [{ linkId: 'q1', type: 'boolean', text: { da: 'a', sv: 'a', en: 'a' }, source: 'Some guideline 2020' }] };
  it.each([
    ['no source', { ...minimal, questions: [{ ...minimal.questions[0], source: undefined }] }, 'source'],
    ['a rule on a missing question', { ...minimal, rules: [{ ruleId: 'r', when: { all: [{ linkId: 'q2', equals: true }] }, severity: 'high', summary: 'abc', source: 'Some guideline 2020' }] }, 'no question "q2"'],
    ['a rule on a missing score', { ...minimal, rules: [{ ruleId: 'r', when: { any: [{ score: 's', gte: 1 }] }, severity: 'high', summary: 'abc', source: 'Some guideline 2020' }] }, 'no score "s"'],
    ['a choice without options', { ...minimal, questions: [{ ...minimal.questions[0], type: 'choice' }] }, 'options'],
    ['an integer without a range', { ...minimal, questions: [{ ...minimal.questions[0], type: 'integer' }] }, 'min <= max'],
    ['duplicate linkIds', { ...minimal, questions: [minimal.questions[0], minimal.questions[0]] }, 'distinct'],
    ['a missing language', { ...minimal, title: { da: 'a', en: 'a' } }, 'title.sv'],
    ['an unknown field', { ...minimal, colour: 'blue' }, 'colour'],
  ])('%s', (_name, def, reason) => {
    const parsed = parseQuestionnaireDefinition(def);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
  it('the minimal one parses, with defaults', () => {
    const parsed = parseQuestionnaireDefinition(minimal);
    expect(parsed.ok && parsed.value).toMatchObject({ validForHours: 24, scores: [], rules: [], questions: [{ required: true }] });
  });
});
